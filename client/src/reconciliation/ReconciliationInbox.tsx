import {
  type CollectionName,
  collections,
  type FlagKind,
  flagKinds,
  type ReconciliationFlagRecord,
} from '@makeplus/shared';
import { useMemo, useState } from 'react';
import type { RxDocument } from 'rxdb';
import { describeError } from '../api/describeError';
import { useSession } from '../auth/session';
import { type PlainMessageKey, useI18n } from '../i18n/i18n';
import { matchesQuery, useLocalRecords } from '../organizer/localRecords';
import { useDeviceStore } from '../sync/DeviceSync';
import type { LocalDoc } from '../sync/database';
import { editRecord } from '../sync/localWrites';
import '../statistics/statistics.css';

type StatusFilter = 'open' | 'resolved' | 'dismissed' | 'all';
type Details = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Field values as a person reads them in the two versions of a conflicting edit. */
function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * The reconciliation inbox: what only became visible once offline devices met (double admissions,
 * oversold workshops, one receipt number given twice, badges admitted on their signature alone,
 * offline edits that lost to a newer version). Each flag says what happened, who and where, and is
 * resolved or dismissed with a comment; a conflicting edit can be re-applied as a new edit. The
 * flags live on this device (they sync), so the inbox reads and resolves offline too.
 */
