import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { homePathByRole } from '../app/homes';
import { useI18n } from '../i18n/i18n';
import { AccountMenu } from '../shell/AccountMenu';
import { AppBrand } from '../shell/AppBrand';
import { SyncStatusBar } from '../shell/SyncStatusBar';
import { type EventSummary, logout, selectEvent, useSession } from './session';

/** Choose the event to work on (after sign-in when there are several, or to switch later). */
export function EventChoiceScreen() {
  const i18n = useI18n();
  const { t, dateRange } = i18n;
  const session = useSession();
  const navigate = useNavigate();
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!session) return null;

  const choose = async (event: EventSummary) => {
    setError(null);
    if (session.event?.id === event.id && session.role) {
      navigate(homePathByRole[session.role]);
      return;
    }
    setBusyId(event.id);
    try {
      const next = await selectEvent(event.id);
      navigate(next.role ? homePathByRole[next.role] : '/events', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <div className="phone-layout">
      <header className="appbar">
        <AppBrand compact />
        <div className="appbar__titles">
          <span className="appbar__title">{t('events.title')}</span>
        </div>
        <AccountMenu />
      </header>
      <SyncStatusBar />
      <main id="main" className="phone-layout__main">
        <h1 className="page-title">{t('events.title')}</h1>
        {session.events.length === 0 ? (
          <div className="card empty">
            <p>{t('events.none')}</p>
            <button
              type="button"
              className="btn"
              onClick={() => void logout().then(() => navigate('/login', { replace: true }))}
            >
              {t('account.logout')}
            </button>
          </div>
        ) : (
          <>
            <p className="lead">{t('events.explain')}</p>
            {error instanceof ApiError && error.code === 'two_factor_enrolment_required' ? (
              // The event requires 2FA for this role: say so, and lead to where it is turned on.
              <div className="form-error" role="alert">
                <p>{t('security.enrolRequired')}</p>
                <button type="button" className="btn btn--primary" onClick={() => navigate('/account/security')}>
                  {t('security.menuLink')}
                </button>
              </div>
            ) : (
              error !== null && (
                <p className="form-error" role="alert">
                  {describeError(error, i18n)}
                </p>
              )
            )}
            <ul className="event-list">
              {session.events.map((e) => (
                <li key={e.id}>
                  <button
                    type="button"
                    className="event-choice"
                    onClick={() => void choose(e)}
                    disabled={busyId !== null}
                    aria-current={session.event?.id === e.id ? 'true' : undefined}
                  >
                    <span className="event-choice__swatch" style={{ background: e.primaryColor }} aria-hidden="true" />
                    <span className="event-choice__text">
                      <strong>{e.name}</strong>
                      <span>{dateRange(e.startsAt, e.endsAt)}</span>
                      <span>{e.venue}</span>
                    </span>
                    <span className="event-choice__role">
                      {busyId === e.id ? t('common.loading') : t(`role.${e.role}`)}
                      {session.event?.id === e.id && <em>{t('events.current')}</em>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </main>
    </div>
  );
}
