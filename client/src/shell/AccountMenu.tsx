import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { logout, type Session, useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { syncNow, useSyncStatus } from '../sync/status';
import { Dialog } from './Dialog';
import { LanguageSwitch } from './LanguageSwitch';

export function displayName(session: Session): string {
  if (session.user) return `${session.user.firstName} ${session.user.lastName}`.trim() || session.user.email;
  return session.cashRegister?.name ?? session.email;
}

function initials(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** Who is signed in, the language, switching event and signing out. */
export function AccountMenu() {
  const { t, tn } = useI18n();
  const session = useSession();
  const { pending } = useSyncStatus();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [confirmLogout, setConfirmLogout] = useState(false);
  const [refuseLogout, setRefuseLogout] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (!session) return null;
  const name = displayName(session);

  const signOut = async () => {
    setConfirmLogout(false);
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <div className="account-menu" ref={rootRef}>
      <button
        type="button"
        className="account-menu__button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(name)}
        </span>
        <span className="account-menu__name">{name}</span>
        <span className="visually-hidden">{t('account.menu')}</span>
      </button>
      <div id={panelId} className="account-menu__panel" hidden={!open}>
        <p className="account-menu__who">
          <strong>{name}</strong>
          <span className="muted">{session.email}</span>
          {session.role && <span className="muted">{t(`role.${session.role}`)}</span>}
        </p>
        <LanguageSwitch />
        {session.subject === 'user' && (
          <button
            type="button"
            className="btn btn--block"
            onClick={() => {
              setOpen(false);
              navigate('/account/security');
            }}
          >
            {t('security.menuLink')}
          </button>
        )}
        {session.events.length > 1 && (
          <button
            type="button"
            className="btn btn--block"
            onClick={() => {
              setOpen(false);
              navigate('/events');
            }}
          >
            {t('account.switchEvent')}
          </button>
        )}
        <button
          type="button"
          className="btn btn--block btn--danger-outline"
          onClick={() => {
            setOpen(false);
            if (pending > 0 && session.role === 'exhibitor') setRefuseLogout(true);
            else if (pending > 0) setConfirmLogout(true);
            else void signOut();
          }}
        >
          {t('account.logout')}
        </button>
      </div>
      {confirmLogout && (
        <Dialog
          title={t('account.logoutConfirmTitle')}
          onClose={() => setConfirmLogout(false)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setConfirmLogout(false)}>
                {t('common.cancel')}
              </button>
              <button type="button" className="btn btn--danger" onClick={() => void signOut()}>
                {t('account.logout')}
              </button>
            </>
          }
        >
          <p>{tn('account.logoutPending', pending)}</p>
        </Dialog>
      )}
      {refuseLogout && (
        // A stand's leads exist only on this device until synced: signing out is refused, not just confirmed.
        <Dialog
          title={t('leads.logoutRefusedTitle')}
          onClose={() => setRefuseLogout(false)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setRefuseLogout(false)}>
                {t('common.close')}
              </button>
              <button type="button" className="btn btn--primary" onClick={() => void syncNow().catch(() => {})}>
                {t('leads.syncNow')}
              </button>
            </>
          }
        >
          <p>{tn('leads.logoutRefused', pending)}</p>
        </Dialog>
      )}
    </div>
  );
}
