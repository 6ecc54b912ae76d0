import { useId } from 'react';
import { describeError } from '../api/describeError';
import { useI18n } from '../i18n/i18n';

/** What just happened (« … est enregistré »), with a button to dismiss it. Nothing when there is no text. */
export function Notice({ text, onClose }: { text: string | null; onClose: () => void }) {
  const { t } = useI18n();
  if (!text) return null;
  return (
    <p className="notice" role="status">
      {text}
      <button type="button" className="icon-btn" onClick={onClose} aria-label={t('common.close')}>
        <span aria-hidden="true">×</span>
      </button>
    </p>
  );
}

/** An error a person must see (an action that failed), read out at once. */
export function ErrorLine({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="inline-error" role="alert">
      {text}
    </p>
  );
}

/** A list that could not be loaded: why, and a button to try again. */
export function LoadFailed({ error, onRetry, lead }: { error: unknown; onRetry: () => void; lead?: string }) {
  const i18n = useI18n();
  return (
    <div className="inline-error" role="alert">
      <p>
        {lead && `${lead} `}
        {describeError(error, i18n)}
      </p>
      <button type="button" className="btn btn--small" onClick={onRetry}>
        {i18n.t('common.retry')}
      </button>
    </div>
  );
}

/** The search box of a console table, labelled for screen readers. */
export function SearchField({
  label,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className="search-input"
        placeholder={placeholder ?? label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  );
}

export type ActiveFilterValue = '' | 'active' | 'inactive';

/** Active / deactivated / both, as a select. */
export function ActiveFilter({
  label,
  value,
  onChange,
  any,
  active,
  inactive,
}: {
  label: string;
  value: ActiveFilterValue;
  onChange: (value: ActiveFilterValue) => void;
  any: string;
  active: string;
  inactive: string;
}) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as ActiveFilterValue)}>
      <option value="">{any}</option>
      <option value="active">{active}</option>
      <option value="inactive">{inactive}</option>
    </select>
  );
}
