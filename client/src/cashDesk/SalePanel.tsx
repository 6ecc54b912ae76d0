import {
  buildSale,
  type CartLineInput,
  formatMoney,
  newId,
  type ParticipantRecord,
  type PaymentMethod,
  parseBadgeCode,
  parseDecimalToMinor,
  participantDisplayName,
  type TransactionRecord,
  validateCart,
} from '@makeplus/shared';
import { type FormEvent, useDeferredValue, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { ScannerInput } from '../scanning/ScannerInput';
import { recordFact } from '../sync/localWrites';
import { useSyncStatus } from '../sync/status';
import type { DeviceKeyState } from './deviceKey';
import { buildSearchIndex, findByCode, searchParticipants } from './participantSearch';
import {
  badgeBlob,
  badgeCodeFor,
  badgeFilename,
  grantedSessionIds,
  receiptBlob,
  receiptFilename,
  saveFile,
} from './printing';
import type { CashDeskData } from './useCashDeskData';
import { WalkInDialog } from './WalkInDialog';

interface SalePanelProps {
  data: CashDeskData;
  deviceKey: DeviceKeyState;
  cashierName: string;
}

interface DoneSale {
  transaction: TransactionRecord;
  participant: ParticipantRecord;
}

/** Find a person, fill the cart, take the payment, complete (one local write), print. */
export function SalePanel({ data, deviceKey, cashierName }: SalePanelProps) {
  const { t, lang } = useI18n();
  const sync = useSyncStatus();
  const { store, event, register } = data;
  const currency = event?.currency ?? 'DZD';
  const money = (minor: number) => formatMoney(minor, currency, lang === 'fr' ? 'fr-FR' : 'en');

  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [participantId, setParticipantId] = useState<string | null>(null);
  const [walkIn, setWalkIn] = useState(false);
  const [cart, setCart] = useState<CartLineInput[]>([]);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [received, setReceived] = useState('');
  const [cashPart, setCashPart] = useState('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [takeoverOffered, setTakeoverOffered] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<DoneSale | null>(null);

  const index = useMemo(() => buildSearchIndex(data.participants), [data.participants]);
  const results = useMemo(() => searchParticipants(index, deferredQuery, 12), [index, deferredQuery]);
  const participant = participantId ? (data.participants.find((p) => p.id === participantId) ?? null) : null;
  const [scanning, setScanning] = useState(false);
  /** A badge read by the camera or a hardware scanner: every badge format the doors accept. */
  const onBadge = (code: string) => {
    const parsed = parseBadgeCode(code);
    const holder =
      findByCode(index, code) ??
      (parsed.format === 'legacy_user_id' || parsed.format === 'legacy_json' || parsed.format === 'legacy_badge_id'
        ? (index.people.find((p) => p.userLegacyId === parsed.userLegacyId) ?? null)
        : null);
    if (holder) {
      choose(holder);
      setScanning(false);
    } else setError(t('cashDesk.find.unknownBadge'));
  };

  const catalogue = useMemo(
    () =>
      data.items
        .filter((i) => !i.deleted && i.isActive && i.eventId === store.eventId)
        .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || a.name.localeCompare(b.name, 'fr')),
    [data.items, store.eventId],
  );
  const ctx = {
    eventId: store.eventId,
    participant,
    items: data.items,
    sessions: data.sessions,
    transactions: data.transactions,
    cancellations: data.cancellations,
    entitlements: data.entitlements,
  };
  // Each item on its own for this person: already paid, full, or on sale (seats left).
  const itemStates = new Map(
    catalogue.map((i) => [
      i.id,
      participant ? validateCart({ ...ctx, lines: [{ payableItemId: i.id }] }).lines[0] : undefined,
    ]),
  );
  const verdict = participant && cart.length ? validateCart({ ...ctx, lines: cart }) : null;
  const total = verdict?.totalMinor ?? 0;
  const receivedMinor = received.trim() ? parseDecimalToMinor(received, currency) : undefined;
  const cashMinor = method === 'mixed' && cashPart.trim() ? parseDecimalToMinor(cashPart, currency) : undefined;
  const cashDue = method === 'cash' ? total : method === 'mixed' ? (cashMinor ?? 0) : 0;
  const change = receivedMinor != null && receivedMinor >= cashDue ? receivedMinor - cashDue : null;

  const choose = (p: ParticipantRecord) => {
    setParticipantId(p.id);
    setQuery('');
    setCart([]);
    setError(null);
    setDone(null);
  };
  const toggle = (itemId: string) => {
    setError(null);
    setCart((c) =>
      c.some((l) => l.payableItemId === itemId)
        ? c.filter((l) => l.payableItemId !== itemId)
        : [...c, { payableItemId: itemId }],
    );
  };
  const setQuantity = (itemId: string, quantity: number) =>
    setCart((c) =>
      c.map((l) => (l.payableItemId === itemId ? { ...l, quantity: Math.max(1, Math.min(1000, quantity)) } : l)),
    );
  const reset = () => {
    setParticipantId(null);
    setCart([]);
    setReceived('');
    setCashPart('');
    setNotes('');
    setMethod('cash');
    setError(null);
    setTakeoverOffered(false);
  };

  const print = (sale: DoneSale, what: 'badge' | 'thermal80' | 'a4') => {
    if (!event || !register) return;
    if (what === 'badge') {
      const grants = grantedSessionIds(sale.participant.id, data.transactions, data.cancellations, data.entitlements);
      // The sale just made is in the database but may not be in this render's data yet.
      for (const l of sale.transaction.lines)
        if (l.sessionId && !grants.includes(l.sessionId)) grants.push(l.sessionId);
      const code = badgeCodeFor(sale.participant, deviceKey.key, grants.sort());
      saveFile(badgeBlob(sale.participant, event, code), badgeFilename(sale.participant));
      return;
    }
    saveFile(
      receiptBlob(sale.transaction, sale.participant, event, register.name, data.cancellations, what, lang),
      receiptFilename(sale.transaction, what),
    );
  };

  const complete = async (andPrint: boolean, takeover = false) => {
    if (!register || !participant) return;
    setBusy(true);
    setError(null);
    try {
      const out = buildSale({
        id: newId(),
        now: new Date(),
        eventId: store.eventId,
        currency,
        deviceId: store.deviceId,
        register,
        cashierName,
        participant,
        cart,
        payment: {
          method,
          ...(method === 'mixed' ? { cashMinor: cashMinor ?? undefined } : {}),
          ...(method !== 'bank_transfer' && receivedMinor != null ? { amountReceivedMinor: receivedMinor } : {}),
        },
        notes,
        takeover,
        items: data.items,
        sessions: data.sessions,
        transactions: data.transactions,
        cancellations: data.cancellations,
        entitlements: data.entitlements,
      });
      if (!out.ok) {
        setError(out.message[lang]);
        setTakeoverOffered(out.stage === 'receipt' && out.reason === 'register_held_elsewhere');
        return;
      }
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
      } = out.transaction;
      // The one local write: the sale (prices, register, cashier, device, time); its entitlements and
      // the presence mark are derived from it, here and on the server.
      const stored = await recordFact(store, 'transactions', fields);
      const sale = { transaction: stored as TransactionRecord, participant };
      setDone(sale);
      reset();
      if (andPrint) {
        print(sale, 'badge');
        print(sale, 'thermal80');
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void complete(false);
  };

  return (
    <div className="cash-sale">
      <section className="card cash-sale__find" aria-labelledby="find-title">
        <h2 id="find-title">{t('cashDesk.find.title')}</h2>
        <div className="cash-row">
          <label className="visually-hidden" htmlFor="cash-search">
            {t('cashDesk.find.label')}
          </label>
          <input
            id="cash-search"
            className="search-input cash-search"
            type="search"
            autoComplete="off"
            placeholder={t('cashDesk.find.placeholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button
            type="button"
            className="btn cash-big"
            aria-expanded={scanning}
            onClick={() => setScanning((v) => !v)}
          >
            {scanning ? t('cashDesk.find.scanClose') : t('cashDesk.find.scan')}
          </button>
          <button type="button" className="btn btn--primary cash-big" onClick={() => setWalkIn(true)}>
            {t('cashDesk.walkIn.open')}
          </button>
        </div>
        {scanning && <ScannerInput onCode={onBadge} />}
        <p className="field__hint">{t('cashDesk.find.hint', { count: index.people.length })}</p>
        {query.trim() && (
          <ul className="cash-results" aria-label={t('cashDesk.find.results')}>
            {results.length === 0 && <li className="muted">{t('cashDesk.find.none')}</li>}
            {results.map((p) => (
              <li key={p.id}>
                <button type="button" className="cash-result" onClick={() => choose(p)}>
                  <strong>{participantDisplayName(p)}</strong>
                  <span className="muted">{[p.email, p.organization].filter(Boolean).join(' · ')}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      {done && (
        <section className="card cash-done" aria-labelledby="done-title" data-testid="sale-done">
          <h2 id="done-title">
            {t('cashDesk.done.title', {
              receipt: done.transaction.receiptNumber,
              total: money(done.transaction.totalMinor),
            })}
          </h2>
          <p>
            {participantDisplayName(done.participant)}
            {done.transaction.changeMinor > 0 &&
              ` — ${t('cashDesk.done.change', { change: money(done.transaction.changeMinor) })}`}
          </p>
          <div className="cash-actions">
            <button type="button" className="btn cash-big" onClick={() => print(done, 'badge')}>
              {t('cashDesk.print.badge')}
            </button>
            <button type="button" className="btn cash-big" onClick={() => print(done, 'thermal80')}>
              {t('cashDesk.print.thermal')}
            </button>
            <button type="button" className="btn cash-big" onClick={() => print(done, 'a4')}>
              {t('cashDesk.print.a4')}
            </button>
            <button type="button" className="btn btn--ghost cash-big" onClick={() => setDone(null)}>
              {t('cashDesk.done.next')}
            </button>
          </div>
        </section>
      )}

      {participant && (
        <form className="card cash-cart" onSubmit={onSubmit} aria-labelledby="cart-title">
          <div className="cash-person">
            <div>
              <h2 id="cart-title">{participantDisplayName(participant)}</h2>
              <p className="muted">
                {[participant.email, participant.phone, participant.organization].filter(Boolean).join(' · ')}
                {participant.source === 'walk_in' && ` · ${t('cashDesk.person.walkIn')}`}
                {participant.seq === 0 && ` · ${t('cashDesk.person.pending')}`}
              </p>
            </div>
            <button type="button" className="btn btn--ghost" onClick={reset}>
              {t('cashDesk.person.change')}
            </button>
          </div>

          <fieldset className="cash-items">
            <legend>{t('cashDesk.items.title')}</legend>
            {catalogue.length === 0 && <p className="muted">{t('cashDesk.items.none')}</p>}
            {catalogue.map((item) => {
              const state = itemStates.get(item.id);
              const inCart = cart.find((l) => l.payableItemId === item.id);
              const blocked =
                state?.reason === 'already_paid' ||
                state?.reason === 'session_full' ||
                state?.reason === 'session_unavailable';
              return (
                <div
                  key={item.id}
                  className={`cash-item${inCart ? ' cash-item--on' : ''}${blocked ? ' cash-item--off' : ''}`}
                >
                  <label className="cash-item__pick">
                    <input
                      type="checkbox"
                      checked={!!inCart}
                      disabled={blocked && !inCart}
                      onChange={() => toggle(item.id)}
                    />
                    <span className="cash-item__name">{item.name}</span>
                    <span className="cash-item__price">{money(item.priceMinor)}</span>
                  </label>
                  <span className="cash-item__state">
                    {state?.reason === 'already_paid' && (
                      <span className="pill pill--active">{t('cashDesk.items.paid')}</span>
                    )}
                    {state?.reason === 'session_full' && (
                      <span className="pill pill--cancelled">{t('cashDesk.items.full')}</span>
                    )}
                    {state?.reason === 'session_unavailable' && (
                      <span className="pill pill--cancelled">{t('cashDesk.items.unavailable')}</span>
                    )}
                    {!state?.reason && state?.seatsLeft != null && (
                      <span className="muted">{t('cashDesk.items.seats', { count: state.seatsLeft })}</span>
                    )}
                    {inCart && item.kind === 'other' && (
                      <input
                        className="cash-qty"
                        type="number"
                        min={1}
                        max={1000}
                        aria-label={t('cashDesk.items.quantity', { name: item.name })}
                        value={inCart.quantity ?? 1}
                        onChange={(e) => setQuantity(item.id, Number(e.target.value) || 1)}
                      />
                    )}
                  </span>
                </div>
              );
            })}
          </fieldset>
          {verdict?.lines
            .filter((l) => l.message)
            .map((l) => (
              <p key={l.index} className="inline-error" role="alert">
                {l.message?.[lang]}
              </p>
            ))}

          <fieldset className="cash-pay">
            <legend>{t('cashDesk.pay.title')}</legend>
            <p className="cash-total" data-testid="cart-total">
              {t('cashDesk.pay.total', { total: money(total) })}
            </p>
            <div className="cash-methods" role="radiogroup" aria-label={t('cashDesk.pay.method')}>
              {(['cash', 'bank_transfer', 'mixed'] as const).map((m) => (
                <label key={m} className={`cash-method${method === m ? ' cash-method--on' : ''}`}>
                  <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} />
                  {t(`cashDesk.method.${m}`)}
                </label>
              ))}
            </div>
            {method === 'mixed' && (
              <div className="field">
                <label htmlFor="cash-part">{t('cashDesk.pay.cashPart')}</label>
                <input
                  id="cash-part"
                  inputMode="decimal"
                  value={cashPart}
                  onChange={(e) => setCashPart(e.target.value)}
                />
              </div>
            )}
            {method !== 'bank_transfer' && (
              <div className="field">
                <label htmlFor="cash-received">{t('cashDesk.pay.received')}</label>
                <input
                  id="cash-received"
                  inputMode="decimal"
                  placeholder={money(cashDue)}
                  value={received}
                  onChange={(e) => setReceived(e.target.value)}
                  aria-invalid={receivedMinor === null ? true : undefined}
                />
                {change !== null && (
                  <p className="cash-change" data-testid="change">
                    {t('cashDesk.pay.change', { change: money(change) })}
                  </p>
                )}
              </div>
            )}
            {method === 'bank_transfer' && <p className="field__hint">{t('cashDesk.pay.transferHint')}</p>}
            <div className="field">
              <label htmlFor="cash-notes">{t('cashDesk.pay.notes')}</label>
              <input id="cash-notes" value={notes} maxLength={2000} onChange={(e) => setNotes(e.target.value)} />
            </div>
          </fieldset>

          {error && (
            <div className="inline-error" role="alert">
              <p>{error}</p>
              {takeoverOffered && (
                <button
                  type="button"
                  className="btn btn--danger-outline"
                  disabled={!sync.online || busy}
                  onClick={() => void complete(false, true)}
                >
                  {sync.online ? t('cashDesk.takeover') : t('cashDesk.takeoverOffline')}
                </button>
              )}
            </div>
          )}
          <div className="cash-actions">
            <button type="submit" className="btn cash-big" disabled={busy || !verdict?.ok}>
              {t('cashDesk.sell')}
            </button>
            <button
              type="button"
              className="btn btn--primary cash-big"
              disabled={busy || !verdict?.ok}
              onClick={() => void complete(true)}
            >
              {t('cashDesk.sellAndPrint')}
            </button>
          </div>
        </form>
      )}

      {walkIn && (
        <WalkInDialog
          data={data}
          deviceKey={deviceKey}
          onClose={() => setWalkIn(false)}
          onCreated={(p) => {
            setWalkIn(false);
            choose(p);
          }}
        />
      )}
    </div>
  );
}

function kindOrder(kind: string): number {
  return ['session', 'dinner', 'access', 'other'].indexOf(kind);
}
