import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { z } from 'zod';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { localizedFieldErrors } from '../forms/fieldErrors';
import { useI18n } from '../i18n/i18n';
import { Dialog } from '../shell/Dialog';

export type FieldErrors = Record<string, string>;

interface SubmitDialogProps {
  title: string;
  submitLabel: string;
  onClose: () => void;
  /** Does the work; a thrown ApiError with fields is shown next to each field. */
  onSubmit: () => Promise<void>;
  /** The schema the server checks, to word its field errors in the person's language. */
  schema?: z.ZodType;
  /** What was sent (for those messages). */
  sent?: () => object;
  /** Errors found before sending (e.g. an amount that is not one); the request is not made. */
  check?: () => FieldErrors;
  size?: 'narrow' | 'wide';
  danger?: boolean;
  children: (errors: FieldErrors, ids: (name: string) => FieldIds) => ReactNode;
}

export interface FieldIds {
  id: string;
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * A console form in a dialog: submit, busy state, the server's field errors next to their fields
 * (focus moves to the first one), any other failure said plainly above the form.
 */
export function SubmitDialog({
  title,
  submitLabel,
  onClose,
  onSubmit,
  schema,
  sent,
  check,
  size = 'narrow',
  danger,
  children,
}: SubmitDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    const first = Object.keys(errors)[0];
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }, [errors]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const found = check?.() ?? {};
    setErrors(found);
    if (Object.keys(found).length) {
      setFormError(t('error.validation'));
      return;
    }
    setBusy(true);
    try {
      await onSubmit();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) {
        setErrors(
          schema
            ? localizedFieldErrors(err, schema, (sent?.() ?? {}) as Record<string, unknown>, lang)
            : err.fieldReasons(),
        );
        setFormError(err.status === 400 ? t('error.validation') : describeError(err, i18n));
      } else {
        setFormError(describeError(err, i18n));
      }
    } finally {
      setBusy(false);
    }
  };

  const ids = (name: string): FieldIds => ({
    id: `${id}-${name}`,
    name,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `${id}-${name}-error` : undefined,
  });

  return (
    <Dialog
      title={title}
      onClose={onClose}
      size={size}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form={`${id}-form`}
            className={danger ? 'btn btn--danger' : 'btn btn--primary'}
            disabled={busy}
          >
            {busy ? t('common.saving') : submitLabel}
          </button>
        </>
      }
    >
      <form id={`${id}-form`} ref={formRef} className="form form--grid" onSubmit={(e) => void submit(e)} noValidate>
        {formError && (
          <p className="form-error form--span" role="alert">
            {formError}
          </p>
        )}
        {children(errors, ids)}
      </form>
    </Dialog>
  );
}

/** One labelled field of a SubmitDialog, with its hint and its error. */
export function FormField({
  ids,
  label,
  error,
  hint,
  required,
  wide,
  children,
}: {
  ids: FieldIds;
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wide ? 'field form--span' : 'field'}>
      <label htmlFor={ids.id}>
        {label} {required && <span className="required">*</span>}
      </label>
      {children}
      {hint && <p className="field__hint">{hint}</p>}
      {error && (
        <p className="field__error" id={`${ids.id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
