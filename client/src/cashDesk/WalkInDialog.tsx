import { newId, type ParticipantRecord, participantFields } from '@makeplus/shared';
import { type FormEvent, useState } from 'react';
import { z } from 'zod';
import { useI18n } from '../i18n/i18n';
import { Dialog } from '../shell/Dialog';
import { createRecord } from '../sync/localWrites';
import { type DeviceKeyState, signWalkInBadge } from './deviceKey';
import type { CashDeskData } from './useCashDeskData';

const walkInInput = z.object({
  firstName: participantFields.firstName,
  lastName: participantFields.lastName,
  email: participantFields.email,
  phone: participantFields.phone,
  organization: participantFields.organization,
});

/**
 * Register a person at the door, offline: a participant with an id made here and a badge signed by
 * this tablet's key, which every door accepts before any sync (the key is in their trust list).
 */
export function WalkInDialog({
  data,
  deviceKey,
  onClose,
  onCreated,
}: {
  data: CashDeskData;
  deviceKey: DeviceKeyState;
  onClose: () => void;
  onCreated: (p: ParticipantRecord) => void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState({ firstName: '', lastName: '', email: '', phone: '', organization: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof typeof values, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = walkInInput.safeParse(values);
    if (!parsed.success) {
      const out: Partial<Record<keyof typeof values, string>> = {};
      for (const issue of parsed.error.issues) {
        const k = issue.path[0] as keyof typeof values;
        out[k] =
          k === 'email'
            ? t('cashDesk.walkIn.badEmail')
            : k === 'firstName'
              ? t('cashDesk.walkIn.needFirstName')
              : issue.message;
      }
      setErrors(out);
      return;
    }
    setErrors({});
    const input = parsed.data;
    const email = input.email.toLowerCase();
    if (email && data.participants.some((p) => !p.deleted && p.email.toLowerCase() === email)) {
      setErrors({ email: t('cashDesk.walkIn.emailTaken') });
      return;
    }
    const key = deviceKey.key;
    if (!key) {
      setFailure(t('cashDesk.walkIn.noKey'));
      return;
    }
    setBusy(true);
    try {
      const id = newId();
      const name = `${input.firstName} ${input.lastName}`.trim();
      const badgeCode = signWalkInBadge(key, { participantId: id, eventId: data.store.eventId, name });
      const created = await createRecord(data.store, 'participants', {
        id,
        ...input,
        email,
        category: '',
        allowedRoomIds: null,
        userId: null,
        userLegacyId: 0,
        legacyId: 0,
        badgeCode,
        legacyBadgeId: '',
        source: 'walk_in',
      });
      onCreated(created as ParticipantRecord);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof typeof values, label: string, type = 'text', required = false) => (
    <div className="field">
      <label htmlFor={`walkin-${k}`}>
        {label}
        {required && <span className="required"> *</span>}
      </label>
      <input
        id={`walkin-${k}`}
        type={type}
        value={values[k]}
        onChange={set(k)}
        aria-invalid={errors[k] ? true : undefined}
        autoComplete="off"
      />
      {errors[k] && <p className="field__error">{errors[k]}</p>}
    </div>
  );

  return (
    <Dialog
      title={t('cashDesk.walkIn.title')}
      onClose={onClose}
      actions={
        <button type="submit" form="walkin-form" className="btn btn--primary cash-big" disabled={busy}>
          {t('cashDesk.walkIn.submit')}
        </button>
      }
    >
      <form id="walkin-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        {field('firstName', t('cashDesk.walkIn.firstName'), 'text', true)}
        {field('lastName', t('cashDesk.walkIn.lastName'))}
        {field('email', t('cashDesk.walkIn.email'), 'email')}
        {field('phone', t('cashDesk.walkIn.phone'), 'tel')}
        {field('organization', t('cashDesk.walkIn.organization'))}
        {!deviceKey.key?.enrolledAt && <p className="banner banner--warning">{t('cashDesk.walkIn.notEnrolled')}</p>}
        {failure && (
          <p className="inline-error" role="alert">
            {failure}
          </p>
        )}
      </form>
    </Dialog>
  );
}
