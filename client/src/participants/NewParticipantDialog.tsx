import { type ParticipantRecord, participantCreateInput } from '@makeplus/shared';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { localizedFieldErrors } from '../forms/fieldErrors';
import { useI18n } from '../i18n/i18n';
import { Dialog } from '../shell/Dialog';
import { createParticipant, type NewParticipant } from './participantsApi';

const FIELDS = ['firstName', 'lastName', 'email', 'phone', 'organization', 'category'] as const;

/** Register one person. Goes through the server (it links the account and signs the badge). */
export function NewParticipantDialog({
  eventId,
  onClose,
  onCreated,
}: {
  eventId: string;
  onClose: () => void;
  onCreated: (p: ParticipantRecord) => void;
}) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const id = useId();
  const [draft, setDraft] = useState<NewParticipant>({
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    organization: '',
    category: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    try {
      onCreated(await createParticipant(eventId, draft));
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const fe = localizedFieldErrors(err, participantCreateInput, { ...draft }, lang);
        setErrors(Object.fromEntries(Object.entries(fe).map(([k, v]) => [k.replace(/^body\./, ''), v])));
      }
      setFormError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('participants.newTitle')}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={id} className="btn btn--primary" disabled={busy}>
            {busy ? t('common.saving') : t('participants.create')}
          </button>
        </>
      }
    >
      <form id={id} className="form form--grid" onSubmit={(e) => void submit(e)} noValidate>
        {FIELDS.map((f) => (
          <div className="field" key={f}>
            <label htmlFor={`${id}-${f}`}>
              {t(`participants.field.${f}`)}
              {f === 'firstName' && <span className="required"> *</span>}
            </label>
            <input
              id={`${id}-${f}`}
              name={f}
              type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'}
              value={draft[f]}
              required={f === 'firstName'}
              aria-invalid={errors[f] ? true : undefined}
              onChange={(e) => setDraft({ ...draft, [f]: e.target.value })}
            />
            {errors[f] && <span className="field__error">{errors[f]}</span>}
          </div>
        ))}
        <p className="muted form--span">{t('participants.newExplain')}</p>
        {formError !== null && (
          <p className="form-error form--span" role="alert">
            {describeError(formError, i18n)}
          </p>
        )}
      </form>
    </Dialog>
  );
}
