import type { RoomRecord } from '@makeplus/shared';
import { useEffect, useId, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { matchesQuery, useLocalRecords } from '../organizer/localRecords';
import { ConfirmDeleteDialog } from '../shell/ConfirmDeleteDialog';
import { removeRecord } from '../sync/localWrites';
import { RoomForm } from './RoomForm';

type Editing = { mode: 'create' } | { mode: 'edit'; room: RoomRecord } | null;

export const ROOMS_PAGE_SIZE = 50;

/**
 * Organizer › Rooms: search, create, edit and delete the event's rooms. They are read from and
 * written to this device's database (they sync), so the page works offline like the rest of the console.
 */
export function RoomsPage() {
  const i18n = useI18n();
  const { t, tn, number } = i18n;
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [pageNo, setPageNo] = useState(1);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<RoomRecord | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { records, docOf } = useLocalRecords('rooms');
  const q = search.trim();

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search starts from the first page
  useEffect(() => setPageNo(1), [q]);

  const page = useMemo(() => {
    if (!records) return null;
    const matching = records
      .filter((r) => matchesQuery(q, r.name, r.location, r.description))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
    const pages = Math.max(1, Math.ceil(matching.length / ROOMS_PAGE_SIZE));
    const current = Math.min(pageNo, pages);
    return {
      items: matching.slice((current - 1) * ROOMS_PAGE_SIZE, current * ROOMS_PAGE_SIZE),
      total: matching.length,
      page: current,
      pages,
    };
  }, [records, q, pageNo]);

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
          <table className="data-table">
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
          {...(editing.mode === 'edit' ? { room: editing.room } : {})}
          onClose={() => setEditing(null)}
          onSaved={(room) => {
            setNotice(
              editing.mode === 'edit' ? t('rooms.saved', { name: room.name }) : t('rooms.created', { name: room.name }),
            );
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmDeleteDialog
          title={t('rooms.deleteTitle', { name: deleting.name })}
          explain={t('rooms.deleteExplain')}
          confirmLabel={t('rooms.deleteConfirm')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const doc = docOf(deleting.id);
            if (!doc) throw new Error(t('rooms.gone'));
            await removeRecord(doc);
            setNotice(t('rooms.deleted', { name: deleting.name }));
            setDeleting(null);
          }}
        />
      )}
    </div>
  );
}
