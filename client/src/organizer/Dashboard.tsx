import { type EventDashboard, formatMoney } from '@makeplus/shared';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import { useSession } from '../auth/session';
import { EventCard } from '../events/EventCard';
import { type PlainMessageKey, useI18n } from '../i18n/i18n';
import { displayName } from '../shell/AccountMenu';
import { CheckInChart } from '../statistics/CheckInChart';
import { useEventDashboard } from '../statistics/useEventDashboard';
import '../statistics/statistics.css';
import { useLocalRecords } from './localRecords';
import { consoleSections } from './sections';

/** Sessions running now: started by hand, or scheduled for now and neither cancelled nor ended. */
function liveNow<S extends { status: string; startsAt: string; endsAt: string; deleted?: boolean }>(
  sessions: readonly S[],
  now: number,
): S[] {
  return sessions
    .filter(
      (s) =>
        !s.deleted &&
        (s.status === 'live' ||
          (s.status === 'not_started' && Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt))),
    )
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** A clock that ticks every minute, for "live now". */
function useMinute(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/**
 * The organizer's live dashboard. Figures from facts the console does not keep (scans, sales) come
 * from the server and refresh whenever a device pushes; what the console keeps (sessions, rooms,
 * reconciliation flags) is read on the device, so the page also reads offline.
 */
export function Dashboard() {
  const i18n = useI18n();
  const { t, tn, number, dateTime, relative } = i18n;
  const session = useSession();
  const eventId = session?.event?.id;
  const dashboard = useEventDashboard(eventId);
  const { data } = dashboard;
  const now = useMinute();
  const sessions = useLocalRecords('sessions').records;
  const rooms = useLocalRecords('rooms').records;
  const flags = useLocalRecords('reconciliationFlags', { status: 'open' }).records;
  const currency = useLocalRecords('events').records?.[0]?.currency ?? 'DZD';
  const money = (minor: number) => formatMoney(minor, currency, i18n.lang);
  const time = useMemo(() => new Intl.DateTimeFormat(i18n.lang, { hour: '2-digit', minute: '2-digit' }), [i18n.lang]);
  const roomName = useMemo(() => new Map((rooms ?? []).map((r) => [r.id, r.name])), [rooms]);
  const running = useMemo(() => liveNow(sessions ?? [], now), [sessions, now]);

  if (!session?.event) return null;
  const present = data?.checkedIn ?? 0;
  const share = data && data.registered > 0 ? Math.round((present / data.registered) * 100) : 0;

  return (
    <div className="page dashboard">
      <div className="page-actions">
        <div>
          <h1 className="page-title">{t('home.greeting', { name: displayName(session) })}</h1>
          <p className="lead">{t('run.intro')}</p>
        </div>
        <p className="live-state" aria-live="polite" data-testid="dashboard-live" data-live={dashboard.live}>
          <span className={`live-dot ${dashboard.live ? 'live-dot--on' : ''}`} aria-hidden="true" />
          {dashboard.live ? t('run.live') : t('run.notLive')}
          {data && (
            <span className="muted">
              {' · '}
              {t('run.updated', { time: dateTime(data.generatedAt) })}
            </span>
          )}
          <button type="button" className="btn btn--small" onClick={dashboard.refresh} disabled={dashboard.loading}>
            {t('run.refresh')}
          </button>
        </p>
      </div>

      {Boolean(dashboard.error) && (
        <div className="inline-error" role="alert">
          <p>
            {data ? t('run.staleFigures') : t('run.noFigures')} {describeError(dashboard.error, i18n)}
          </p>
        </div>
      )}

      <section className="card" aria-labelledby="figures-title" aria-busy={!data}>
        <h2 id="figures-title">{t('dashboard.figures')}</h2>
        <dl className="stat-grid figures">
          <Stat label={t('run.registered')} value={data ? number(data.registered) : '…'} />
          <Stat
            label={t('run.present')}
            value={data ? number(present) : '…'}
            hint={data ? t('run.presentShare', { share: number(share) }) : undefined}
          />
          <Stat label={t('run.scansGranted')} value={data ? number(data.scans.granted) : '…'} />
          <Stat label={t('run.scansDenied')} value={data ? number(data.scans.denied) : '…'} />
          <Stat
            label={t('run.revenue')}
            value={data ? money(data.revenue.totalMinor) : '…'}
            hint={data ? tn('run.salesCount', data.revenue.salesCount) : undefined}
          />
          <Stat
            label={t('run.openFlags')}
            value={flags ? number(flags.length) : '…'}
            hint={
              <Link to="/organizer/reconciliation" className="link-btn">
                {t('run.openInbox')}
              </Link>
            }
          />
        </dl>
      </section>

      <div className="dashboard-grid">
        <section className="card" aria-labelledby="checkins-title">
          <h2 id="checkins-title">{t('run.checkIns')}</h2>
          {data ? <CheckInChart curve={data.checkIns} /> : <p className="muted">{t('common.loading')}</p>}
        </section>

        <section className="card" aria-labelledby="live-title">
          <h2 id="live-title">{t('run.sessionsLive')}</h2>
          {running.length === 0 ? (
            <p className="muted">{t('run.noSessionLive')}</p>
          ) : (
            <ul className="plain-list">
              {running.map((s) => (
                <li key={s.id}>
                  <strong>{s.title}</strong>
                  <br />
                  <span className="muted">
                    {roomName.get(s.roomId) ?? ''} · {time.format(new Date(s.startsAt))}–
                    {time.format(new Date(s.endsAt))}
                    {s.status === 'live' ? ` · ${t('run.startedByHand')}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="rooms-title">
          <h2 id="rooms-title">{t('run.occupancy')}</h2>
          {data && data.rooms.length > 0 ? (
            <ul className="occupancy">
              {data.rooms.map((r) => (
                <RoomOccupancy key={r.roomId} room={r} />
              ))}
            </ul>
          ) : (
            <p className="muted">{data ? t('run.noRooms') : t('common.loading')}</p>
          )}
        </section>

        <section className="card" aria-labelledby="scans-title">
          <h2 id="scans-title">{t('run.scans')}</h2>
          {data && (
            <>
              <p>{t('run.scansSplit', { granted: number(data.scans.granted), denied: number(data.scans.denied) })}</p>
              {data.scans.deniedByReason.length > 0 && (
                <table className="data-table compact">
                  <caption className="visually-hidden">{t('run.deniedByReason')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('run.reason')}</th>
                      <th scope="col" className="num">
                        {t('run.count')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.scans.deniedByReason.map((r) => (
                      <tr key={r.reason}>
                        <td>{t(`door.reason.${r.reason}` as PlainMessageKey)}</td>
                        <td className="num">{number(r.count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
        </section>

        <section className="card" aria-labelledby="revenue-title">
          <h2 id="revenue-title">{t('run.revenueBy')}</h2>
          {data && data.revenue.salesCount === 0 ? <p className="muted">{t('run.noSales')}</p> : null}
          {data && data.revenue.salesCount > 0 && (
            <>
              <MoneyTable
                caption={t('run.byItem')}
                rows={data.revenue.byItem.map((x) => ({
                  key: x.payableItemId,
                  name: x.name,
                  count: x.quantity,
                  total: x.totalMinor,
                }))}
                money={money}
              />
              <MoneyTable
                caption={t('run.byRegister')}
                rows={data.revenue.byRegister.map((x) => ({
                  key: x.cashRegisterId,
                  name: x.name,
                  count: x.salesCount,
                  total: x.totalMinor,
                }))}
                money={money}
              />
            </>
          )}
        </section>

        <section className="card" aria-labelledby="recent-title">
          <h2 id="recent-title">{t('run.recent')}</h2>
          {data && data.recent.length === 0 && <p className="muted">{t('run.noActivity')}</p>}
          <ul className="plain-list recent">
            {data?.recent.map((a) => (
              <li key={`${a.kind}-${a.id}`} className={`recent--${a.kind}`}>
                <RecentLine item={a} money={money} />
                <span className="muted"> · {relative(a.at)}</span>
              </li>
            ))}
          </ul>
        </section>

        <EventCard event={session.event} />
      </div>

      <section aria-labelledby="sections-title">
        <h2 id="sections-title" className="section-title">
          {t('dashboard.sections')}
        </h2>
        <ul className="section-grid">
          {consoleSections
            .filter((s) => s.path)
            .map((s) => (
              <li key={s.path}>
                <Link to={`/organizer/${s.path}`} className="section-tile">
                  <span className="section-tile__head">
                    <span className="console__icon" aria-hidden="true">
                      {s.icon}
                    </span>
                    <strong>{t(s.label)}</strong>
                    <span className={`pill ${s.ready ? 'pill--active' : 'pill--soon'}`}>
                      {s.ready ? t('console.available') : t('console.soon')}
                    </span>
                  </span>
                  <span className="muted">{t(s.purpose)}</span>
                </Link>
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: React.ReactNode }) {
  return (
    <div className="stat">
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{value}</dd>
      {hint && <dd className="stat__hint muted">{hint}</dd>}
    </div>
  );
}

function RoomOccupancy({ room }: { room: EventDashboard['rooms'][number] }) {
  const { t, number } = useI18n();
  const cap = room.capacity ?? 0;
  const ratio = cap > 0 ? room.inside / cap : 0;
  const level = ratio >= 1 ? 'full' : ratio >= 0.8 ? 'high' : 'ok';
  return (
    <li className={`occupancy__room occupancy__room--${level}`}>
      <span className="occupancy__name">{room.name}</span>
      <span className="occupancy__figure">
        {cap > 0
          ? t('run.insideOfCapacity', { inside: number(room.inside), capacity: number(cap) })
          : t('run.inside', { inside: number(room.inside) })}
      </span>
      <meter
        className="meter"
        min={0}
        max={Math.max(cap, room.inside, 1)}
        low={cap * 0.8}
        high={cap}
        optimum={0}
        value={room.inside}
        aria-label={`${room.name} : ${number(room.inside)} / ${number(cap)}`}
      />
      <span className="muted">
        {t('run.roomEntries', { entries: number(room.entries), refused: number(room.refused) })}
      </span>
    </li>
  );
}

function MoneyTable({
  caption,
  rows,
  money,
}: {
  caption: string;
  rows: { key: string; name: string; count: number; total: number }[];
  money: (minor: number) => string;
}) {
  const { t, number } = useI18n();
  return (
    <table className="data-table compact">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('run.name')}</th>
          <th scope="col" className="num">
            {t('run.count')}
          </th>
          <th scope="col" className="num">
            {t('run.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.name}</th>
            <td className="num">{number(r.count)}</td>
            <td className="num">{money(r.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RecentLine({ item, money }: { item: EventDashboard['recent'][number]; money: (minor: number) => string }) {
  const { t } = useI18n();
  if (item.kind === 'scan') {
    return (
      <span>
        <strong className={item.granted ? '' : 'text-danger'}>
          {t(`door.reason.${item.what}` as PlainMessageKey)}
        </strong>{' '}
        {item.who}
        {item.where ? ` · ${item.where}` : ''}
      </span>
    );
  }
  if (item.kind === 'sale') {
    return (
      <span>
        <strong>{t('run.recent.sale')}</strong> {item.what} · {item.who}
        {item.where ? ` · ${item.where}` : ''} · {money(item.amountMinor ?? 0)}
      </span>
    );
  }
  return (
    <span>
      <strong className="text-danger">{t(`flag.kind.${item.what}` as PlainMessageKey)}</strong> {item.who}
    </span>
  );
}
