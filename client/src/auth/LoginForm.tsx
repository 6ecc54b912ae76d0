import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/describeError';
import { useI18n } from '../i18n/i18n';
import { login, type Session } from './session';

interface LoginFormProps {
  /** Signing in again as a known account: the email is shown but cannot change. */
  lockedEmail?: string;
  onSignedIn: (session: Session) => void;
}

export function LoginForm({ lockedEmail, onSignedIn }: LoginFormProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const [email, setEmail] = useState(lockedEmail ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await login(email, password));
    } catch (err) {
      setError(describeError(err, i18n));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form login-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <div className="field">
        <label htmlFor={`${id}-email`}>{t('login.email')}</label>
        <input
          id={`${id}-email`}
          type="email"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={email}
          readOnly={lockedEmail !== undefined}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>{t('login.password')}</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
        {busy ? t('login.submitting') : t('login.submit')}
      </button>
    </form>
  );
}
