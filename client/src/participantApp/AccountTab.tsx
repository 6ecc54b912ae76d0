import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ChangePasswordForm } from '../account/ChangePasswordForm';
import { authorizedFetch, logout, useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { displayName } from '../shell/AccountMenu';
import { Dialog } from '../shell/Dialog';
import { ProfileForm } from './ProfileForm';

async function failure(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: string };
    return body.message ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/** My account: profile (names, phone), password, my data, deleting the account (these need the network). */
export function AccountTab() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deletePassword, setDeletePassword] = useState('');
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!session) return null;

  const guard = () => {
    if (navigator.onLine) return true;
    setMessage({ ok: false, text: t('me.account.needOnline') });
    return false;
  };

  const exportData = async () => {
    if (!guard()) return;
    try {
      const res = await authorizedFetch('/api/v1/auth/me/export');
      if (!res.ok) throw new Error(await failure(res));
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `makeplus-mes-donnees-${new Date().toISOString().slice(0, 10)}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setMessage({
        ok: false,
        text: t('me.account.failed', { message: err instanceof Error ? err.message : String(err) }),
      });
    }
  };

  const deleteAccount = async () => {
    if (!navigator.onLine) return setDeleteError(t('me.account.needOnline'));
    setBusy(true);
    setDeleteError(null);
    try {
      const res = await authorizedFetch('/api/v1/auth/me', {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: deletePassword }),
      });
      if (!res.ok) throw new Error(await failure(res));
      await logout().catch(() => {});
      navigate('/login', { replace: true });
    } catch (err) {
      setDeleteError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label={t('me.tab.account')} className="me-account">
      {session.user ? (
        <ProfileForm session={session} />
      ) : (
        <section className="card">
          <h2>{t('me.account.profile')}</h2>
          <dl>
            <dt>{t('me.account.name')}</dt>
            <dd>{displayName(session)}</dd>
          </dl>
        </section>
      )}
      {message && (
        <p className={`banner ${message.ok ? 'banner--ok' : 'banner--error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <ChangePasswordForm />
      <section className="card">
        <h2>{t('me.account.export')}</h2>
        <p className="muted">{t('me.account.exportExplain')}</p>
        <button type="button" className="btn btn--block" onClick={() => void exportData()}>
          {t('me.account.export')}
        </button>
      </section>
      <section className="card">
        <h2>{t('me.account.delete')}</h2>
        <p className="muted">{t('me.account.deleteExplain')}</p>
        <button type="button" className="btn btn--block btn--danger-outline" onClick={() => setConfirmDelete(true)}>
          {t('me.account.delete')}
        </button>
      </section>
      {confirmDelete && (
        <Dialog
          title={t('me.account.delete')}
          onClose={() => setConfirmDelete(false)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setConfirmDelete(false)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="btn btn--danger"
                disabled={busy || !deletePassword}
                onClick={() => void deleteAccount()}
              >
                {t('me.account.deleteConfirm')}
              </button>
            </>
          }
        >
          <p>{t('me.account.deleteExplain')}</p>
          <div className="field">
            <label htmlFor="pw-delete">{t('me.account.current')}</label>
            <input
              id="pw-delete"
              type="password"
              autoComplete="current-password"
              value={deletePassword}
              onChange={(e) => setDeletePassword(e.target.value)}
            />
          </div>
          {deleteError && (
            <p className="banner banner--error" role="alert">
              {deleteError}
            </p>
          )}
        </Dialog>
      )}
    </section>
  );
}
