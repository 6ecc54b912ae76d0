import { dynamicEventStatus } from '@makeplus/shared';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { homePathByRole } from '../app/homes';
import { logout, selectEvent, useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../organizer/DataTable';
import { ConfirmDeleteDialog } from '../shell/ConfirmDeleteDialog';
import '../organizer/organizer.css';
import './events.css';
import { deleteEvent, listMyEvents, type MyEvent, releaseEventTokens } from './eventAdminApi';

type Loaded = { state: 'loading' } | { state: 'ready'; items: MyEvent[] } | { state: 'failed'; error: unknown };

/** Organizer › Events: my events with their lifecycle status; create, edit and delete (with confirmation). */
export function EventsPage() {
  const i18n = useI18n();
  const { t, tn, dateRange } = i18n;
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);
  const [deleting, setDeleting] = useState<MyEvent | null>(null);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const [opening, setOpening] = useState<string | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);

  /** Work on another of my events (a new one just created included): tokens bound to it, then its home. */
  const open = async (e: MyEvent) => {
    setOpenError(null);
    setOpening(e.id);
    try {
      const next = await selectEvent(e.id);
      navigate(next.role ? homePathByRole[next.role] : '/events');
    } catch (err) {
      setOpenError(err);
    } finally {
      setOpening(null);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey asks for a fresh copy
  useEffect(() => {
    const controller = new AbortController();
    listMyEvents(controller.signal)
      .then((page) => setLoaded({ state: 'ready', items: page.items }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [reloadKey]);

  const now = new Date();
  const columns: Column<MyEvent>[] = [
    {
      key: 'name',
      label: t('eventAdmin.field.name'),
      rowHeader: true,
      sortValue: (e) => e.name,
      render: (e) => (
        <>
          {e.name}
          {e.id === session?.event?.id && <span className="cell-sub">{t('eventAdmin.current')}</span>}
        </>
      ),
    },
    {
      key: 'dates',
      label: t('eventAdmin.field.dates'),
      sortValue: (e) => e.startsAt,
      render: (e) => dateRange(e.startsAt, e.endsAt),
    },
    { key: 'venue', label: t('eventAdmin.field.venue'), sortValue: (e) => e.venue, render: (e) => e.venue || '—' },
    {
      key: 'status',
      label: t('eventAdmin.field.status'),
      sortValue: (e) => dynamicEventStatus(e, now),
      render: (e) => {
        const s = dynamicEventStatus(e, now);
        return <span className={`pill pill--${s}`}>{t(`event.status.${s}`)}</span>;
      },
    },
    { key: 'role', label: t('eventAdmin.field.role'), sortValue: (e) => e.role, render: (e) => t(`role.${e.role}`) },
  ];
  const items = loaded.state === 'ready' ? loaded.items : null;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">{t('eventAdmin.title')}</h1>
          <p className="muted" aria-live="polite">
            {items ? tn('eventAdmin.count', items.length) : t('common.loading')}
          </p>
        </div>
        <Link className="btn btn--primary" to="/organizer/events/new">
          <span aria-hidden="true">+</span> {t('eventAdmin.new')}
        </Link>
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
          <button type="button" className="icon-btn" onClick={() => setNotice(null)} aria-label={t('common.close')}>
            <span aria-hidden="true">×</span>
          </button>
        </p>
      )}
      {openError !== null && (
        <p className="inline-error" role="alert">
          {openError instanceof ApiError && openError.code === 'two_factor_enrolment_required'
            ? t('security.enrolRequired')
            : describeError(openError, i18n)}
        </p>
      )}
      {loaded.state === 'failed' && (
        <div className="inline-error" role="alert">
          <p>{describeError(loaded.error, i18n)}</p>
          <button type="button" className="btn btn--small" onClick={() => setReloadKey((k) => k + 1)}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {items && (
        <DataTable
          caption={t('eventAdmin.title')}
          rows={items}
          columns={columns}
          rowKey={(e) => e.id}
          initialSort={{ key: 'dates', dir: 'desc' }}
          empty={<p>{t('eventAdmin.empty')}</p>}
          actions={(e) => (
            <>
              {e.id !== session?.event?.id && (
                <button
                  type="button"
                  className="btn btn--small btn--primary"
                  onClick={() => void open(e)}
                  disabled={opening !== null}
                  aria-label={t('eventAdmin.openNamed', { name: e.name })}
                >
                  {opening === e.id ? t('common.loading') : t('eventAdmin.open')}
                </button>
              )}
              {e.role === 'organizer' && (
                <>
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => navigate(`/organizer/events/${e.id}/edit`)}
                    aria-label={t('eventAdmin.editNamed', { name: e.name })}
                  >
                    {t('common.edit')}
                  </button>
                  <button
                    type="button"
                    className="btn btn--small btn--danger-outline"
                    onClick={() => setDeleting(e)}
                    aria-label={t('eventAdmin.deleteNamed', { name: e.name })}
                  >
                    {t('common.delete')}
                  </button>
                </>
              )}
            </>
          )}
        />
      )}
      {deleting && (
        <ConfirmDeleteDialog
          title={t('eventAdmin.deleteTitle', { name: deleting.name })}
          explain={t('eventAdmin.deleteExplain')}
          confirmLabel={t('eventAdmin.deleteConfirm')}
          describeFailure={(err) =>
            err instanceof ApiError && err.code === 'has_sales' ? t('eventAdmin.hasSales') : null
          }
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteEvent(deleting);
            await releaseEventTokens();
            const name = deleting.name;
            setDeleting(null);
            // The event open on this device is gone: move to another of mine, or sign out.
            if (deleting.id === session?.event?.id) {
              const other = items?.find((e) => e.id !== deleting.id);
              if (other) await selectEvent(other.id).catch(() => navigate('/events'));
              else {
                await logout();
                navigate('/login', { replace: true });
                return;
              }
            }
            setNotice(t('eventAdmin.deleted', { name }));
            setReloadKey((k) => k + 1);
          }}
        />
      )}
    </div>
  );
}
