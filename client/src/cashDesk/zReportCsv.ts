import { minorToDecimalString, type PaymentMethod, paymentMethod, type ZReport } from '@makeplus/shared';
import Papa from 'papaparse';
import { type DocumentLocale, paymentMethodLabels, zReportLabels } from './documentText';

/**
 * The Z report as one CSV table for spreadsheets and accounting: one row per figure, a `section`
 * and a stable machine `key` (English, whatever the language of the labels), the amount both as
 * exact integer minor units (`amount_minor`, for machines) and as a decimal string (`amount`,
 * e.g. "2000.00", for people). The same figures as the PDF, from the same report.
 *
 * Sections: meta, summary (gross / cancelled / completed), method (cash / bank_transfer / mixed),
 * item, cancellation, refunds_earlier, drawer (opening / cash_sales / cash_refunds / expected /
 * counted / difference), sale (the journal).
 */
export const zReportCsvColumns = [
  'section',
  'key',
  'label',
  'value',
  'method',
  'status',
  'count',
  'quantity',
  'amount_minor',
  'amount',
  'cash_minor',
  'cash',
] as const;
export type ZReportCsvColumn = (typeof zReportCsvColumns)[number];

export type ZReportCsvSection =
  | 'meta'
  | 'summary'
  | 'method'
  | 'item'
  | 'cancellation'
  | 'refunds_earlier'
  | 'drawer'
  | 'sale';

export interface ZReportCsvRow {
  section: ZReportCsvSection;
  key: string;
  label: string;
  value: string;
  method: PaymentMethod | '';
  status: string;
  count: number | null;
  quantity: number | null;
  amountMinor: number | null;
  cashMinor: number | null;
}

export interface ZReportCsvOptions {
  locale?: DocumentLocale;
  /** Field separator (default ","; ";" suits a French spreadsheet). */
  delimiter?: ',' | ';' | '\t';
}

/** The report's rows, before they are written as CSV. */
export function zReportCsvRows(report: ZReport, locale: DocumentLocale = 'fr'): ZReportCsvRow[] {
  const L = zReportLabels[locale];
  const M = paymentMethodLabels[locale];
  const rows: ZReportCsvRow[] = [];
  const row = (r: Partial<ZReportCsvRow> & Pick<ZReportCsvRow, 'section' | 'key'>) =>
    rows.push({
      label: '',
      value: '',
      method: '',
      status: '',
      count: null,
      quantity: null,
      amountMinor: null,
      cashMinor: null,
      ...r,
    });
  const meta = (key: string, label: string, value: string) => row({ section: 'meta', key, label, value });
  meta('event', L.event, report.eventName);
  meta('event_id', L.event, report.eventId);
  meta('register', L.register, report.registerName);
  meta('register_id', L.register, report.cashRegisterId);
  meta('receipt_prefix', L.register, report.receiptPrefix);
  meta('currency', '', report.currency);
  meta('timezone', '', report.timezone);
  meta('from', L.period, report.from);
  meta('to', L.period, report.to);
  meta('generated_at', L.generatedAt, report.generatedAt);
  meta('first_receipt', L.firstLast, report.receipts.first ?? '');
  meta('last_receipt', L.firstLast, report.receipts.last ?? '');
  row({ section: 'meta', key: 'receipts', label: L.receipts, count: report.receipts.count });
  meta('missing_receipts', L.missing, report.receipts.missing.join(' '));
  meta('duplicate_receipts', L.collisions, report.receipts.collisions.map((c) => c.receiptSeq).join(' '));
  meta('cashiers', L.cashiers, report.cashiers.join(' | '));
  meta('devices', L.devices, report.devices.join(' | '));

  const s = report.summary;
  row({ section: 'summary', key: 'gross', label: L.gross, count: s.salesCount, amountMinor: s.grossMinor });
  row({
    section: 'summary',
    key: 'cancelled',
    label: L.cancelled,
    count: s.cancelledCount,
    amountMinor: s.cancelledMinor,
    cashMinor: s.cancelledCashMinor,
  });
  row({
    section: 'summary',
    key: 'completed',
    label: L.completed,
    count: s.completedCount,
    amountMinor: s.completedMinor,
    cashMinor: s.cashMinor,
  });
  for (const k of paymentMethod.options as readonly PaymentMethod[]) {
    const t = s.byMethod[k];
    row({
      section: 'method',
      key: k,
      label: M[k],
      method: k,
      count: t.count,
      amountMinor: t.totalMinor,
      cashMinor: t.cashMinor,
    });
  }
  for (const i of s.byItem)
    row({
      section: 'item',
      key: i.payableItemId,
      label: i.name,
      value: i.kind,
      quantity: i.quantity,
      amountMinor: i.totalMinor,
    });
  for (const c of report.cancellations)
    row({
      section: 'cancellation',
      key: c.transactionId,
      label: c.receiptNumber,
      value: c.reason,
      method: c.paymentMethod,
      status: c.sameWindow ? 'same_period' : 'earlier_sale',
      amountMinor: c.totalMinor,
      cashMinor: c.cashMinor,
    });
  const e = report.refundsOfEarlierSales;
  row({
    section: 'refunds_earlier',
    key: 'refunds_earlier',
    label: L.earlier,
    count: e.count,
    amountMinor: e.totalMinor,
    cashMinor: e.cashMinor,
  });
  const d = report.drawer;
  const drawer = (key: string, label: string, minor: number | null) =>
    row({ section: 'drawer', key, label, amountMinor: minor, cashMinor: minor });
  drawer('opening', L.opening, d.openingFloatMinor);
  drawer('cash_sales', L.cashSales, d.cashSalesMinor);
  drawer('cash_refunds', L.cashRefunds, d.cashRefundsMinor);
  drawer('expected', L.expected, d.expectedMinor);
  drawer('counted', L.counted, d.countedMinor);
  drawer('difference', L.difference, d.differenceMinor);
  for (const j of report.journal)
    row({
      section: 'sale',
      key: j.transactionId,
      label: j.receiptNumber,
      value: j.occurredAt,
      method: j.paymentMethod,
      status: j.cancelled ? 'cancelled' : 'completed',
      count: 1,
      amountMinor: j.totalMinor,
      cashMinor: j.cashMinor,
    });
  return rows;
}

