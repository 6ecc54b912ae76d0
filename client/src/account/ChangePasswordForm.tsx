import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { useI18n } from '../i18n/i18n';
import { securityApi } from './securityApi';

/**
 * Change the password (the current one is needed); every other device is signed out. Used by the
 * account security page and the participant's account tab.
 */
export function ChangePasswordForm() {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await securityApi.changePassword(current, next);
      setCurrent('');
      setNext('');
      setResult({ ok: true, text: t('security.passwordForm.done') });
    } catch (err) {
      // The server names the rule broken ("too common, choose another", "at least 10 characters").
      const reason = err instanceof ApiError ? Object.values(err.fieldReasons())[0] : undefined;
      setResult({ ok: false, text: reason ? `${describeError(err, i18n)} (${reason})` : describeError(err, i18n) });
    }
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('security.passwordForm.title')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-current`}>{t('security.password')}</label>
          <input
            id={`${id}-current`}
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-new`}>{t('security.passwordForm.new')}</label>
          <input
            id={`${id}-new`}
            type="password"
            autoComplete="new-password"
            minLength={10}
            value={next}
            onChange={(e) => setNext(e.target.value)}
            aria-describedby={`${id}-help`}
            required
          />
          <small id={`${id}-help`} className="muted">
            {t('security.passwordForm.help')}
          </small>
        </div>
        {result && (
          <p className={result.ok ? 'form-success' : 'form-error'} role={result.ok ? 'status' : 'alert'}>
            {result.text}
          </p>
        )}
        <button type="submit" className="btn btn--primary" disabled={!current || next.length < 10}>
          {t('security.passwordForm.submit')}
        </button>
      </form>
    </section>
  );
}
