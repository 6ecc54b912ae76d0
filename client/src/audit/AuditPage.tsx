import { type AuditEntry, changedFields } from '@makeplus/shared';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { apiErrorFrom } from '../api/apiError';
import { describeError } from '../api/describeError';
import { apiJson, authorizedFetch, useSession } from '../auth/session';
import { type PlainMessageKey, useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../organizer/DataTable';
import { downloadBlob } from '../organizer/download';
import { eventResourcePath } from '../organizer/eventApi';
import '../permissions/permissions.css';

interface Facets {
  actors: { kind: string; id: string | null; label: string }[];
  collections: string[];
  devices: string[];
}
interface Filters {
  actorId: string;
  collection: string;
  deviceId: string;
  via: string;
  from: string;
  to: string;
}
const blank: Filters = { actorId: '', collection: '', deviceId: '', via: '', from: '', to: '' };
const PAGE = 200;

/** The filters as the API's query: days become this browser's local midnights (the end day included). */
function queryOf(f: Filters): Record<string, string> {
  const midnight = (day: string, plusDays = 0) => {
    const d = new Date(`${day}T00:00:00`);
    d.setDate(d.getDate() + plusDays);
    return d.toISOString();
  };
  const q: Record<string, string> = {};
  if (f.actorId) q.actorId = f.actorId;
  if (f.collection) q.collection = f.collection;
  if (f.deviceId) q.deviceId = f.deviceId;
  if (f.via) q.via = f.via;
  if (f.from) q.from = midnight(f.from);
  if (f.to) q.to = midnight(f.to, 1);
  return q;
}

/** Long ids (uuids, device ids) shortened on screen; the whole id is in the tooltip and the CSV. */
const short = (id: string) => (id.length > 20 ? `${id.slice(0, 10)}…` : id);
const show = (v: unknown) => {
  const text = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/**
 * The event's audit trail for organizers: filter by actor, record type, device, API and date; each
 * change shows the fields it touched, before → after (full records under « Details »); the same
 * selection downloads as CSV, streamed by the server.
 */
export function AuditPage() {
  const i18n = useI18n();
  const { t, number } = i18n;
  const eventId = useSession()?.event?.id;
  const ids = useId();
  const [facets, setFacets] = useState<Facets>({ actors: [], collections: [], devices: [] });
  const [filters, setFilters] = useState<Filters>(blank);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const [exporting, setExporting] = useState<
    { state: 'running'; total: number } | { state: 'done' | 'failed'; text: string } | null
  >(null);
  const invalidRange = Boolean(filters.from && filters.to && filters.to < filters.from);
  const query = useMemo(() => queryOf(filters), [filters]);

  const load = useCallback(
    async (before?: number) => {
      if (!eventId || invalidRange) return;
      try {
        const page = await apiJson<{ items: AuditEntry[]; next: number | null }>(
          eventResourcePath(eventId, 'audit', { ...query, limit: PAGE, ...(before ? { before } : {}) }),
        );
        setEntries((old) => (before && old ? [...old, ...page.items] : page.items));
        setNext(page.next);
        setError(null);
      } catch (err) {
        setError(describeError(err, i18n));
      }
    },
    [eventId, query, invalidRange, i18n],
  );
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (!eventId) return;
    apiJson<Facets>(eventResourcePath(eventId, 'audit/facets'))
      .then(setFacets)
      .catch(() => {});
  }, [eventId]);

  async function exportCsv() {
    if (!eventId || invalidRange) return;
    setExporting({ state: 'running', total: 0 });
    try {
      const res = await authorizedFetch(eventResourcePath(eventId, 'audit.csv', query), {
        headers: { accept: 'text/csv' },
      });
      if (!res.ok) throw await apiErrorFrom(res);
      const total = Number(res.headers.get('x-total-rows') ?? 0);
      setExporting({ state: 'running', total });
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'audit.csv';
      downloadBlob(await res.blob(), name);
      setExporting({ state: 'done', text: t('audit.exported', { rows: number(total) }) });
    } catch (err) {
      setExporting({ state: 'failed', text: t('audit.failed', { reason: describeError(err, i18n) }) });
    }
  }

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const label = (key: string) => t(key as PlainMessageKey);
  const columns: Column<AuditEntry>[] = [
    {
      key: 'receivedAt',
      label: `${t('audit.receivedAt')} / ${t('audit.occurredAt')}`,
      sortValue: (e) => e.id,
      render: (e) => (
        <>
          {i18n.dateTime(e.receivedAt)}
          <br />
          <span className="muted">{i18n.dateTime(e.occurredAt)}</span>
        </>
      ),
    },
    {
      key: 'actor',
      label: `${t('audit.actor')} · ${t('audit.device')}`,
      sortValue: (e) => e.actorLabel,
      render: (e) => (
        <>
          {e.actorLabel}
          <br />
          <span className="muted" title={e.deviceId ?? undefined}>
            {label(`audit.via.${e.via}`)}
            {e.deviceId ? ` · ${short(e.deviceId)}` : ''}
          </span>
        </>
      ),
    },
    {
      key: 'action',
      label: t('audit.action'),
      sortValue: (e) => e.action,
      render: (e) => label(`audit.action.${e.action}`),
    },
    {
      key: 'record',
      label: t('audit.record'),
      rowHeader: true,
      sortValue: (e) => `${e.collection} ${e.recordId}`,
      render: (e) => (
        <>
          {e.collection}
          <br />
          <code className="muted" title={e.recordId}>
            {short(e.recordId)}
          </code>
        </>
      ),
    },
    {
      key: 'changes',
      label: t('audit.changes'),
      render: (e) => {
        const before = (e.before ?? {}) as Record<string, unknown>;
        const after = (e.after ?? {}) as Record<string, unknown>;
        return changedFields(e.before, e.after)
          .slice(0, 6)
          .map((f) => (
            <span key={f} className="audit-change">
              {f}: {e.before !== null && <del>{show(before[f])}</del>}
              {e.before !== null && ' → '}
              <ins>{show(after[f])}</ins>
            </span>
          ));
      },
    },
  ];

  const select = (k: keyof Filters, text: string, options: { value: string; label: string }[]) => (
    <label className="field">
      {text}
      <select value={filters[k]} onChange={(e) => set(k, e.currentTarget.value)}>
        <option value="">{t('audit.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="page">
      <h1 className="page-title">{t('console.audit')}</h1>
      <p className="lead">{t('audit.intro')}</p>
      <section className="card" aria-labelledby={`${ids}-filters`}>
        <h2 id={`${ids}-filters`}>{t('audit.filters')}</h2>
        <div className="audit-filters">
          {select(
            'actorId',
            t('audit.actor'),
            facets.actors.filter((a) => a.id).map((a) => ({ value: a.id as string, label: a.label || a.kind })),
          )}
          {select(
            'collection',
            t('audit.recordType'),
            facets.collections.map((c) => ({ value: c, label: c })),
          )}
          {select(
            'deviceId',
            t('audit.device'),
            facets.devices.map((d) => ({ value: d, label: d })),
          )}
          {select(
            'via',
            t('audit.via'),
            ['rest', 'mobile', 'sync', 'system'].map((v) => ({ value: v, label: label(`audit.via.${v}`) })),
          )}
          <label className="field">
            {t('audit.from')}
            <input type="date" value={filters.from} onChange={(e) => set('from', e.currentTarget.value)} />
          </label>
          <label className="field">
            {t('audit.to')}
            <input type="date" value={filters.to} onChange={(e) => set('to', e.currentTarget.value)} />
          </label>
        </div>
        {invalidRange && (
          <p className="text-danger" role="alert">
            {t('audit.invalidRange')}
          </p>
        )}
        <div className="btn-row">
          <button type="button" className="btn btn--small" onClick={() => setFilters(blank)}>
            {t('audit.clear')}
          </button>
          <button
            type="button"
            className="btn btn--small"
            disabled={invalidRange || exporting?.state === 'running'}
            onClick={() => void exportCsv()}
          >
            {t('audit.export')}
          </button>
        </div>
        {exporting?.state === 'running' && (
          <p role="status">
            <progress aria-label={t('audit.export')} /> {t('audit.exporting', { total: number(exporting.total) })}
          </p>
        )}
        {exporting && exporting.state !== 'running' && (
          <p className={exporting.state === 'failed' ? 'text-danger' : 'text-success'} role="status">
            {exporting.text}
          </p>
        )}
      </section>
      {error && (
        <p className="text-danger" role="alert">
          {error}{' '}
          <button type="button" className="btn btn--small" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!entries && !error && <progress aria-label={t('common.loading')} />}
      {entries && (
        <section className="card">
          <DataTable
            caption={t('audit.caption')}
            rows={entries}
            columns={columns}
            rowKey={(e) => String(e.id)}
            resetKey={JSON.stringify(query)}
            empty={t('audit.none')}
            actions={(e) => (
              <button type="button" className="btn btn--small" onClick={() => setOpen(open?.id === e.id ? null : e)}>
                {t('audit.details')}
              </button>
            )}
          />
          {next && (
            <button type="button" className="btn btn--small" onClick={() => void load(next)}>
              {t('audit.more')}
            </button>
          )}
        </section>
      )}
      {open && (
        <section className="card" aria-label={t('audit.details')}>
          <h2>
            {open.collection} · {label(`audit.action.${open.action}`)} · {open.actorLabel}
          </h2>
          <div className="audit-json">
            <div>
              <h3>{t('audit.before')}</h3>
              <pre>{open.before === null ? '—' : JSON.stringify(open.before, null, 2)}</pre>
            </div>
            <div>
              <h3>{t('audit.after')}</h3>
              <pre>{open.after === null ? '—' : JSON.stringify(open.after, null, 2)}</pre>
            </div>
          </div>
          <button type="button" className="btn btn--small" onClick={() => setOpen(null)}>
            {t('common.close')}
          </button>
        </section>
      )}
    </div>
  );
}