/** Cells starting like a spreadsheet formula are neutralised; plain (negative) decimals are left alone. */
const FORMULA = /^[=+\-@\t\r](?!\d+(\.\d+)?$)/;

/** The Z report as CSV text (no byte-order mark; see `zReportCsvBlob` for downloads). */
export function zReportCsv(report: ZReport, options: ZReportCsvOptions = {}): string {
  const currency = report.currency;
  const dec = (minor: number | null) => (minor === null ? '' : minorToDecimalString(minor, currency));
  const data = zReportCsvRows(report, options.locale ?? 'fr').map((r) => [
    r.section,
    r.key,
    r.label,
    r.value,
    r.method,
    r.status,
    r.count ?? '',
    r.quantity ?? '',
    r.amountMinor ?? '',
    dec(r.amountMinor),
    r.cashMinor ?? '',
    dec(r.cashMinor),
  ]);
  return Papa.unparse(
    { fields: [...zReportCsvColumns], data },
    { delimiter: options.delimiter ?? ',', newline: '\r\n', escapeFormulae: FORMULA },
  );
}

/** CSV with a UTF-8 byte-order mark, so spreadsheet software reads the accents right. */
export function zReportCsvBlob(report: ZReport, options: ZReportCsvOptions = {}): Blob {
  return new Blob([`\ufeff${zReportCsv(report, options)}`], { type: 'text/csv;charset=utf-8' });
}

/** Read a Z-report CSV back (any delimiter, with or without BOM) into rows with exact integer amounts. */
export function readZReportCsv(text: string): ZReportCsvRow[] {
  const parsed = Papa.parse<Record<ZReportCsvColumn, string>>(text.replace(/^\ufeff/, ''), {
    header: true,
    skipEmptyLines: true,
    dynamicTyping: false,
  });
  if (parsed.errors.length)
    throw new Error(`Z report CSV: ${parsed.errors[0]?.message} (row ${parsed.errors[0]?.row})`);
  const int = (v: string | undefined): number | null => {
    if (v === undefined || v === '') return null;
    if (!/^-?\d+$/.test(v)) throw new Error(`Z report CSV: not an integer amount: ${v}`);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`Z report CSV: amount out of range: ${v}`);
    return n;
  };
  const unquote = (v: string | undefined) => (v ?? '').replace(/^'(?=[=+\-@\t\r])/, '');
  return parsed.data.map((r) => ({
    section: r.section as ZReportCsvSection,
    key: r.key,
    label: unquote(r.label),
    value: unquote(r.value),
    method: (r.method ?? '') as PaymentMethod | '',
    status: r.status ?? '',
    count: int(r.count),
    quantity: int(r.quantity),
    amountMinor: int(r.amount_minor),
    cashMinor: int(r.cash_minor),
  }));
}
