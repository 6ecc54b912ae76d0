import {
  type EventDashboard,
  type ExportDataset,
  type ExportFilters,
  exportDatasets,
  exportFilterKeys,
  exportFilters,
  formatMoney,
  scanReasons,
} from '@makeplus/shared';
import { useId, useMemo, useState } from 'react';
import { describeError } from '../api/describeError';
import { apiJson, useSession } from '../auth/session';
import { type PlainMessageKey, useI18n } from '../i18n/i18n';
import { downloadBlob, fileSlug } from '../organizer/download';
import { eventResourcePath } from '../organizer/eventApi';
import { useLocalRecords } from '../organizer/localRecords';
import '../statistics/statistics.css';
import { csvToWorkbook, fetchExportCsv, fetchLeads, summaryPdf } from './exportFiles';

type Job =
  | { state: 'idle' }
  | { state: 'running'; label: string; phase: 'download' | 'excel' | 'pdf'; done: number; total: number }
  | { state: 'done'; text: string }
  | { state: 'failed'; text: string };

interface Screen {
  from: string;
  to: string;
  roomId: string;
  q: string;
  granted: '' | 'true' | 'false';
  reason: string;
  cashRegisterId: string;
}
const blank: Screen = { from: '', to: '', roomId: '', q: '', granted: '', reason: '', cashRegisterId: '' };

/** The filters on screen as the export query: days become this browser's local midnights. */
function filtersOf(s: Screen): ExportFilters {
  const midnight = (day: string, plusDays = 0) => {
    const d = new Date(`${day}T00:00:00`);
    d.setDate(d.getDate() + plusDays);
    return d.toISOString();
  };
  return exportFilters.parse({
    from: s.from ? midnight(s.from) : undefined,
    to: s.to ? midnight(s.to, 1) : undefined,
    roomId: s.roomId || undefined,
    q: s.q.trim() || undefined,
    granted: s.granted || undefined,
    reason: s.reason || undefined,
    cashRegisterId: s.cashRegisterId || undefined,
  });
}

/**
 * Exports of the event: participants, scans, room attendance, sales (streamed by the server, which
 * holds the facts this device does not keep) and leads, as CSV or Excel, with the filters shown on
 * this page; and the event summary as a PDF. Each file shows its progress while it is made.
 */
