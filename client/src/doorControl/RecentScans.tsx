import { useId, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { verdictTone } from './doorDecision';
import { type DoorIndex, type DoorScan, fold } from './doorIndex';
import { recentScans } from './doorStats';
import { reasonTitle } from './doorText';

/** The last 50 scans at this door's room, newest first, searchable by name or code. */
export function RecentScans({ index, version, roomId }: { index: DoorIndex; version: number; roomId: string | null }) {
  const { t, lang } = useI18n();
  const [query, setQuery] = useState('');
  const searchId = useId();
  const q = fold(query.trim());

  const nameOf = (s: DoorScan) => {
    const p = s.participantId ? index.participants.byId.get(s.participantId) : undefined;
    return p ? `${p.firstName} ${p.lastName}`.trim() : null;
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the index's content
  const rows = useMemo(
    () =>
      recentScans(
        index.scans.values(),
        roomId,
        50,
        q ? (s) => fold(`${nameOf(s) ?? ''} ${s.badgeCode}`).includes(q) : undefined,
      ),
    [index, version, roomId, q],
  );

  return (
    <section className="card recent-scans" aria-labelledby="recent-scans-title">
      <h2 id="recent-scans-title">{t('door.recent.title')}</h2>
      <label className="visually-hidden" htmlFor={searchId}>
        {t('door.recent.search')}
      </label>
      <input
        id={searchId}
        className="search-input"
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={t('door.recent.search')}
      />
      {rows.length === 0 ? (
        <p className="muted recent-scans__empty">{q ? t('door.recent.noMatch') : t('door.recent.empty')}</p>
      ) : (
        <ol className="recent-scans__list" data-testid="recent-scans">
          {rows.map((s) => (
            <li key={s.id} className={`recent-scan recent-scan--${verdictTone({ ...s, issuedOffline: false })}`}>
              <span className="recent-scan__time">
                {new Date(s.occurredAt).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' })}
              </span>
              <span className="recent-scan__who">
                {nameOf(s) ?? <code>{s.badgeCode.length > 24 ? `${s.badgeCode.slice(0, 24)}…` : s.badgeCode}</code>}
              </span>
              <span className="recent-scan__reason">
                {t(reasonTitle[s.reason])}
                {s.seq === 0 && <span className="recent-scan__pending"> · {t('door.recent.pending')}</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
