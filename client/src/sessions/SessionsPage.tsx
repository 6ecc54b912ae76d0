import { formatMoney, type RoomRecord, type SessionRecord, type SessionStatus } from '@makeplus/shared';
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../organizer/DataTable';
import { matchesQuery, useLocalRecords } from '../organizer/localRecords';
import '../organizer/organizer.css';
import { Dialog } from '../shell/Dialog';
import { useDeviceStore } from '../sync/DeviceSync';
import { editRecord, removeRecord } from '../sync/localWrites';
import { SessionForm } from './SessionForm';
import { localDay, scheduleDays, swappedTimes } from './sessionTimes';

type View = 'schedule' | 'list';

const statusPill: Record<SessionStatus, string> = {
  not_started: 'pill--upcoming',
  live: 'pill--active',
  finished: 'pill--muted',
  cancelled: 'pill--cancelled',
};

/**
 * Organizer › Sessions: the programme by day and room (or as a table), every field of a session,
 * start / end / cancel, swap two sessions' times. Read and written on this device, synced.
 */
export function SessionsPage() {
  const i18n = useI18n();
  const { t, tn, lang } = i18n;
  const store = useDeviceStore();
  const { records: sessions, docOf } = useLocalRecords('sessions');
  const { records: rooms } = useLocalRecords('rooms');
  const currency = useLocalRecords('events').records?.[0]?.currency ?? 'DZD';
  const [view, setView] = useState<View>('schedule');
  const [day, setDay] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<{ session?: SessionRecord } | null>(null);
  const [deleting, setDeleting] = useState<SessionRecord | null>(null);
  const [swapFrom, setSwapFrom] = useState<SessionRecord | null>(null);
  const [swapPair, setSwapPair] = useState<[SessionRecord, SessionRecord] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const activeRooms = useMemo(() => [...(rooms ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [rooms]);
  const visible = useMemo(
    () =>
      (sessions ?? []).filter((s) =>
        matchesQuery(q, s.title, s.speakerName, s.theme, t(`sessions.type.${s.sessionType}`)),
      ),
    [sessions, q, t],
  );
  const days = useMemo(() => scheduleDays(sessions ?? []), [sessions]);
  const currentDay = day && days.includes(day) ? day : (days[0] ?? null);
  const roomName = (id: string) => rooms?.find((r) => r.id === id)?.name ?? '—';
  const time = (iso: string) => new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  const dayLabel = (d: string) =>
    new Date(`${d}T12:00`).toLocaleDateString(lang, { weekday: 'long', day: 'numeric', month: 'long' });

  const setStatus = async (s: SessionRecord, status: SessionStatus) => {
    const doc = docOf(s.id);
    if (!store || !doc) return;
    await editRecord(store, 'sessions', doc, { status });
    setNotice(t(`sessions.statusDone.${status}`, { title: s.title }));
  };

  const swap = async ([a, b]: [SessionRecord, SessionRecord]) => {
    const da = docOf(a.id);
    const db = docOf(b.id);
    if (!store || !da || !db) return;
    const [ta, tb] = swappedTimes(a, b);
    await editRecord(store, 'sessions', da, ta);
    await editRecord(store, 'sessions', db, tb);
    setSwapPair(null);
    setSwapFrom(null);
    setNotice(t('sessions.swapped', { a: a.title, b: b.title }));
  };

  const pickForSwap = (s: SessionRecord) => {
    if (!swapFrom) setSwapFrom(s);
    else if (swapFrom.id === s.id) setSwapFrom(null);
    else setSwapPair([swapFrom, s]);
  };

  const actions = (s: SessionRecord) => (
    <>
      <button type="button" className="btn btn--small" onClick={() => setEditing({ session: s })}>
        {t('common.edit')}
      </button>
      {s.status === 'not_started' && (
        <button type="button" className="btn btn--small" onClick={() => void setStatus(s, 'live')}>
          {t('sessions.start')}
        </button>
      )}
      {s.status === 'live' && (
        <button type="button" className="btn btn--small" onClick={() => void setStatus(s, 'finished')}>
          {t('sessions.end')}
        </button>
      )}
      {(s.status === 'not_started' || s.status === 'live') && (
        <button
          type="button"
          className="btn btn--small btn--danger-outline"
          onClick={() => void setStatus(s, 'cancelled')}
        >
          {t('sessions.cancel')}
        </button>
      )}
      {s.status === 'cancelled' && (
        <button type="button" className="btn btn--small" onClick={() => void setStatus(s, 'not_started')}>
          {t('sessions.restore')}
        </button>
      )}
      <button
        type="button"
        className="btn btn--small"
        aria-pressed={swapFrom?.id === s.id}
        onClick={() => pickForSwap(s)}
      >
        {swapFrom && swapFrom.id !== s.id ? t('sessions.swapWith') : t('sessions.swap')}
      </button>
      <button type="button" className="btn btn--small btn--danger-outline" onClick={() => setDeleting(s)}>
        {t('common.delete')}
      </button>
    </>
  );

  const paidLabel = (s: SessionRecord) =>
    s.isPaid
      ? `${formatMoney(s.priceMinor, currency, lang)}${s.capacity ? ` · ${tn('sessions.seats', s.capacity)}` : ''}`
      : t('sessions.free');

  const columns: Column<SessionRecord>[] = [
    {
      key: 'title',
      label: t('sessions.field.title'),
      rowHeader: true,
      sortValue: (s) => s.title,
      render: (s) => s.title,
    },
    {
      key: 'startsAt',
      label: t('sessions.field.startsAt'),
      sortValue: (s) => s.startsAt,
      render: (s) => i18n.dateTime(s.startsAt),
    },
    {
      key: 'room',
      label: t('sessions.field.roomId'),
      sortValue: (s) => roomName(s.roomId),
      render: (s) => roomName(s.roomId),
    },
    {
      key: 'type',
      label: t('sessions.field.sessionType'),
      sortValue: (s) => s.sessionType,
      render: (s) => t(`sessions.type.${s.sessionType}`),
    },
    {
      key: 'speaker',
      label: t('sessions.field.speakerName'),
      sortValue: (s) => s.speakerName,
      render: (s) => s.speakerName || '—',
    },
    { key: 'paid', label: t('sessions.price'), sortValue: (s) => (s.isPaid ? s.priceMinor : -1), render: paidLabel },
    {
      key: 'status',
      label: t('sessions.status'),
      sortValue: (s) => s.status,
      render: (s) => <span className={`pill ${statusPill[s.status]}`}>{t(`sessions.status.${s.status}`)}</span>,
    },
  ];

  const noRooms = rooms !== undefined && rooms.length === 0;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">{t('sessions.title')}</h1>
          <p className="muted">{sessions ? tn('sessions.count', sessions.length) : t('common.loading')}</p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="btn btn--primary"
            // Until the rooms are on the device a new session could not be placed in one.
            disabled={noRooms || rooms === undefined}
            onClick={() => setEditing({})}
          >
            <span aria-hidden="true">+</span> {t('sessions.new')}
          </button>
        </div>
      </div>
      {noRooms && <p className="notice">{t('sessions.needRoom')}</p>}

      <div className="toolbar toolbar--wrap">
        {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not a form fieldset */}
        <div className="tabs" role="group" aria-label={t('sessions.view')}>
          {(['schedule', 'list'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className="btn btn--small"
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {t(`sessions.view.${v}`)}
            </button>
          ))}
        </div>
        <input
          type="search"
          className="search-input"
          aria-label={t('sessions.search')}
          placeholder={t('sessions.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
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
      {swapFrom && (
        <p className="notice" role="status">
          {t('sessions.swapPick', { title: swapFrom.title })}{' '}
          <button type="button" className="btn btn--small" onClick={() => setSwapFrom(null)}>
            {t('common.cancel')}
          </button>
        </p>
      )}

      {sessions === undefined ? (
        <p className="muted">{t('common.loading')}</p>
      ) : view === 'list' ? (
        <DataTable
          caption={t('sessions.title')}
          rows={visible}
          columns={columns}
          rowKey={(s) => s.id}
          initialSort={{ key: 'startsAt', dir: 'asc' }}
          actions={actions}
          resetKey={q}
          empty={<p>{sessions.length ? t('sessions.noMatch') : t('sessions.empty')}</p>}
        />
      ) : days.length === 0 ? (
        <div className="empty card">
          <p>{t('sessions.empty')}</p>
        </div>
      ) : (
        <>
          {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not a form fieldset */}
          <div className="tabs" role="group" aria-label={t('sessions.days')}>
            {days.map((d) => (
              <button
                key={d}
                type="button"
                className="btn btn--small"
                aria-pressed={d === currentDay}
                onClick={() => setDay(d)}
              >
                {dayLabel(d)}
              </button>
            ))}
          </div>
          <div className="schedule">
            {activeRooms.map((room: RoomRecord) => {
              const list = visible
                .filter((s) => s.roomId === room.id && localDay(s.startsAt) === currentDay)
                .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
              return (
                <section key={room.id} className="schedule__room" aria-label={room.name}>
                  <h3>
                    {room.name} <span className="muted">· {tn('sessions.seats', room.capacity)}</span>
                  </h3>
                  {list.length === 0 && <p className="muted">{t('sessions.roomFree')}</p>}
                  {list.map((s) => (
                    <article key={s.id} className={`session-card session-card--${s.status}`} aria-label={s.title}>
                      <span className="session-card__time">
                        {time(s.startsAt)}–{time(s.endsAt)} · {t(`sessions.type.${s.sessionType}`)}
                      </span>
                      <strong>{s.title}</strong>
                      {s.speakerName && (
                        <span>
                          {s.speakerName}
                          {s.speakerTitle && <span className="muted">, {s.speakerTitle}</span>}
                        </span>
                      )}
                      <span>
                        <span className={`pill ${statusPill[s.status]}`}>{t(`sessions.status.${s.status}`)}</span>{' '}
                        {s.isPaid && <span className="pill pill--soon">{paidLabel(s)}</span>}
                        {s.youtubeLiveUrl && (
                          <a href={s.youtubeLiveUrl} target="_blank" rel="noreferrer">
                            {t('sessions.live')}
                          </a>
                        )}
                      </span>
                      <div className="session-card__actions">{actions(s)}</div>
                    </article>
                  ))}
                </section>
              );
            })}
          </div>
        </>
      )}

      {editing && rooms && (
        <SessionForm
          {...(editing.session ? { session: editing.session } : {})}
          rooms={activeRooms}
          {...(currentDay ? { day: currentDay } : {})}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            setEditing(null);
            setNotice(t('sessions.saved', { title: s.title }));
          }}
        />
      )}
      {swapPair && (
        <Dialog
          title={t('sessions.swapTitle')}
          onClose={() => setSwapPair(null)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setSwapPair(null)}>
                {t('common.cancel')}
              </button>
              <button type="button" className="btn btn--primary" onClick={() => void swap(swapPair)}>
                {t('sessions.swapConfirm')}
              </button>
            </>
          }
        >
          <ul>
            {swapPair.map((s, i) => {
              const other = swapPair[1 - i] as SessionRecord;
              return (
                <li key={s.id}>
                  {t('sessions.swapLine', {
                    title: s.title,
                    from: i18n.dateTime(s.startsAt),
                    to: i18n.dateTime(other.startsAt),
                  })}
                </li>
              );
            })}
          </ul>
        </Dialog>
      )}
      {deleting && (
        <Dialog
          title={t('sessions.deleteTitle', { title: deleting.title })}
          onClose={() => setDeleting(null)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setDeleting(null)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => {
                  const doc = docOf(deleting.id);
                  if (doc) void removeRecord(doc);
                  setNotice(t('sessions.deleted', { title: deleting.title }));
                  setDeleting(null);
                }}
              >
                {t('common.delete')}
              </button>
            </>
          }
        >
          <p>{t('sessions.deleteExplain')}</p>
        </Dialog>
      )}
    </div>
  );
}
