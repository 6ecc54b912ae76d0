import {
  buildZReport,
  formatMoney,
  parseDecimalToMinor,
  participantDisplayName,
  summarizeRegister,
} from '@makeplus/shared';
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { fileSlug } from '../organizer/download';
import { saveFile } from './printing';
import type { CashDeskData } from './useCashDeskData';
import { zReportCsvBlob } from './zReportCsv';
import { zReportPdfBlob } from './zReportPdf';

function closingKey(registerId: string, deviceId: string) {
  return `makeplus.cashDesk.lastClosing.${registerId}.${deviceId}`;
}
function floatKey(registerId: string) {
  return `makeplus.cashDesk.float.${registerId}`;
}

function startOfToday(): string {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}

/** The register's figures since its last closing, and closing the day (Z report PDF + CSV). */
export function RegisterPanel({ data }: { data: CashDeskData }) {
  const { t, lang, dateTime } = useI18n();
  const { event, register, store } = data;
  const currency = event?.currency ?? 'DZD';
  const money = (minor: number) => formatMoney(minor, currency, lang === 'fr' ? 'fr-FR' : 'en');
  const [lastClosing, setLastClosing] = useState<string | null>(() =>
    register ? localStorage.getItem(closingKey(register.id, store.deviceId)) : null,
  );
  const [floatText, setFloatText] = useState(() =>
    register ? (localStorage.getItem(floatKey(register.id)) ?? '') : '',
  );
  const [countedText, setCountedText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const from = lastClosing && lastClosing > startOfToday() ? lastClosing : startOfToday();
  const opening = floatText.trim() ? parseDecimalToMinor(floatText, currency) : 0;
  const counted = countedText.trim() ? parseDecimalToMinor(countedText, currency) : null;
  const windowSales = useMemo(
    () => data.transactions.filter((s) => s.cashRegisterId === register?.id && s.occurredAt >= from),
    [data.transactions, register?.id, from],
  );
  if (!register || !event) return null;
  const summary = summarizeRegister(register.id, windowSales, data.cancellations, { openingFloatMinor: opening ?? 0 });

  const close = () => {
    setError(null);
    if (opening === null || (countedText.trim() && counted === null)) {
      setError(t('cashDesk.register.badAmount'));
      return;
    }
    const now = new Date();
    const to = new Date(Math.max(now.getTime(), Date.parse(from) + 1)).toISOString();
    const report = buildZReport({
      event: { id: event.id, name: event.name, currency, timezone: event.timezone },
      register,
      from,
      to,
      generatedAt: now,
      openingFloatMinor: opening,
      countedCashMinor: counted,
      transactions: data.transactions,
      cancellations: data.cancellations,
    });
    const names: Record<string, string> = {};
    for (const j of report.journal) {
      const p = data.participants.find((x) => x.id === j.participantId);
      if (p) names[j.participantId] = participantDisplayName(p);
    }
    const base = `z-${fileSlug(register.name)}-${to.slice(0, 16).replace(/[:T]/g, '-')}`;
    saveFile(zReportPdfBlob(report, { locale: lang, participantNames: names }), `${base}.pdf`);
    saveFile(zReportCsvBlob(report, { locale: lang, delimiter: lang === 'fr' ? ';' : ',' }), `${base}.csv`);
    localStorage.setItem(closingKey(register.id, store.deviceId), to);
    setLastClosing(to);
    setCountedText('');
    setMessage(
      t('cashDesk.register.closed', { count: report.receipts.count, expected: money(report.drawer.expectedMinor) }),
    );
  };

  const m = summary.byMethod;
  return (
    <div className="cash-register">
      <section className="card" aria-labelledby="summary-title">
        <h2 id="summary-title">{t('cashDesk.register.title', { name: register.name })}</h2>
        <p className="muted">{t('cashDesk.register.since', { from: dateTime(from) })}</p>
        <dl className="figures cash-figures" data-testid="register-summary">
          <div>
            <dt>{t('cashDesk.register.sales')}</dt>
            <dd>{summary.completedCount}</dd>
          </div>
          <div>
            <dt>{t('cashDesk.register.cancellations')}</dt>
            <dd>{summary.cancelledCount}</dd>
          </div>
          <div>
            <dt>{t('cashDesk.register.total')}</dt>
            <dd>{money(summary.completedMinor)}</dd>
          </div>
          <div>
            <dt>{t('cashDesk.register.expected')}</dt>
            <dd data-testid="expected-cash">{money(summary.expectedCashMinor)}</dd>
          </div>
        </dl>
        <h3>{t('cashDesk.register.byMethod')}</h3>
        <table className="data-table">
          <tbody>
            {(['cash', 'bank_transfer', 'mixed'] as const).map((k) => (
              <tr key={k}>
                <th scope="row">{t(`cashDesk.method.${k}`)}</th>
                <td>{m[k].count}</td>
                <td>{money(m[k].totalMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>{t('cashDesk.register.byItem')}</h3>
        {summary.byItem.length === 0 ? (
          <p className="muted">{t('cashDesk.register.noSales')}</p>
        ) : (
          <table className="data-table">
            <tbody>
              {summary.byItem.map((i) => (
                <tr key={i.payableItemId}>
                  <th scope="row">{i.name}</th>
                  <td>{i.quantity}</td>
                  <td>{money(i.totalMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="closing-title">
        <h2 id="closing-title">{t('cashDesk.register.closeTitle')}</h2>
        <div className="field">
          <label htmlFor="float">{t('cashDesk.register.float')}</label>
          <input
            id="float"
            inputMode="decimal"
            value={floatText}
            onChange={(e) => {
              setFloatText(e.target.value);
              localStorage.setItem(floatKey(register.id), e.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="counted">{t('cashDesk.register.counted')}</label>
          <input
            id="counted"
            inputMode="decimal"
            value={countedText}
            onChange={(e) => setCountedText(e.target.value)}
          />
          {counted !== null && (
            <p className="field__hint">
              {t('cashDesk.register.difference', { amount: money(counted - summary.expectedCashMinor) })}
            </p>
          )}
        </div>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {message && (
          <p className="notice" role="status">
            {message}
          </p>
        )}
        <button type="button" className="btn btn--primary cash-big" onClick={close}>
          {t('cashDesk.register.close')}
        </button>
      </section>
    </div>
  );
}