export function ExportsPage() {
  const i18n = useI18n();
  const { t, number } = i18n;
  const session = useSession();
  const eventId = session?.event?.id;
  const eventName = session?.event?.name ?? 'event';
  const rooms = useLocalRecords('rooms').records;
  const registers = useLocalRecords('cashRegisters').records;
  const currency = useLocalRecords('events').records?.[0]?.currency ?? 'DZD';
  const [screen, setScreen] = useState<Screen>(blank);
  const [job, setJob] = useState<Job>({ state: 'idle' });
  const ids = useId();
  const busy = job.state === 'running';

  const invalidRange = Boolean(screen.from && screen.to && screen.to < screen.from);
  const sortedRooms = useMemo(() => [...(rooms ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [rooms]);
  const set = <K extends keyof Screen>(k: K, v: Screen[K]) => setScreen((s) => ({ ...s, [k]: v }));

  async function exportDataset(dataset: ExportDataset, format: 'csv' | 'xlsx') {
    if (!eventId || invalidRange) return;
    const label = t(`exports.dataset.${dataset}`);
    setJob({ state: 'running', label, phase: 'download', done: 0, total: 0 });
    try {
      const { text, filename, total } = await fetchExportCsv(eventId, dataset, filtersOf(screen), (done, all) =>
        setJob({ state: 'running', label, phase: 'download', done, total: all }),
      );
      if (format === 'csv') {
        downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), filename);
      } else {
        const blob = await csvToWorkbook(
          dataset,
          text,
          (done, all) => setJob({ state: 'running', label, phase: 'excel', done, total: all }),
          label,
        );
        downloadBlob(blob, filename.replace(/\.csv$/, '.xlsx'));
      }
      setJob({ state: 'done', text: t('exports.done', { label, rows: number(total) }) });
    } catch (err) {
      setJob({ state: 'failed', text: t('exports.failed', { label, reason: describeError(err, i18n) }) });
    }
  }

  async function exportLeads(format: 'csv' | 'xlsx') {
    if (!eventId) return;
    const label = t('exports.dataset.leads');
    setJob({ state: 'running', label, phase: 'download', done: 0, total: 0 });
    try {
      const { blob, filename } = await fetchLeads(eventId, format);
      downloadBlob(blob, filename);
      setJob({ state: 'done', text: t('exports.doneFile', { label }) });
    } catch (err) {
      setJob({ state: 'failed', text: t('exports.failed', { label, reason: describeError(err, i18n) }) });
    }
  }

  async function exportSummary() {
    if (!eventId) return;
    const label = t('exports.summary');
    setJob({ state: 'running', label, phase: 'pdf', done: 0, total: 0 });
    try {
      const d = await apiJson<EventDashboard>(eventResourcePath(eventId, 'statistics/dashboard'));
      const money = (m: number) => formatMoney(m, currency, i18n.lang);
      const blob = summaryPdf(
        eventName,
        d,
        {
          title: t('exports.summary'),
          generated: t('run.updated', { time: i18n.dateTime(d.generatedAt) }),
          figures: [
            [t('run.registered'), number(d.registered)],
            [t('run.present'), number(d.checkedIn)],
            [t('run.scansGranted'), number(d.scans.granted)],
            [t('run.scansDenied'), number(d.scans.denied)],
            [t('run.revenue'), money(d.revenue.totalMinor)],
            [t('run.sales'), number(d.revenue.salesCount)],
            [t('run.cancelledSales'), number(d.revenue.cancelledCount)],
          ],
          rooms: {
            heading: t('run.occupancy'),
            name: t('run.room'),
            inside: t('run.insideNow'),
            capacity: t('run.capacity'),
            entries: t('run.entries'),
          },
          denied: t('run.deniedByReason'),
          reasonLabel: (r) => t(`door.reason.${r}` as PlainMessageKey),
          revenueByItem: t('run.byItem'),
          revenueByRegister: t('run.byRegister'),
          name: t('run.name'),
          count: t('run.count'),
          amount: t('run.amount'),
          none: t('exports.none'),
        },
        currency,
        i18n.lang,
      );
      downloadBlob(blob, `${fileSlug(eventName)}-summary-${new Date().toISOString().slice(0, 10)}.pdf`);
      setJob({ state: 'done', text: t('exports.doneFile', { label }) });
    } catch (err) {
      setJob({ state: 'failed', text: t('exports.failed', { label, reason: describeError(err, i18n) }) });
    }
  }

  const applies = (dataset: ExportDataset) =>
    exportFilterKeys[dataset]
      .filter((k) => (k === 'from' || k === 'to' ? screen.from || screen.to : screen[k as keyof Screen]))
      .map((k) => t(`exports.filter.${k === 'to' ? 'from' : k}` as PlainMessageKey))
      .filter((v, i, a) => a.indexOf(v) === i);

  return (
    <div className="page">
      <h1 className="page-title">{t('console.exports')}</h1>
      <p className="lead">{t('exports.intro')}</p>

      <section className="card" aria-labelledby={`${ids}-filters`}>
        <h2 id={`${ids}-filters`}>{t('exports.filters')}</h2>
        <div className="form-grid export-filters">
          <label className="field">
            <span>{t('exports.from')}</span>
            <input type="date" value={screen.from} onChange={(e) => set('from', e.target.value)} />
          </label>
          <label className="field">
            <span>{t('exports.to')}</span>
            <input
              type="date"
              value={screen.to}
              aria-invalid={invalidRange}
              onChange={(e) => set('to', e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('exports.filter.roomId')}</span>
            <select value={screen.roomId} onChange={(e) => set('roomId', e.target.value)}>
              <option value="">{t('exports.allRooms')}</option>
              {sortedRooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('exports.filter.granted')}</span>
            <select value={screen.granted} onChange={(e) => set('granted', e.target.value as Screen['granted'])}>
              <option value="">{t('exports.anyVerdict')}</option>
              <option value="true">{t('exports.grantedOnly')}</option>
              <option value="false">{t('exports.deniedOnly')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('exports.filter.reason')}</span>
            <select value={screen.reason} onChange={(e) => set('reason', e.target.value)}>
              <option value="">{t('exports.anyReason')}</option>
              {scanReasons.map((r) => (
                <option key={r} value={r}>
                  {t(`door.reason.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('exports.filter.cashRegisterId')}</span>
            <select value={screen.cashRegisterId} onChange={(e) => set('cashRegisterId', e.target.value)}>
              <option value="">{t('exports.allRegisters')}</option>
              {(registers ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('exports.filter.q')}</span>
            <input type="search" value={screen.q} onChange={(e) => set('q', e.target.value)} />
          </label>
        </div>
        {invalidRange && (
          <p className="text-danger" role="alert">
            {t('exports.badRange')}
          </p>
        )}
        <button type="button" className="btn btn--small" onClick={() => setScreen(blank)} disabled={busy}>
          {t('exports.clearFilters')}
        </button>
      </section>

      <section className="card" aria-labelledby={`${ids}-files`}>
        <h2 id={`${ids}-files`}>{t('exports.files')}</h2>
        <table className="data-table">
          <caption className="visually-hidden">{t('exports.files')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('exports.data')}</th>
              <th scope="col">{t('exports.appliedFilters')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {exportDatasets.map((d) => {
              const filters = applies(d);
              const label = t(`exports.dataset.${d}`);
              return (
                <tr key={d}>
                  <th scope="row">
                    {label}
                    <br />
                    <span className="muted">{t(`exports.dataset.${d}.hint`)}</span>
                  </th>
                  <td>{filters.length ? filters.join(', ') : t('exports.noFilter')}</td>
                  <td>
                    <FormatButtons
                      label={label}
                      disabled={busy || invalidRange}
                      onExport={(f) => void exportDataset(d, f)}
                    />
                  </td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">
                {t('exports.dataset.leads')}
                <br />
                <span className="muted">{t('exports.dataset.leads.hint')}</span>
              </th>
              <td>{t('exports.noFilter')}</td>
              <td>
                <FormatButtons
                  label={t('exports.dataset.leads')}
                  disabled={busy}
                  onExport={(f) => void exportLeads(f)}
                />
              </td>
            </tr>
            <tr>
              <th scope="row">
                {t('exports.summary')}
                <br />
                <span className="muted">{t('exports.summary.hint')}</span>
              </th>
              <td>{t('exports.noFilter')}</td>
              <td>
                <button type="button" className="btn btn--small" disabled={busy} onClick={() => void exportSummary()}>
                  PDF
                </button>
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <div aria-live="polite" className="export-status">
        {job.state === 'running' && (
          <div>
            <p>
              {t(`exports.phase.${job.phase}`, {
                label: job.label,
                done: number(job.done),
                total: number(job.total),
              })}
            </p>
            <progress
              className="progress"
              aria-label={t('exports.progress')}
              max={job.total || undefined}
              value={job.total ? job.done : undefined}
            />
          </div>
        )}
        {job.state === 'done' && <p role="status">{job.text}</p>}
        {job.state === 'failed' && (
          <p role="alert" className="text-danger">
            {job.text}
          </p>
        )}
      </div>
    </div>
  );
}

/** The CSV and Excel buttons of one row, named for screen readers (« Participants — CSV »). */
function FormatButtons({
  label,
  disabled,
  onExport,
}: {
  label: string;
  disabled: boolean;
  onExport: (format: 'csv' | 'xlsx') => void;
}) {
  return (
    <div className="btn-row">
      {(['csv', 'xlsx'] as const).map((f) => {
        const name = f === 'csv' ? 'CSV' : 'Excel';
        return (
          <button
            key={f}
            type="button"
            className="btn btn--small"
            disabled={disabled}
            aria-label={`${label} — ${name}`}
            onClick={() => onExport(f)}
          >
            {name}
          </button>
        );
      })}
    </div>
  );
}
