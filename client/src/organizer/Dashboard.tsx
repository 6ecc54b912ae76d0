import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import { apiJson, useSession } from '../auth/session';
import { EventCard } from '../events/EventCard';
import { type PlainMessageKey, useI18n } from '../i18n/i18n';
import { displayName } from '../shell/AccountMenu';
import { eventResourcePath, type Page } from './eventApi';
import { consoleSections } from './sections';

const counted: { resource: string; label: PlainMessageKey }[] = [
  { resource: 'rooms', label: 'dashboard.count.rooms' },
  { resource: 'sessions', label: 'dashboard.count.sessions' },
  { resource: 'participants', label: 'dashboard.count.participants' },
  { resource: 'memberships', label: 'dashboard.count.staff' },
];

type Counts = { state: 'loading' } | { state: 'ready'; totals: number[] } | { state: 'failed'; error: unknown };

export function Dashboard() {
  const i18n = useI18n();
  const { t, number } = i18n;
  const session = useSession();
  const eventId = session?.event?.id;
  const needsSignIn = session?.needsSignIn ?? false;
  const [counts, setCounts] = useState<Counts>({ state: 'loading' });

  const load = useCallback(async () => {
    if (!eventId) return;
    setCounts({ state: 'loading' });
    try {
      const pages = await Promise.all(
        counted.map((c) => apiJson<Page<unknown>>(eventResourcePath(eventId, c.resource, { pageSize: 1 }))),
      );
      setCounts({ state: 'ready', totals: pages.map((p) => p.total) });
    } catch (err) {
      setCounts({ state: 'failed', error: err });
    }
  }, [eventId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: signing in again after an expired session counts again
  useEffect(() => {
    void load();
  }, [load, needsSignIn]);

  if (!session?.event) return null;
  return (
    <div className="page">
      <h1 className="page-title">{t('home.greeting', { name: displayName(session) })}</h1>
      <p className="lead">{t('dashboard.intro')}</p>
      <div className="dashboard-grid">
        <EventCard event={session.event} />
        <section className="card" aria-labelledby="figures-title" aria-busy={counts.state === 'loading'}>
          <h2 id="figures-title">{t('dashboard.figures')}</h2>
          {counts.state === 'failed' ? (
            <div className="inline-error" role="alert">
              <p>{describeError(counts.error, i18n)}</p>
              <button type="button" className="btn btn--small" onClick={() => void load()}>
                {t('common.retry')}
              </button>
            </div>
          ) : (
            <dl className="figures">
              {counted.map((c, i) => (
                <div key={c.resource}>
                  <dt>{t(c.label)}</dt>
                  <dd>{counts.state === 'ready' ? number(counts.totals[i] ?? 0) : '…'}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
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
