import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { type I18n, useI18n } from '../i18n/i18n';
import { completeTwoFactor, login, type Session, TwoFactorRequiredError } from './session';

/** Sign-in errors of account security (lockout, the 2FA step) in the person's words; others as usual. */
function describeSignInError(err: unknown, i18n: I18n): string {
  if (err instanceof ApiError) {
    if (err.status === 429) {
      const seconds = Number(err.body.retryAfterSeconds ?? 60);
      return i18n.t('security.login.locked', { seconds });
    }
    if (err.code === 'invalid_two_factor_code') return i18n.t('security.login.wrongCode');
    if (err.code === 'challenge_expired') return i18n.t('security.login.challengeExpired');
  }
  return describeError(err, i18n);
}

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
  const [challenge, setChallenge] = useState<TwoFactorRequiredError | null>(null);
  const [code, setCode] = useState('');

  const submitCode = async (e: FormEvent) => {
    e.preventDefault();
    if (!challenge || !code.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await completeTwoFactor(challenge, code.trim()));
    } catch (err) {
      setError(describeSignInError(err, i18n));
      setCode('');
      if (err instanceof ApiError && (err.code === 'challenge_expired' || err.status === 429)) setChallenge(null);
    } finally {
      setBusy(false);
    }
  };

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
      if (err instanceof TwoFactorRequiredError) {
        setChallenge(err);
        setCode('');
        setPassword('');
        return;
      }
      setError(describeSignInError(err, i18n));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  if (challenge) {
    return (
      <form className="form login-form" onSubmit={(e) => void submitCode(e)} noValidate aria-busy={busy}>
        <h2>{t('security.login.codeTitle')}</h2>
        <p className="muted">{t('security.login.codeHelp')}</p>
        <div className="field">
          <label htmlFor={`${id}-code`}>{t('security.code')}</label>
          <input
            id={`${id}-code`}
            inputMode="numeric"
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            // biome-ignore lint/a11y/noAutofocus: the only field of this step, right after the password
            autoFocus
            maxLength={20}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy || !code.trim()}>
          {busy ? t('login.submitting') : t('security.login.codeSubmit')}
        </button>
        <button
          type="button"
          className="btn btn--block"
          onClick={() => {
            setChallenge(null);
            setError(null);
          }}
        >
          {t('security.login.codeBack')}
        </button>
      </form>
    );
  }

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
