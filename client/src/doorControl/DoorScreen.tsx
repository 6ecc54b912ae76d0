import {
  newId,
  type RoomRecord,
  type ScanDirection,
  type SessionRecord,
  scanFactFields,
  sessionRunningAt,
  type VerdictEvent,
} from '@makeplus/shared';
import { type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import type { RxDocument } from 'rxdb';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { ScannerInput, type ScanSuggestion } from '../scanning/ScannerInput';
import { PhoneLayout } from '../shell/PhoneLayout';
import { useNow } from '../shell/useNow';
import { type DeviceStore, useDeviceStore, useLiveQuery } from '../sync/DeviceSync';
import type { LocalDoc } from '../sync/database';
import { recordFact } from '../sync/localWrites';
import { decideAtDoor, verdictTone } from './doorDecision';
import { type DoorIndex, toDoorScan } from './doorIndex';
import { type DoorChoice, readDoorChoice, saveDoorChoice } from './doorSetup';
import { type DoorStats, doorStats } from './doorStats';
import { signalVerdict } from './feedback';
import { RecentScans } from './RecentScans';
import { useDoorIndex, useDoorIndexVersion } from './useDoorIndex';
import { codeMark, VerdictPanel, VerdictSlot } from './VerdictPanel';
import './door.css';

/** What a screen built on the door (the room manager's) receives about it. */
export interface DoorContext {
  store: DeviceStore;
  index: DoorIndex;
  room: RoomRecord | null;
  /** This room's sessions (live records: the room manager edits their status). */
  roomSessions: RxDocument<LocalDoc>[];
  currentSession: SessionRecord | null;
  stats: DoorStats;
  now: number;
}

const asRecord = <T,>(d: RxDocument<LocalDoc>) => ({ ...(d.toJSON() as object), deleted: false }) as T;

const byName = { selector: {}, sort: [{ name: 'asc' as const }] };
const bySchedule = { selector: {}, sort: [{ startsAt: 'asc' as const }] };
const allEvents = { selector: {} };

/**
 * The door: the badge controller's phone at a room's entrance. Each code read (camera, hardware
 * scanner, typed, name search) gets its verdict from memory at once, is stored as a scan fact on the
 * device, and syncs when it can. The controller picks the room and the direction; the room and its
 * current session are always in view; the statistics are computed on the device.
 */
export function DoorScreen({ title, children }: { title: string; children?: (door: DoorContext) => ReactNode }) {
  const { t, tn, number } = useI18n();
  const session = useSession();
  const store = useDeviceStore();
  const eventId = session?.event?.id ?? '';
  const index = useDoorIndex(store?.db);
  const version = useDoorIndexVersion(index);
  const events = useLiveQuery('events', allEvents);
  const rooms = useLiveQuery('rooms', byName);
  const sessions = useLiveQuery('sessions', bySchedule);
  const [choice, setChoice] = useState<DoorChoice>(() => readDoorChoice(eventId));
  const slot = useMemo(() => new VerdictSlot(), []);
  /** Codes waiting for a native signature check, decided in arrival order (each one's history includes the one before). */
  const queue = useRef<{ tail: Promise<void>; waiting: number }>({ tail: Promise.resolve(), waiting: 0 });
  const now = useNow(15_000);
  const seqRef = useRef(0);

  const eventDoc = events?.find((e) => e.id === eventId);
  const event = useMemo(() => (eventDoc ? asRecord<VerdictEvent>(eventDoc) : null), [eventDoc]);
  const roomList = useMemo(() => (rooms ?? []).map((r) => asRecord<RoomRecord>(r)), [rooms]);
  const room = roomList.find((r) => r.id === choice.roomId) ?? null;
  const roomSessionDocs = useMemo(
    () => (room ? (sessions ?? []).filter((s) => s.roomId === room.id) : []),
    [sessions, room],
  );
  const roomSessions = useMemo(() => roomSessionDocs.map((s) => asRecord<SessionRecord>(s)), [roomSessionDocs]);
  const currentSession = room ? (sessionRunningAt(roomSessions, room.id, new Date(now)) ?? null) : null;
  const ready = !!index && index.state === 'ready' && !!event;

  // The latest door setting, read by the scan handler without re-creating it.
  const door = useRef({ event, room, roomSessions, direction: choice.direction, sound: choice.sound, ready });
  door.current = { event, room, roomSessions, direction: choice.direction, sound: choice.sound, ready };

  const update = (patch: Partial<DoorChoice>) => {
    const next = { ...choice, ...patch };
    setChoice(next);
    saveDoorChoice(eventId, next);
  };

  const handleCode = useCallback(
    (code: string) => {
      const seq = ++seqRef.current;
      performance.mark(codeMark(seq));
      const at = new Date();
      if (!store || !index || !door.current.ready || !door.current.event) {
        slot.set({ kind: 'notReady', seq });
        return;
      }
      const decide = () => {
        const d = door.current;
        if (!d.ready || !d.event) {
          slot.set({ kind: 'notReady', seq });
          return;
        }
        const verdict = decideAtDoor(
          index,
          { event: d.event, room: d.room, roomSessions: d.roomSessions, direction: d.direction },
          code,
          at,
        );
        // Decoded code → verdict decided (what the door knows; the panel then measures it in the page and painted).
        performance.measure('door:decided', { start: codeMark(seq), detail: { seq } });
        const fact = {
          ...scanFactFields(verdict),
          id: newId(),
          occurredAt: at.toISOString(),
          operatorId: session?.user?.id ?? null,
        };
        // In memory at once (the next scan's history), in IndexedDB before it says "recorded".
        index.putScan(toDoorScan({ ...fact, deviceId: store.deviceId, seq: 0 }));
        index.changed();
        slot.set({ kind: 'verdict', seq, verdict, at, stored: 'saving' });
        signalVerdict(verdictTone(verdict), { sound: d.sound });
        const settle = (stored: 'saved' | 'failed', error?: string) =>
          slot.set((r) => (r?.kind === 'verdict' && r.seq === seq ? { ...r, stored, ...(error ? { error } : {}) } : r));
        recordFact(store, 'scans', fact).then(
          () => settle('saved'),
          (err: unknown) => {
            index.removeScan(fact.id);
            index.changed();
            settle('failed', err instanceof Error ? err.message : String(err));
          },
        );
      };
      // A badge not seen before: its signature is checked natively first (a fraction of a millisecond,
      // see nativeSignature.ts); anything else is decided at once, unless earlier codes still wait.
      const before = index.prepare(code);
      const q = queue.current;
      if (!before && q.waiting === 0) {
        decide();
        return;
      }
      q.waiting++;
      q.tail = q.tail
        .then(() => before)
        .then(() => {
          q.waiting--;
          decide();
        })
        .catch(reportError);
    },
    [store, index, session?.user?.id, slot],
  );

  const search = useCallback(
    (q: string): ScanSuggestion[] =>
      index && index.state === 'ready'
        ? index.searchByName(q).map((p) => ({
            key: p.id,
            label: `${p.firstName} ${p.lastName}`.trim(),
            detail: [p.organization, p.category].filter(Boolean).join(' · '),
            code: p.badgeCode,
          }))
        : [],
    [index],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the index's content
  const stats = useMemo(
    () => doorStats(index ? index.scans.values() : [], choice.roomId, store?.deviceId ?? '', new Date(now)),
    [index, version, choice.roomId, store?.deviceId, now],
  );

  const loading = !index || index.state === 'loading' || !event;
  const setDirection = (direction: ScanDirection) => update({ direction });

  return (
    <PhoneLayout title={title}>
      <section className="door-bar card" aria-label={t('door.setup')}>
        <div className="door-bar__row">
          <label className="door-bar__room">
            <span>{t('door.room')}</span>
            <select value={choice.roomId ?? ''} onChange={(e) => update({ roomId: e.target.value || null })}>
              <option value="">{t('door.venueEntrance')}</option>
              {roomList.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="door-bar__direction">
            <legend>{t('door.direction')}</legend>
            <div className="segmented">
              <button type="button" aria-pressed={choice.direction === 'in'} onClick={() => setDirection('in')}>
                {t('door.direction.in')}
              </button>
              <button type="button" aria-pressed={choice.direction === 'out'} onClick={() => setDirection('out')}>
                {t('door.direction.out')}
              </button>
            </div>
          </fieldset>
        </div>
        <p className="door-bar__session" data-testid="door-session">
          {room ? (
            currentSession ? (
              <>
                <strong>{currentSession.title}</strong>{' '}
                <span className="muted">
                  {t('door.sessionTimes', {
                    start: timeOf(currentSession.startsAt),
                    end: timeOf(currentSession.endsAt),
                  })}
                  {currentSession.isPaid ? ` · ${t('door.paidSession')}` : ''}
                </span>
              </>
            ) : (
              <span className="muted">{t('door.noSession')}</span>
            )
          ) : (
            <span className="muted">{t('door.venueExplain')}</span>
          )}
        </p>
      </section>

      <VerdictPanel slot={slot} loading={loading} />

      <ScannerInput onCode={handleCode} search={search} resetKey={`${choice.roomId}:${choice.direction}`} />

      {index?.state === 'failed' && (
        <p className="banner banner--error" role="alert">
          {t('door.indexFailed', { message: index.failure ?? '' })}
        </p>
      )}

      {store && index && children?.({ store, index, room, roomSessions: roomSessionDocs, currentSession, stats, now })}

      <section className="card door-stats" aria-labelledby="door-stats-title">
        <h2 id="door-stats-title">{t('door.stats.title', { room: room?.name ?? t('door.venueEntrance') })}</h2>
        <dl className="door-stats__grid">
          <div>
            <dt>{t('door.stats.today')}</dt>
            <dd data-testid="stat-today">{number(stats.today)}</dd>
          </div>
          <div className="door-stats__ok">
            <dt>{t('door.stats.granted')}</dt>
            <dd data-testid="stat-granted">{number(stats.granted)}</dd>
          </div>
          <div className="door-stats__refused">
            <dt>{t('door.stats.refused')}</dt>
            <dd data-testid="stat-refused">{number(stats.refused)}</dd>
          </div>
          <div>
            <dt>{t('door.stats.unique')}</dt>
            <dd data-testid="stat-unique">{number(stats.uniquePeople)}</dd>
          </div>
          <div className="door-stats__wide">
            <dt>{t('door.stats.inside')}</dt>
            <dd data-testid="stat-inside">
              {room
                ? t('door.stats.insideOfCapacity', { count: number(stats.insideNow), capacity: number(room.capacity) })
                : number(stats.insideNow)}
            </dd>
          </div>
        </dl>
        <p className="muted door-stats__note">{tn('door.stats.byThisDevice', stats.byThisDevice)}</p>
      </section>

      {index && <RecentScans index={index} version={version} roomId={choice.roomId} />}
    </PhoneLayout>
  );
}

function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString(document.documentElement.lang || 'fr', {
    hour: '2-digit',
    minute: '2-digit',
  });
}
