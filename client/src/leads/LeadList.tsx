import { participantDisplayName } from '@makeplus/shared';
import { useMemo, useState } from 'react';
import type { DoorParticipant } from '../doorControl/doorIndex';
import { useI18n } from '../i18n/i18n';
import type { StandData } from './useStand';

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** The stand's leads, newest first, with search (name, organization, notes) and filters. */
export function LeadList({
  data,
  visitorOf,
  onOpen,
}: {
  data: StandData;
  visitorOf: (id: string) => DoorParticipant | undefined;
  onOpen: (leadId: string) => void;
}) {
  const { t, tn } = useI18n();
  const [query, setQuery] = useState('');
  const [rating, setRating] = useState<'all' | 'hot' | 'warm' | 'cold' | 'none'>('all');
  const [followUpOnly, setFollowUpOnly] = useState(false);

  const rows = useMemo(() => {
    const words = fold(query).split(/\s+/).filter(Boolean);
    return data.leads
      .map(({ lead }) => ({ lead, visitor: visitorOf(lead.participantId) }))
      .filter(({ lead, visitor }) => {
        if (rating !== 'all' && (lead.rating ?? 'none') !== rating) return false;
        if (followUpOnly && !lead.followUp) return false;
        if (!words.length) return true;
        const hay = fold(
          `${visitor ? participantDisplayName(visitor) : ''} ${visitor?.organization ?? ''} ${lead.notes} ${lead.visitorEmail}`,
        );
        return words.every((w) => hay.includes(w));
      })
      .sort((a, b) => (a.lead.firstCapturedAt < b.lead.firstCapturedAt ? 1 : -1));
  }, [data.leads, query, rating, followUpOnly, visitorOf]);

  return (
    <section className="lead-list" aria-label={t('leads.tab.leads')}>
      <div className="lead-filters card">
        <div className="field">
          <label htmlFor="lead-search">{t('leads.search')}</label>
          <input id="lead-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="lead-filters__row">
          <label className="field">
            <span>{t('leads.filter.rating')}</span>
            <select value={rating} onChange={(e) => setRating(e.target.value as typeof rating)}>
              <option value="all">{t('leads.filter.all')}</option>
              <option value="hot">{t('leads.rating.hot')}</option>
              <option value="warm">{t('leads.rating.warm')}</option>
              <option value="cold">{t('leads.rating.cold')}</option>
              <option value="none">{t('leads.rating.none')}</option>
            </select>
          </label>
          <label className="field--check">
            <input type="checkbox" checked={followUpOnly} onChange={(e) => setFollowUpOnly(e.target.checked)} />
            <span>{t('leads.filter.followUp')}</span>
          </label>
        </div>
      </div>
      <p className="muted" aria-live="polite">
        {tn('leads.count', rows.length)}
      </p>
      {data.leads.length === 0 ? (
        <p className="card muted">{t('leads.empty')}</p>
      ) : rows.length === 0 ? (
        <p className="card muted">{t('leads.noMatch')}</p>
      ) : (
        <ul className="lead-rows">
          {rows.map(({ lead, visitor }) => (
            <li key={lead.id}>
              <button type="button" className="lead-row" onClick={() => onOpen(lead.id)}>
                <span className="lead-row__name">{visitor ? participantDisplayName(visitor) : lead.participantId}</span>
                <span className="lead-row__meta muted">
                  {[visitor?.organization, tn('leads.visits', data.visitsByPerson.get(lead.participantId) ?? 1)]
                    .filter(Boolean)
                    .join(' · ')}
                  {lead.seq === 0 && <span className="lead-row__pending"> · {t('leads.pendingSync')}</span>}
                </span>
                <span className={`lead-chip lead-chip--${lead.rating ?? 'none'}`}>
                  {t(`leads.rating.${lead.rating ?? 'none'}`)}
                  {lead.followUp ? ` · ${t('leads.followUp')}` : ''}
                </span>
                {lead.notes && <span className="lead-row__notes">{lead.notes}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
