import type { UserPublic } from '@makeplus/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, apiJson, type Session, updateSessionUser } from '../auth/session';
import { useI18n } from '../i18n/i18n';

type Field = 'firstName' | 'lastName' | 'phone';

/** My profile: names and phone (the email is the login and stays). Needs the network. */
export function ProfileForm({ session }: { session: Session }) {
  const { t } = useI18n();
  const user = session.user;
  const [values, setValues] = useState<Record<Field, string>>({
    firstName: user?.firstName ?? '',
    lastName: user?.lastName ?? '',
    phone: user?.phone ?? '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!user) return null;

  const changed = (Object.keys(values) as Field[]).filter((k) => values[k].trim() !== (user[k] ?? ''));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    if (!navigator.onLine) return setMessage({ ok: false, text: t('me.account.needOnline') });
    if (!changed.length) return;
    setBusy(true);
    try {
      const body = Object.fromEntries(changed.map((k) => [k, values[k].trim()]));
      const res = await apiJson<{ user: UserPublic }>('/api/v1/auth/me', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      updateSessionUser(res.user);
      setValues({ firstName: res.user.firstName, lastName: res.user.lastName, phone: res.user.phone });
      setMessage({ ok: true, text: t('me.profile.saved') });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldReasons());
      setMessage({
        ok: false,
        text: t('me.account.failed', { message: err instanceof Error ? err.message : String(err) }),
      });
    } finally {
      setBusy(false);
    }
  };

  const input = (field: Field, label: string, extra: { type?: string; autoComplete: string; required?: boolean }) => (
    <div className="field">
      <label htmlFor={`profile-${field}`}>{label}</label>
      <input
        id={`profile-${field}`}
        type={extra.type ?? 'text'}
        autoComplete={extra.autoComplete}
        required={extra.required}
        maxLength={field === 'phone' ? 40 : 150}
        value={values[field]}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `profile-${field}-error` : undefined}
        onChange={(e) => setValues({ ...values, [field]: e.target.value })}
      />
      {errors[field] && (
        <p id={`profile-${field}-error`} className="field__error">
          {errors[field]}
        </p>
      )}
    </div>
  );

  return (
    <form className="card" onSubmit={save} aria-label={t('me.account.profile')}>
      <h2>{t('me.account.profile')}</h2>
      <dl>
        <dt>{t('me.account.email')}</dt>
        <dd>{user.email}</dd>
      </dl>
      {input('firstName', t('me.profile.firstName'), { autoComplete: 'given-name', required: true })}
      {input('lastName', t('me.profile.lastName'), { autoComplete: 'family-name' })}
      {input('phone', t('me.profile.phone'), { type: 'tel', autoComplete: 'tel' })}
      {message && (
        <p className={`banner ${message.ok ? 'banner--ok' : 'banner--error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <button type="submit" className="btn btn--primary btn--block" disabled={busy || !changed.length}>
        {t('me.profile.save')}
      </button>
    </form>
  );
}
