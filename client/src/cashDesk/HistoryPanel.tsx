import {
  buildCancellation,
  deriveSaleStatus,
  effectiveCancellations,
  formatMoney,
  newId,
  type PaymentMethod,
  participantDisplayName,
  type TransactionRecord,
} from '@makeplus/shared';
import { type FormEvent, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Dialog } from '../shell/Dialog';
import { recordFact } from '../sync/localWrites';
import { fold } from './participantSearch';
import { receiptBlob, receiptFilename, saveFile } from './printing';
import type { CashDeskData } from './useCashDeskData';

/** This register's sales, newest first: filters, search, reprint, cancel. */
export function HistoryPanel({ data, cashierName }: { data: CashDeskData; cashierName: string }) {
  const { t, lang, dateTime } = useI18n();
  const { event, register } = data;
  const currency = event?.currency ?? 'DZD';
  const money = (minor: number) => formatMoney(minor, currency, lang === 'fr' ? 'fr-FR' : 'en');
  const [day, setDay] = useState('');
  const [status, setStatus] = useState<'' | 'completed' | 'cancelled'>('');
  const [method, setMethod] = useState<'' | PaymentMethod>('');
  const [item, setItem] = useState('');
  const [q, setQ] = useState('');
  const [cancelling, setCancelling] = useState<TransactionRecord | null>(null);

  const people = useMemo(() => new Map(data.participants.map((p) => [p.id, p])), [data.participants]);
  const eff = useMemo(() => effectiveCancellations(data.cancellations), [data.cancellations]);
  const mine = useMemo(
    () =>
      data.transactions
        .filter((s) => !s.deleted && s.cashRegisterId === register?.id)
        .sort((a, b) => b.receiptSeq - a.receiptSeq || (a.id < b.id ? -1 : 1)),
    [data.transactions, register?.id],
  );
  const itemsSold = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of mine) for (const l of s.lines) m.set(l.payableItemId, l.name);
    return [...m].sort((a, b) => a[1].localeCompare(b[1], 'fr'));
  }, [mine]);
  const tz = event?.timezone ?? 'Africa/Algiers';
  const dayOf = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(iso));
  const words = fold(q).split(/\s+/).filter(Boolean);
  const rows = mine.filter((s) => {
    const st = deriveSaleStatus(s, eff).status;
    if (status && st !== status) return false;
    if (method && s.paymentMethod !== method) return false;
    if (item && !s.lines.some((l) => l.payableItemId === item)) return false;
    if (day && dayOf(s.occurredAt) !== day) return false;
    if (words.length) {
      const p = people.get(s.participantId);
      const hay = fold(
        `${s.receiptNumber} ${p ? `${participantDisplayName(p)} ${p.email}` : ''} ${s.lines.map((l) => l.name).join(' ')}`,
      );
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  });

  const reprint = (s: TransactionRecord, layout: 'thermal80' | 'a4') => {
    if (!event || !register) return;
    saveFile(
      receiptBlob(s, people.get(s.participantId), event, register.name, data.cancellations, layout, lang),
      receiptFilename(s, layout),
    );
  };

  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('cashDesk.history.title')}</h2>
      <div className="cash-filters">
        <div className="field">
          <label htmlFor="h-q">{t('cashDesk.history.search')}</label>
          <input id="h-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="h-day">{t('cashDesk.history.date')}</label>
          <input id="h-day" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="h-status">{t('cashDesk.history.status')}</label>
          <select id="h-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">{t('cashDesk.history.all')}</option>
            <option value="completed">{t('cashDesk.status.completed')}</option>
            <option value="cancelled">{t('cashDesk.status.cancelled')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="h-method">{t('cashDesk.history.method')}</label>
          <select id="h-method" value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
            <option value="">{t('cashDesk.history.all')}</option>
            {(['cash', 'bank_transfer', 'mixed'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`cashDesk.method.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="h-item">{t('cashDesk.history.item')}</label>
          <select id="h-item" value={item} onChange={(e) => setItem(e.target.value)}>
            <option value="">{t('cashDesk.history.all')}</option>
            {itemsSold.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted">{t('cashDesk.history.count', { shown: rows.length, total: mine.length })}</p>
      <ul className="cash-history">
        {rows.map((s) => {
          const st = deriveSaleStatus(s, eff);
          const p = people.get(s.participantId);
          return (
            <li
              key={s.id}
              className={`cash-sale-row${st.status === 'cancelled' ? ' cash-sale-row--cancelled' : ''}`}
              data-testid="history-row"
            >
              <div className="cash-sale-row__main">
                <strong>{s.receiptNumber}</strong>
                <span>{p ? participantDisplayName(p) : t('cashDesk.history.unknownPerson')}</span>
                <span className="muted">{dateTime(s.occurredAt)}</span>
                <span>{s.lines.map((l) => (l.quantity > 1 ? `${l.quantity} × ${l.name}` : l.name)).join(', ')}</span>
              </div>
              <div className="cash-sale-row__side">
                <strong>{money(s.totalMinor)}</strong>
                <span className="muted">{t(`cashDesk.method.${s.paymentMethod}`)}</span>
                {st.status === 'cancelled' ? (
                  <span className="pill pill--cancelled" title={st.cancelReason ?? ''}>
                    {t('cashDesk.status.cancelled')}
                  </span>
                ) : (
                  <span className="pill pill--active">{t('cashDesk.status.completed')}</span>
                )}
                {s.seq === 0 && <span className="pill pill--soon">{t('cashDesk.history.notSynced')}</span>}
              </div>
              <div className="cash-actions">
                <button type="button" className="btn btn--small" onClick={() => reprint(s, 'thermal80')}>
                  {t('cashDesk.print.thermal')}
                </button>
                <button type="button" className="btn btn--small" onClick={() => reprint(s, 'a4')}>
                  {t('cashDesk.print.a4')}
                </button>
                {st.status === 'completed' && (
                  <button type="button" className="btn btn--small btn--danger-outline" onClick={() => setCancelling(s)}>
                    {t('cashDesk.cancel.open')}
                  </button>
                )}
              </div>
              {st.status === 'cancelled' && st.cancelReason && (
                <p className="muted cash-sale-row__reason">
                  {t('cashDesk.cancel.reasonShown', { reason: st.cancelReason })}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {cancelling && (
        <CancelDialog data={data} sale={cancelling} cashierName={cashierName} onClose={() => setCancelling(null)} />
      )}
    </section>
  );
}

/** Cancel a sale: the reason is mandatory; the sale stays (cancelled), its entitlements are revoked. */
function CancelDialog({
  data,
  sale,
  cashierName,
  onClose,
}: {
  data: CashDeskData;
  sale: TransactionRecord;
  cashierName: string;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const money = (minor: number) => formatMoney(minor, data.event?.currency ?? 'DZD', lang === 'fr' ? 'fr-FR' : 'en');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!data.register) return;
    const out = buildCancellation({
      id: newId(),
      now: new Date(),
      eventId: data.store.eventId,
      deviceId: data.store.deviceId,
      cashRegisterId: data.register.id,
      cancelledBy: cashierName,
      reason,
      transactionId: sale.id,
      transactions: data.transactions,
      cancellations: data.cancellations,
    });
    if (!out.ok) {
      setError(out.message[lang]);
      return;
    }
    setBusy(true);
    try {
      const {
        eventId: _e,
        seq: _s,
        rev: _r,
        createdAt: _c,
        updatedAt: _u,
        deleted: _d,
        deviceId: _dv,
        receivedAt: _ra,
        ...fields
      } = out.cancellation;
      await recordFact(data.store, 'transactionCancellations', fields);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('cashDesk.cancel.title', { receipt: sale.receiptNumber })}
      onClose={onClose}
      actions={
        <button type="submit" form="cancel-form" className="btn btn--danger cash-big" disabled={busy}>
          {t('cashDesk.cancel.submit')}
        </button>
      }
    >
      <form id="cancel-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          {t('cashDesk.cancel.explain', {
            total: money(sale.totalMinor),
            cash: money(sale.cashMinor),
          })}
        </p>
        <div className="field">
          <label htmlFor="cancel-reason">
            {t('cashDesk.cancel.reason')}
            <span className="required"> *</span>
          </label>
          <textarea
            id="cancel-reason"
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={error ? true : undefined}
          />
        </div>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
