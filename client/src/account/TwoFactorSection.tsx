import type { TwoFactorStatus } from '@makeplus/shared';
import QRCode from 'qrcode';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { describeError } from '../api/describeError';
import { useI18n } from '../i18n/i18n';
import { securityApi } from './securityApi';

type Step =
  | { kind: 'idle' }
  | { kind: 'password' }
  | { kind: 'scan'; secret: string; qr: string }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'disable' };

/** Turn TOTP on (QR code, confirmation code, recovery codes shown once) or off (password + code). */
export function TwoFactorSection({ onChanged }: { onChanged?: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    securityApi.status().then(setStatus, (err) => setError(describeError(err, i18n)));
  }, [i18n]);
  useEffect(() => reload(), [reload]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await work();
    } catch (err) {
      setError(describeError(err, i18n));
    } finally {
      setBusy(false);
    }
  };

  const startSetup = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const { secret, otpauthUri } = await securityApi.setup(password);
      const qr = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
      setPassword('');
      setCode('');
      setStep({ kind: 'scan', secret, qr });
    });
  };
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const { recoveryCodes } = await securityApi.confirm(code.trim());
      setCode('');
      setStep({ kind: 'codes', codes: recoveryCodes });
      setMessage(t('security.2fa.enabled'));
      reload();
      // Turning 2FA on signed the other devices out: the lists around show it.
      onChanged?.();
    });
  };
  const disable = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await securityApi.disable(password, code.trim());
      setPassword('');
      setCode('');
      setStep({ kind: 'idle' });
      setMessage(t('security.2fa.disabled'));
      reload();
    });
  };
  const regenerate = () =>
    void run(async () => {
      const { recoveryCodes } = await securityApi.regenerate(password, code.trim());
      setPassword('');
      setCode('');
      setStep({ kind: 'codes', codes: recoveryCodes });
      reload();
    });

  const passwordField = (
    <div className="field">
      <label htmlFor={`${id}-password`}>{t('security.password')}</label>
      <input
        id={`${id}-password`}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
    </div>
  );
  const codeField = (
    <div className="field">
      <label htmlFor={`${id}-code`}>{t('security.code')}</label>
      <input
        id={`${id}-code`}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={20}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        required
      />
    </div>
  );
  const cancel = (
    <button type="button" className="btn" onClick={() => setStep({ kind: 'idle' })}>
      {t('security.2fa.cancel')}
    </button>
  );

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('security.2fa.title')}</h2>
      {status && (
        <p data-testid="two-factor-status">
          {status.enabled
            ? t('security.2fa.on', {
                date: status.enabledAt ? i18n.dateTime(status.enabledAt) : '—',
                count: status.recoveryCodesLeft,
              })
            : t('security.2fa.off')}
        </p>
      )}
      {message && (
        <p className="form-success" role="status">
          {message}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      {step.kind === 'idle' && status && !status.enabled && (
        <button type="button" className="btn btn--primary" onClick={() => setStep({ kind: 'password' })}>
          {t('security.2fa.start')}
        </button>
      )}
      {step.kind === 'idle' && status?.enabled && (
        <button type="button" className="btn btn--danger-outline" onClick={() => setStep({ kind: 'disable' })}>
          {t('security.2fa.disable')}
        </button>
      )}

      {step.kind === 'password' && (
        <form className="form" onSubmit={startSetup} aria-busy={busy}>
          {passwordField}
          <div className="form-actions">
            {cancel}
            <button type="submit" className="btn btn--primary" disabled={busy || !password}>
              {t('security.2fa.start')}
            </button>
          </div>
        </form>
      )}

      {step.kind === 'scan' && (
        <form className="form" onSubmit={confirm} aria-busy={busy}>
          <p>{t('security.2fa.scan')}</p>
          <img src={step.qr} alt={t('security.2fa.qrAlt')} width={240} height={240} className="totp-qr" />
          <p className="muted">
            {t('security.2fa.secretLabel')} <code data-testid="totp-secret">{step.secret}</code>
          </p>
          {codeField}
          <div className="form-actions">
            {cancel}
            <button type="submit" className="btn btn--primary" disabled={busy || !code.trim()}>
              {t('security.2fa.confirm')}
            </button>
          </div>
        </form>
      )}

      {step.kind === 'codes' && (
        <div>
          <h3>{t('security.2fa.codesTitle')}</h3>
          <p>{t('security.2fa.codesHelp')}</p>
          <ol className="recovery-codes" data-testid="recovery-codes">
            {step.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          <div className="form-actions">
            <button
              type="button"
              className="btn"
              onClick={() => void navigator.clipboard?.writeText(step.codes.join('\n')).catch(() => {})}
            >
              {t('security.2fa.codesCopy')}
            </button>
            <button type="button" className="btn btn--primary" onClick={() => setStep({ kind: 'idle' })}>
              {t('security.2fa.codesDone')}
            </button>
          </div>
        </div>
      )}

      {step.kind === 'disable' && (
        <form className="form" onSubmit={disable} aria-busy={busy}>
          <p className="muted">{t('security.2fa.disableHelp')}</p>
          {passwordField}
          {codeField}
          <div className="form-actions">
            {cancel}
            <button type="button" className="btn" disabled={busy || !password || !code.trim()} onClick={regenerate}>
              {t('security.2fa.regenerate')}
            </button>
            <button type="submit" className="btn btn--danger" disabled={busy || !password || !code.trim()}>
              {t('security.2fa.disable')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
