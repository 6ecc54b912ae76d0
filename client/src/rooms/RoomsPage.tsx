import type { RoomRecord } from '@makeplus/shared';
import { useEffect, useId, useState } from 'react';
import { describeError } from '../api/describeError';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import type { Page } from '../organizer/eventApi';
import { Dialog } from '../shell/Dialog';
import { RoomForm } from './RoomForm';
import { deleteRoom, listRooms } from './roomsApi';

type Editing = { mode: 'create' } | { mode: 'edit'; room: RoomRecord } | null;
type Loaded = { state: 'loading' } | { state: 'ready'; page: Page<RoomRecord> } | { state: 'failed'; error: unknown };

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return debounced;
}

/** Organizer › Rooms: search, create, edit and delete the event's rooms (live from the server). */
export function RoomsPage() {
  const i18n = useI18n();
  const { t, tn, number } = i18n;
  const session = useSession();
  const eventId = session?.event?.id ?? '';
  // Signing in again after an expired session loads the list again.
  const needsSignIn = session?.needsSignIn ?? false;
  const searchId = useId();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const [pageNo, setPageNo] = useState(1);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<RoomRecord | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search starts from the first page
  useEffect(() => setPageNo(1), [q]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey, and needsSignIn turning false, ask for a fresh copy
  useEffect(() => {
    if (!eventId) return;
    const controller = new AbortController();
    setLoaded((l) => (l.state === 'ready' ? l : { state: 'loading' }));
    listRooms(eventId, q, pageNo, controller.signal)
      .then((page) => setLoaded({ state: 'ready', page }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [eventId, q, pageNo, reloadKey, needsSignIn]);

  const reload = () => setReloadKey((k) => k + 1);
  const page = loaded.state === 'ready' ? loaded.page : null;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">{t('rooms.title')}</h1>
          <p className="muted" aria-live="polite">
            {page ? tn('rooms.count', page.total) : t('common.loading')}
          </p>
        </div>
        <button type="button" className="btn btn--primary" onClick={() => setEditing({ mode: 'create' })}>
          <span aria-hidden="true">+</span> {t('rooms.new')}
        </button>
      </div>

      <div className="toolbar">
        <label htmlFor={searchId} className="visually-hidden">
          {t('rooms.search')}
        </label>
        <input
          id={searchId}
          type="search"
          className="search-input"
          placeholder={t('rooms.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>

      {notice && (
        <p className="notice" role="status">
          {notice}
          <button type="button" className="icon-btn" onClick={() => setNotice(null)} aria-label={t('common.close')}>
            <span aria-hidden="true">×</span>
          </button>
        </p>
      )}

      {loaded.state === 'failed' && (
        <div className="inline-error" role="alert">
          <p>{describeError(loaded.error, i18n)}</p>
          <button type="button" className="btn btn--small" onClick={reload}>
            {t('common.retry')}
          </button>
        </div>
      )}

      {page && page.items.length === 0 && (
        <div className="empty card">
          <p>{q ? t('rooms.noMatch', { q }) : t('rooms.empty')}</p>
          {!q && (
            <button type="button" className="btn btn--primary" onClick={() => setEditing({ mode: 'create' })}>
              {t('rooms.new')}
            </button>
          )}
        </div>
      )}

      {page && page.items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-busy={loaded.state !== 'ready'}>
            <caption className="visually-hidden">{t('rooms.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rooms.field.name')}</th>
                <th scope="col">{t('rooms.field.location')}</th>
                <th scope="col" className="num">
                  {t('rooms.field.capacity')}
                </th>
                <th scope="col">{t('rooms.field.reentryPolicy')}</th>
                <th scope="col">{t('rooms.field.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((room) => (
                <tr key={room.id}>
                  <th scope="row" data-label={t('rooms.field.name')}>
                    {room.name}
                    {room.description && <span className="cell-sub">{room.description}</span>}
                  </th>
                  <td data-label={t('rooms.field.location')}>{room.location || '—'}</td>
                  <td data-label={t('rooms.field.capacity')} className="num">
                    {number(room.capacity)}
                  </td>
                  <td data-label={t('rooms.field.reentryPolicy')}>{t(`rooms.reentry.${room.reentryPolicy}`)}</td>
                  <td data-label={t('rooms.field.status')}>
                    <span className={`pill ${room.isActive ? 'pill--active' : 'pill--muted'}`}>
                      {room.isActive ? t('rooms.active') : t('rooms.inactive')}
                    </span>
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="btn btn--small"
                      onClick={() => setEditing({ mode: 'edit', room })}
                      aria-label={t('rooms.editNamed', { name: room.name })}
                    >
                      {t('common.edit')}
                    </button>
                    <button
                      type="button"
                      className="btn btn--small btn--danger-outline"
                      onClick={() => setDeleting(room)}
                      aria-label={t('rooms.deleteNamed', { name: room.name })}
                    >
                      {t('common.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {page && page.pages > 1 && (
        <nav className="pager" aria-label={t('common.pagination')}>
          <button type="button" className="btn btn--small" disabled={pageNo <= 1} onClick={() => setPageNo(pageNo - 1)}>
            {t('common.previous')}
          </button>
          <span>{t('common.pageOf', { page: page.page, pages: page.pages })}</span>
          <button
            type="button"
            className="btn btn--small"
            disabled={pageNo >= page.pages}
            onClick={() => setPageNo(pageNo + 1)}
          >
            {t('common.next')}
          </button>
        </nav>
      )}

      {editing && (
        <RoomForm
          eventId={eventId}
          {...(editing.mode === 'edit' ? { room: editing.room } : {})}
          onClose={() => setEditing(null)}
          onSaved={(room) => {
            setNotice(
              editing.mode === 'edit' ? t('rooms.saved', { name: room.name }) : t('rooms.created', { name: room.name }),
            );
            setEditing(null);
            reload();
          }}
        />
      )}
      {deleting && (
        <DeleteRoomDialog
          eventId={eventId}
          room={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setNotice(t('rooms.deleted', { name: deleting.name }));
            setDeleting(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

function DeleteRoomDialog({
  eventId,
  room,
  onClose,
  onDeleted,
}: {
  eventId: string;
  room: RoomRecord;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteRoom(eventId, room);
      onDeleted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('rooms.deleteTitle', { name: room.name })}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn--danger" onClick={() => void confirm()} disabled={busy}>
            {busy ? t('common.deleting') : t('rooms.deleteConfirm')}
          </button>
        </>
      }
    >
      <p>{t('rooms.deleteExplain')}</p>
      {error !== null && (
        <p className="form-error" role="alert">
          {describeError(error, i18n)}
        </p>
      )}
    </Dialog>
  );
}
