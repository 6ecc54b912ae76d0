import type { SessionRecord, SessionStatus } from '@makeplus/shared';
import { useMemo, useState } from 'react';
import type { RxDocument } from 'rxdb';
import type { DoorContext } from '../doorControl/DoorScreen';
import { type PlainMessageKey, useI18n } from '../i18n/i18n';
import { Dialog } from '../shell/Dialog';
import type { LocalDoc } from '../sync/database';
import { editRecord } from '../sync/localWrites';

const statusText: Record<SessionStatus, PlainMessageKey> = {
  not_started: 'roomManager.status.not_started',
  live: 'roomManager.status.live',
  finished: 'roomManager.status.finished',
  cancelled: 'roomManager.status.cancelled',
};
const statusPill: Record<SessionStatus, string> = {
  not_started: 'pill--upcoming',
  live: 'pill--active',
  finished: '',
  cancelled: 'pill--cancelled',
};

/** The room's sessions with their controls, and how full the room is. */
export function RoomSessionsPanel({ door }: { door: DoorContext }) {
  const { t, number } = useI18n();
  const { room, roomSessions, stats, index, store, currentSession } = door;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<RxDocument<LocalDoc> | null>(null);

  // Entries granted during the current session (a workshop's seats are counted per session).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `stats` changes whenever the scans do
  const sessionEntries = useMemo(() => {
    if (!currentSession) return 0;
    const people = new Set<string>();
    for (const s of index.scans.values())
      if (s.sessionId === currentSession.id && s.granted && s.direction === 'in')
        people.add(s.participantId ?? s.badgeCode);
    return people.size;
  }, [index, currentSession, stats]);

  if (!room) {
    return (
      <section className="card room-sessions" aria-labelledby="room-sessions-title">
        <h2 id="room-sessions-title">{t('roomManager.title')}</h2>
        <p className="muted">{t('roomManager.pickRoom')}</p>
      </section>
    );
  }

  const setStatus = async (doc: RxDocument<LocalDoc>, status: SessionStatus) => {
    setBusy(doc.id);
    setError(null);
    try {
      await editRecord(store, 'sessions', doc, { status });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };

  const ratio = room.capacity > 0 ? stats.insideNow / room.capacity : 0;
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString(document.documentElement.lang || 'fr', { hour: '2-digit', minute: '2-digit' });
  const day = (iso: string) =>
    new Date(iso).toLocaleDateString(document.documentElement.lang || 'fr', { weekday: 'short', day: 'numeric' });

  return (
    <section className="card room-sessions" aria-labelledby="room-sessions-title">
      <h2 id="room-sessions-title">{t('roomManager.sessionsOf', { room: room.name })}</h2>
      <div className="room-occupancy" data-testid="room-occupancy">
        <p className="room-occupancy__figure">
          {t('roomManager.occupancy', { inside: number(stats.insideNow), capacity: number(room.capacity) })}
        </p>
        <meter
          className="occupancy-meter"
          aria-label={t('roomManager.occupancyLabel')}
          min={0}
          max={room.capacity}
          low={Math.floor(room.capacity * 0.6)}
          high={Math.floor(room.capacity * 0.85)}
          optimum={0}
          value={Math.min(stats.insideNow, room.capacity)}
        />
        {ratio >= 1 && (
          <p className="banner banner--warning" role="alert">
            {t('roomManager.full')}
          </p>
        )}
        {currentSession?.capacity ? (
          <p className="muted">
            {t('roomManager.sessionSeats', {
              entered: number(sessionEntries),
              capacity: number(currentSession.capacity),
            })}
          </p>
        ) : null}
      </div>
      {error && (
        <p className="banner banner--error" role="alert">
          {t('roomManager.saveFailed', { message: error })}
        </p>
      )}
      {roomSessions.length === 0 ? (
        <p className="muted">{t('roomManager.noSessions')}</p>
      ) : (
        <ol className="room-sessions__list">
          {roomSessions.map((doc) => {
            const s = doc.toJSON() as unknown as SessionRecord;
            const pending = busy === doc.id;
            return (
              <li key={doc.id} className={`room-session room-session--${s.status === 'live' ? 'live' : 'other'}`}>
                <p className="room-session__title">{s.title}</p>
                <p className="room-session__meta">
                  {day(s.startsAt)} · {time(s.startsAt)}–{time(s.endsAt)}
                  {s.speakerName ? ` · ${s.speakerName}` : ''}{' '}
                  <span className={`pill ${statusPill[s.status]}`}>{t(statusText[s.status])}</span>
                  {s.isPaid && <span className="pill pill--soon"> {t('door.paidSession')}</span>}
                </p>
                <div className="room-session__actions">
                  {s.status === 'not_started' && (
                    <button
                      type="button"
                      className="btn btn--primary"
                      disabled={pending}
                      onClick={() => void setStatus(doc, 'live')}
                    >
                      {t('roomManager.start')}
                    </button>
                  )}
                  {s.status === 'live' && (
                    <button
                      type="button"
                      className="btn btn--primary"
                      disabled={pending}
                      onClick={() => void setStatus(doc, 'finished')}
                    >
                      {t('roomManager.end')}
                    </button>
                  )}
                  {(s.status === 'not_started' || s.status === 'live') && (
                    <button
                      type="button"
                      className="btn btn--danger-outline"
                      disabled={pending}
                      onClick={() => setCancelling(doc)}
                    >
                      {t('roomManager.cancel')}
                    </button>
                  )}
                  {(s.status === 'finished' || s.status === 'cancelled') && (
                    <button
                      type="button"
                      className="btn"
                      disabled={pending}
                      onClick={() => void setStatus(doc, 'not_started')}
                    >
                      {t('roomManager.reopen')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {cancelling && (
        <Dialog
          title={t('roomManager.cancelTitle', { title: String(cancelling.get('title')) })}
          onClose={() => setCancelling(null)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setCancelling(null)}>
                {t('common.close')}
              </button>
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => {
                  const doc = cancelling;
                  setCancelling(null);
                  void setStatus(doc, 'cancelled');
                }}
              >
                {t('roomManager.cancelConfirm')}
              </button>
            </>
          }
        >
          <p>{t('roomManager.cancelExplain')}</p>
        </Dialog>
      )}
    </section>
  );
}
