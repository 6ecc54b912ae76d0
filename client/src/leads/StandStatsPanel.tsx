import { type ExhibitorRecord, leadExportTable, toCsv } from '@makeplus/shared';
import { useMemo, useState } from 'react';
import { authorizedFetch } from '../auth/session';
import type { DoorParticipant } from '../doorControl/doorIndex';
import { useI18n } from '../i18n/i18n';
import { useNow } from '../shell/useNow';
import { leadWorkbookBlob } from './leadWorkbook';
import { standStats } from './standStats';
import type { StandData } from './useStand';

function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Visits today and in total, unique visitors, visits per hour, and the exports. */
export function StandStatsPanel({
  data,
  stand,
  eventId,
  visitorOf,
}: {
  data: StandData;
  stand: ExhibitorRecord;
  eventId: string;
  visitorOf: (id: string) => DoorParticipant | undefined;
}) {
  const { t } = useI18n();
  const nowMs = useNow(60_000);
  const now = useMemo(() => new Date(nowMs), [nowMs]);
  const stats = useMemo(() => standStats(data.scans, now), [data.scans, now]);
  const max = Math.max(1, ...stats.perHour);
  const hours = stats.perHour.map((n, h) => ({ h, n })).filter(({ h, n }) => n > 0 || (h >= 8 && h <= 19));
  const [exportError, setExportError] = useState<string | null>(null);
  const day = now.toISOString().slice(0, 10);

  const localTable = () => {
    const visitors = new Map(
      data.leads.map(({ lead }) => {
        const v = visitorOf(lead.participantId);
        return [
          lead.participantId,
          { firstName: v?.firstName ?? '', lastName: v?.lastName ?? '', organization: v?.organization ?? '' },
        ];
      }),
    );
    return leadExportTable({
      exhibitors: [stand],
      leads: data.leads.map((l) => l.lead),
      scans: data.scans,
      visitors,
    });
  };
  const exportLocal = async (format: 'csv' | 'xlsx') => {
    setExportError(null);
    try {
      const table = localTable();
      if (format === 'csv') download(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }), `leads-${day}.csv`);
      else download(await leadWorkbookBlob(table), `leads-${day}.xlsx`);
    } catch (err) {
      setExportError(t('leads.export.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  const exportServer = async (format: 'csv' | 'xlsx') => {
    setExportError(null);
    try {
      const res = await authorizedFetch(`/api/v1/events/${eventId}/leads/export?format=${format}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      download(await res.blob(), `leads-${day}.${format}`);
    } catch (err) {
      setExportError(t('leads.export.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };

  return (
    <section className="stand-stats" aria-label={t('leads.tab.stats')}>
      <dl className="stand-stats__tiles">
        <div className="card">
          <dt>{t('leads.stats.today')}</dt>
          <dd data-testid="stat-today">{stats.today}</dd>
        </div>
        <div className="card">
          <dt>{t('leads.stats.total')}</dt>
          <dd data-testid="stat-total">{stats.total}</dd>
        </div>
        <div className="card">
          <dt>{t('leads.stats.unique')}</dt>
          <dd data-testid="stat-unique">{stats.unique}</dd>
        </div>
        <div className="card">
          <dt>{t('leads.stats.leads')}</dt>
          <dd>{data.leads.length}</dd>
        </div>
      </dl>
      <figure className="card stand-chart">
        <figcaption>{t('leads.stats.perHour')}</figcaption>
        {stats.today === 0 ? (
          <p className="muted">{t('leads.stats.noVisits')}</p>
        ) : (
          <ol className="stand-chart__bars">
            {hours.map(({ h, n }) => (
              <li key={h} aria-label={`${h} h : ${n}`}>
                <span className="stand-chart__bar" style={{ blockSize: `${(n / max) * 100}%` }} />
                <span className="stand-chart__n">{n || ''}</span>
                <span className="stand-chart__h">{h}h</span>
              </li>
            ))}
          </ol>
        )}
      </figure>
      <section className="card stand-export">
        <h2>{t('leads.export.title')}</h2>
        <button type="button" className="btn btn--block btn--primary" onClick={() => void exportLocal('csv')}>
          {t('leads.export.csvLocal')}
        </button>
        <button type="button" className="btn btn--block btn--primary" onClick={() => void exportLocal('xlsx')}>
          {t('leads.export.xlsxLocal')}
        </button>
        <button type="button" className="btn btn--block" onClick={() => void exportServer('csv')}>
          {t('leads.export.csvServer')}
        </button>
        <button type="button" className="btn btn--block" onClick={() => void exportServer('xlsx')}>
          {t('leads.export.xlsxServer')}
        </button>
        {exportError && (
          <p className="banner banner--error" role="alert">
            {exportError}
          </p>
        )}
      </section>
    </section>
  );
}