export function ReconciliationInbox() {
  const { t, tn } = useI18n();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [kind, setKind] = useState<FlagKind | ''>('');
  const [query, setQuery] = useState('');
  const flags = useLocalRecords('reconciliationFlags');
  const participants = useLocalRecords('participants').records;
  const rooms = useLocalRecords('rooms').records;
  const sessions = useLocalRecords('sessions').records;
  const registers = useLocalRecords('cashRegisters').records;
  const memberships = useLocalRecords('memberships').records;
  const items = useLocalRecords('payableItems').records;

  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of participants ?? []) m.set(p.id, `${p.firstName} ${p.lastName}`.trim());
    for (const r of rooms ?? []) m.set(r.id, r.name);
    for (const s of sessions ?? []) m.set(s.id, s.title);
    for (const c of registers ?? []) m.set(c.id, c.name);
    for (const x of memberships ?? []) m.set(x.id, `${x.userFirstName} ${x.userLastName}`.trim() || x.userEmail);
    for (const i of items ?? []) m.set(i.id, i.name);
    return m;
  }, [participants, rooms, sessions, registers, memberships, items]);

  const all = flags.records;
  const shownFlags = useMemo(
    () =>
      (all ?? [])
        .filter((f) => status === 'all' || f.status === status)
        .filter((f) => !kind || f.kind === kind)
        .filter((f) => matchesQuery(query, f.summary, f.subjectId, f.deviceId, JSON.stringify(f.details)))
        .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)),
    [all, status, kind, query],
  );
  const openCount = (all ?? []).filter((f) => f.status === 'open').length;

  return (
    <div className="page">
      <h1 className="page-title">{t('console.reconciliation')}</h1>
      <p className="lead">{t('inbox.intro')}</p>
      <p aria-live="polite">
        <strong>{tn('inbox.openCount', openCount)}</strong>
      </p>
      <div className="toolbar toolbar--wrap">
        <label>
          <span>{t('inbox.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            {(['open', 'resolved', 'dismissed', 'all'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`inbox.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('inbox.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as FlagKind | '')}>
            <option value="">{t('inbox.kind.all')}</option>
            {flagKinds.map((k) => (
              <option key={k} value={k}>
                {t(`flag.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          className="search-input"
          aria-label={t('inbox.search')}
          placeholder={t('inbox.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {all === undefined ? (
        <p className="muted">{t('common.loading')}</p>
      ) : shownFlags.length === 0 ? (
        <section className="card">
          <p>{status === 'open' ? t('inbox.allClear') : t('inbox.none')}</p>
        </section>
      ) : (
        <>
          <p className="muted">{tn('inbox.shown', shownFlags.length)}</p>
          <ul className="plain-list flag-list">
            {shownFlags.map((f) => (
              <li key={f.id}>
                <FlagCard flag={f} names={names} doc={flags.docOf(f.id)} />
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function FlagCard({
  flag,
  names,
  doc,
}: {
  flag: ReconciliationFlagRecord;
  names: ReadonlyMap<string, string>;
  doc: RxDocument<LocalDoc> | undefined;
}) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const store = useDeviceStore();
  const session = useSession();
  const me = session?.user?.id ?? null;
  const [comment, setComment] = useState(flag.resolution ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const d = flag.details as Details;
  const name = (id: unknown) => (typeof id === 'string' && id ? (names.get(id) ?? id.slice(0, 8)) : '');
  const titleId = `flag-${flag.id}`;

  async function setStatus(status: ReconciliationFlagRecord['status'], resolution: string | null) {
    if (!store || !doc) return;
    setBusy(true);
    setMessage(null);
    try {
      const resolving = status !== 'open';
      await editRecord(store, 'reconciliationFlags', doc, {
        status,
        resolution: resolution?.trim() ? resolution.trim() : null,
        resolvedBy: resolving ? me : null,
        resolvedAt: resolving ? new Date().toISOString() : null,
      });
      setMessage({ ok: true, text: t(`inbox.done.${status}`) });
    } catch (err) {
      setMessage({ ok: false, text: describeError(err, i18n) });
    } finally {
      setBusy(false);
    }
  }

  /** Re-apply the losing fields of a conflicting edit on top of the current version, as a new edit. */
  async function reapply() {
    if (!store) return;
    const collection = str(d.collection) as CollectionName;
    const local = (d.local ?? {}) as Details;
    const fields = (Array.isArray(d.changedFields) ? d.changedFields : []) as string[];
    setBusy(true);
    setMessage(null);
    try {
      const target = store.db.collections[collection];
      if (!target || !(collection in collections)) throw new Error(t('inbox.notOnDevice'));
      const current = await target.findOne(flag.subjectId).exec();
      if (!current) throw new Error(t('inbox.subjectGone'));
      const patch = Object.fromEntries(fields.map((k) => [k, local[k]]));
      await editRecord(store, collection, current, patch as never);
      if (doc)
        await editRecord(store, 'reconciliationFlags', doc, {
          status: 'resolved',
          resolution: [t('inbox.reappliedNote', { fields: fields.join(', ') }), comment.trim()]
            .filter(Boolean)
            .join(' — '),
          resolvedBy: me,
          resolvedAt: new Date().toISOString(),
        });
      setMessage({ ok: true, text: t('inbox.reapplied') });
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : describeError(err, i18n) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className={`card flag-card flag-card--${flag.status}`} aria-labelledby={titleId}>
      <header className="flag-card__head">
        <h2 id={titleId} className="flag-card__title">
          {t(`flag.kind.${flag.kind}`)}
        </h2>
        <span className={`pill ${flag.status === 'open' ? 'pill--soon' : 'pill--active'}`}>
          {t(`inbox.status.${flag.status}`)}
        </span>
      </header>
      <p>{flag.summary}</p>
      <dl className="flag-facts">
        <dt>{t('inbox.when')}</dt>
        <dd>{dateTime(flag.occurredAt)}</dd>
        <FlagFacts flag={flag} name={name} />
      </dl>
      {(flag.kind === 'conflicting_edit' || flag.kind === 'refused_edit') && <ConflictVersions details={d} />}
      <details>
        <summary>{t('inbox.rawDetails')}</summary>
        <pre className="json-details">{JSON.stringify(flag.details, null, 2)}</pre>
      </details>
      {flag.status === 'open' ? (
        <div className="flag-card__actions">
          <label className="field">
            <span>{t('inbox.comment')}</span>
            <textarea rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <div className="btn-row">
            <button
              type="button"
              className="btn btn--primary"
              disabled={busy}
              onClick={() => void setStatus('resolved', comment)}
            >
              {t('inbox.markReviewed')}
            </button>
            {/* A refused edit of a record the server holds can be tried again once its cause is gone
                (e.g. the room re-created); a refused new record is in the details to re-enter. */}
            {(flag.kind === 'conflicting_edit' || (flag.kind === 'refused_edit' && !!d.assumed)) && (
              <button type="button" className="btn" disabled={busy} onClick={() => void reapply()}>
                {t('inbox.reapply')}
              </button>
            )}
            <button type="button" className="btn" disabled={busy} onClick={() => void setStatus('dismissed', comment)}>
              {t('inbox.dismiss')}
            </button>
          </div>
        </div>
      ) : (
        <div className="flag-card__resolution">
          <p>
            {t('inbox.resolvedBy', {
              who: flag.resolvedBy && flag.resolvedBy === me ? t('inbox.you') : (flag.resolvedBy?.slice(0, 8) ?? '—'),
              when: flag.resolvedAt ? dateTime(flag.resolvedAt) : '—',
            })}
            {flag.seq === 0 ? ` ${t('inbox.pendingSync')}` : ''}
          </p>
          {flag.resolution && <blockquote>{flag.resolution}</blockquote>}
          <button type="button" className="btn btn--small" disabled={busy} onClick={() => void setStatus('open', null)}>
            {t('inbox.reopen')}
          </button>
        </div>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'muted' : 'text-danger'}>
          {message.text}
        </p>
      )}
    </article>
  );
}

/** Who and where, per kind of flag, from its details and this device's names. */
function FlagFacts({ flag, name }: { flag: ReconciliationFlagRecord; name: (id: unknown) => string }) {
  const { t, dateTime } = useI18n();
  const d = flag.details as Details;
  const rows: [PlainMessageKey, string][] = [];
  const at = (ref: unknown) => {
    const r = (ref ?? {}) as Details;
    return `${r.occurredAt ? dateTime(str(r.occurredAt)) : '—'} · ${t('inbox.device')} ${str(r.deviceId) || '—'}`;
  };
  switch (flag.kind) {
    case 'double_admission':
      rows.push(['inbox.who', name(d.participantId) || str(d.badgeCode).slice(0, 24)]);
      rows.push(['inbox.where', name(d.roomId)]);
      rows.push(['inbox.firstAdmission', at(d.first)]);
      rows.push(['inbox.secondAdmission', at(d.second)]);
      break;
    case 'offline_badge':
      rows.push(['inbox.who', str(d.badgeCode).slice(0, 40)]);
      rows.push(['inbox.where', name(d.roomId) || t('inbox.entrance')]);
      rows.push(['inbox.byDevice', str(d.deviceId) || flag.deviceId]);
      break;
    case 'oversold': {
      const excess = (Array.isArray(d.excess) ? d.excess : []) as Details[];
      rows.push(['inbox.where', name(flag.subjectId)]);
      rows.push(['inbox.seats', `${Number(d.seatsTaken ?? 0)} / ${Number(d.capacity ?? 0)}`]);
      rows.push([
        'inbox.who',
        excess
          .map((x) => `${name(x.participantId)} (${str(x.receiptNumber)}, ${t('inbox.device')} ${str(x.deviceId)})`)
          .join(' ; '),
      ]);
      break;
    }
    case 'receipt_collision':
      rows.push(['inbox.where', name(d.cashRegisterId)]);
      rows.push(['inbox.byDevice', ((d.deviceIds as string[] | undefined) ?? []).join(', ')]);
      rows.push([
        'inbox.sales',
        ((d.transactionIds as string[] | undefined) ?? []).map((x) => x.slice(0, 8)).join(', '),
      ]);
      break;
    case 'conflicting_edit':
      rows.push(['inbox.what', `${str(d.collection)} · ${name(flag.subjectId)}`]);
      rows.push(['inbox.byDevice', flag.deviceId]);
      break;
    case 'refused_edit': {
      const refusal = (d.refusal ?? {}) as Details;
      const fields = (Array.isArray(refusal.fields) ? refusal.fields : []) as Details[];
      rows.push(['inbox.what', `${str(d.collection)} · ${name(flag.subjectId)}`]);
      rows.push(['inbox.byDevice', flag.deviceId]);
      rows.push([
        'inbox.refusalReason',
        fields.length ? fields.map((f) => `${str(f.field)} : ${str(f.reason)}`).join(' ; ') : str(refusal.message),
      ]);
      break;
    }
  }
  return (
    <>
      {rows.map(([label, value]) => (
        <div key={label} className="flag-facts__row">
          <dt>{t(label)}</dt>
          <dd>{value || '—'}</dd>
        </div>
      ))}
    </>
  );
}

/** The two versions of a conflicting or refused edit, field by field. */
function ConflictVersions({ details }: { details: Details }) {
  const { t } = useI18n();
  const fields = (Array.isArray(details.changedFields) ? details.changedFields : []) as string[];
  const local = (details.local ?? {}) as Details;
  // A refused new record: nothing was kept (the server never held it).
  const server = (details.server ?? {}) as Details;
  if (fields.length === 0) return null;
  return (
    <table className="data-table compact conflict-table">
      <caption>{t('inbox.versions')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('inbox.field')}</th>
          <th scope="col">{t('inbox.losing')}</th>
          <th scope="col">{t('inbox.kept')}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f}>
            <th scope="row">{f}</th>
            <td>{shown(local[f])}</td>
            <td>{shown(server[f])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
