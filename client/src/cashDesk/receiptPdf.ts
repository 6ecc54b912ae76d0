import { linesTotalMinor, lineTotalMinor, type TransactionRecord } from '@makeplus/shared';
import { jsPDF } from 'jspdf';
import { type DocumentLocale, dateOnly, dateTime, money, paymentMethodLabels, receiptLabels } from './documentText';
import { BLACK, GREY, LIGHT, Pen, RED } from './pdfPen';

/**
 * Receipts and invoices for a sale, drawn with jsPDF so they print offline from the tablet:
 * - `thermal80`: an 80 mm roll (72 mm printed), one page as long as the receipt;
 * - `a4`: an A4 invoice, with a table of the items that continues over pages if needed.
 * Both say the same things (see `receiptContent`): event, register, receipt number, date,
 * participant, items at their sale-time prices, total, payment method, cash received and change,
 * and, for a reprint of a cancelled sale, that it was cancelled and why.
 */

export type ReceiptLayout = 'thermal80' | 'a4';

export interface ReceiptData {
  event: {
    name: string;
    venue?: string;
    locationDetails?: string;
    startsAt?: string;
    endsAt?: string;
    /** IANA time zone the dates are printed in (default Africa/Algiers). */
    timezone?: string;
    currency: string;
  };
  /** Who issues the invoice (organizer's legal name, address, tax ids), printed on the A4 header. */
  issuer?: { name?: string; address?: string; legalIds?: string[] };
  register: { name: string };
  transaction: Pick<
    TransactionRecord,
    | 'id'
    | 'receiptNumber'
    | 'occurredAt'
    | 'lines'
    | 'totalMinor'
    | 'paymentMethod'
    | 'cashMinor'
    | 'amountReceivedMinor'
    | 'changeMinor'
    | 'cashierName'
    | 'notes'
  >;
  participant: { firstName: string; lastName: string; organization?: string; email?: string; badgeId?: string };
  /** Set when reprinting a cancelled sale. */
  cancellation?: { occurredAt: string; reason: string } | null;
}

export interface ReceiptPdfOptions {
  layout: ReceiptLayout;
  locale?: DocumentLocale;
  /** Compress the page streams (default true; tests turn it off to read the text). */
  compress?: boolean;
  /** Print a QR code of the receipt reference (default true). */
  qr?: boolean;
}

/** What the receipt's QR code holds: the sale's id, for finding it again at the desk (reprint, cancel). */
export function receiptQrPayload(transactionId: string): string {
  return `makeplus:receipt:${transactionId}`;
}

export function parseReceiptQrPayload(payload: string): string | null {
  const m = /^makeplus:receipt:([0-9a-f-]{36})$/i.exec(payload.trim());
  return m?.[1] ? m[1].toLowerCase() : null;
}

export interface ReceiptRow {
  name: string;
  quantity: number;
  unitPrice: string;
  amount: string;
}

/** Everything a receipt says, as text, in one language: both layouts print exactly this. */
export interface ReceiptContent {
  eventName: string;
  eventLines: string[];
  issuerLines: string[];
  title: { receipt: string; invoice: string };
  meta: [string, string][];
  participantLines: string[];
  rows: ReceiptRow[];
  totals: [string, string][];
  cancelled: string[];
  notes: string | null;
  footer: string[];
  reference: string;
}

export function receiptContent(data: ReceiptData, locale: DocumentLocale = 'fr'): ReceiptContent {
  const L = receiptLabels[locale];
  const tz = data.event.timezone ?? 'Africa/Algiers';
  const cur = data.event.currency;
  const m = (minor: number) => money(minor, cur, locale);
  const t = data.transaction;
  const linesTotal = linesTotalMinor(t.lines);
  if (linesTotal !== t.totalMinor)
    throw new Error(`receipt ${t.receiptNumber}: lines add up to ${linesTotal}, the total says ${t.totalMinor}`);

  const eventLines: string[] = [];
  if (data.event.venue) eventLines.push(data.event.venue);
  if (data.event.locationDetails) eventLines.push(data.event.locationDetails);
  if (data.event.startsAt && data.event.endsAt) {
    const from = dateOnly(data.event.startsAt, tz, locale);
    const to = dateOnly(data.event.endsAt, tz, locale);
    eventLines.push(from === to ? from : `${from} - ${to}`);
  }

  const p = data.participant;
  const name = `${p.firstName} ${p.lastName}`.trim();
  const participantLines = [name];
  if (p.organization) participantLines.push(p.organization);
  if (p.email) participantLines.push(p.email);
  if (p.badgeId) participantLines.push(`Badge ${p.badgeId}`);

  const totals: [string, string][] = [
    [L.total, m(t.totalMinor)],
    [L.method, paymentMethodLabels[locale][t.paymentMethod]],
  ];
  if (t.paymentMethod === 'mixed') {
    totals.push([L.cashPart, m(t.cashMinor)]);
    totals.push([L.transferPart, m(t.totalMinor - t.cashMinor)]);
  }
  if (t.paymentMethod !== 'bank_transfer') {
    totals.push([L.received, m(t.amountReceivedMinor)]);
    totals.push([L.change, m(t.changeMinor)]);
  }

  const cancelled = data.cancellation
    ? [
        L.cancelled,
        `${L.cancelledOn} ${dateTime(data.cancellation.occurredAt, tz, locale)}`,
        `${L.reason}${locale === 'fr' ? ' : ' : ': '}${data.cancellation.reason}`,
      ]
    : [];

  return {
    eventName: data.event.name,
    eventLines,
    issuerLines: [data.issuer?.name, data.issuer?.address, ...(data.issuer?.legalIds ?? [])].filter(
      (x): x is string => !!x && x.trim().length > 0,
    ),
    title: {
      receipt: `${L.receipt} ${L.number} ${t.receiptNumber}`,
      invoice: `${L.invoice} ${L.number} ${t.receiptNumber}`,
    },
    meta: [
      [L.date, dateTime(t.occurredAt, tz, locale)],
      [L.register, data.register.name],
      [L.cashier, t.cashierName || '-'],
    ],
    participantLines,
    rows: t.lines.map((l) => ({
      name: l.name,
      quantity: l.quantity,
      unitPrice: m(l.unitPriceMinor),
      amount: m(lineTotalMinor(l)),
    })),
    totals,
    cancelled,
    notes: t.notes?.trim() ? t.notes.trim() : null,
    footer: [L.keep, L.thanks],
    reference: `${L.reference} ${t.id}`,
  };
}

/** The receipt as a jsPDF document. */
export function buildReceiptDocument(data: ReceiptData, options: ReceiptPdfOptions): jsPDF {
  const c = receiptContent(data, options.locale ?? 'fr');
  const qr = options.qr ?? true;
  const title = options.layout === 'a4' ? c.title.invoice : c.title.receipt;
  const doc = options.layout === 'a4' ? drawA4(c, data, options, qr) : drawThermal(c, data, options, qr);
  doc.setProperties({ title, subject: c.eventName, creator: 'MakePlus' });
  return doc;
}

/** The receipt as PDF bytes. */
export function receiptPdf(data: ReceiptData, options: ReceiptPdfOptions): ArrayBuffer {
  return buildReceiptDocument(data, options).output('arraybuffer');
}

/** The receipt as a PDF Blob (print dialog, download). */
export function receiptPdfBlob(data: ReceiptData, options: ReceiptPdfOptions): Blob {
  return new Blob([receiptPdf(data, options)], { type: 'application/pdf' });
}

// ---------------------------------------------------------------------------------------------
// 80 mm thermal roll
// ---------------------------------------------------------------------------------------------

const ROLL_WIDTH = 80;
const ROLL_MARGIN = 4;
const QR_THERMAL = 30;

function newDoc(width: number, height: number, compress: boolean): jsPDF {
  return new jsPDF({
    unit: 'mm',
    format: [width, height],
    orientation: height >= width ? 'portrait' : 'landscape',
    compress,
    floatPrecision: 3,
    putOnlyUsedFonts: true,
  });
}

/** The roll is drawn twice: once to measure how long it is, once on a page of exactly that length. */
function drawThermal(c: ReceiptContent, data: ReceiptData, o: ReceiptPdfOptions, qr: boolean): jsPDF {
  const measure = newDoc(ROLL_WIDTH, 3000, false);
  const height = Math.ceil(thermalBody(measure, c, data, qr, false) + ROLL_MARGIN);
  const doc = newDoc(ROLL_WIDTH, Math.max(height, 60), o.compress ?? true);
  thermalBody(doc, c, data, qr, true);
  return doc;
}

function thermalBody(doc: jsPDF, c: ReceiptContent, data: ReceiptData, qr: boolean, drawQr: boolean): number {
  const pen = new Pen(doc, ROLL_MARGIN, ROLL_WIDTH - 2 * ROLL_MARGIN, ROLL_MARGIN);
  pen.text(c.eventName, { size: 12, bold: true, align: 'center' });
  for (const l of c.eventLines) pen.text(l, { size: 8, align: 'center', color: GREY });
  for (const l of c.issuerLines) pen.text(l, { size: 7, align: 'center', color: GREY });
  pen.rule(2, 2, true);
  pen.text(c.title.receipt, { size: 11, bold: true, align: 'center' });
  pen.space(1);
  for (const [k, v] of c.meta) pen.pair(k, v, { size: 8 });
  for (const [i, l] of c.participantLines.entries()) pen.text(l, { size: i === 0 ? 9 : 8, bold: i === 0 });
  pen.rule(1.5, 1.5, true);
  for (const r of c.rows) {
    pen.text(r.name, { size: 8.5, bold: true });
    pen.pair(`${r.quantity} x ${r.unitPrice}`, r.amount, { size: 8 });
  }
  pen.rule(1.5, 1.5, true);
  c.totals.forEach(([k, v], i) => {
    if (i === 0) pen.pair(k, v, { size: 11, bold: true });
    else pen.pair(k, v, { size: 8.5 });
  });
  if (c.cancelled.length) {
    pen.space(2);
    for (const [i, l] of c.cancelled.entries())
      pen.text(l, { size: i === 0 ? 13 : 8, bold: i === 0, color: RED, align: 'center' });
  }
  if (c.notes) {
    pen.space(1.5);
    pen.text(c.notes, { size: 7.5, color: GREY });
  }
  pen.rule(1.5, 2, true);
  if (qr) {
    const x = ROLL_MARGIN + (pen.width - QR_THERMAL) / 2;
    if (drawQr) pen.qr(receiptQrPayload(data.transaction.id), x, pen.y, QR_THERMAL);
    pen.space(QR_THERMAL + 1);
  }
  pen.text(c.reference, { size: 6, align: 'center', color: GREY });
  pen.space(1);
  for (const l of c.footer) pen.text(l, { size: 7.5, align: 'center' });
  return pen.y;
}

// ---------------------------------------------------------------------------------------------
// A4 invoice
// ---------------------------------------------------------------------------------------------

const A4 = { width: 210, height: 297 };
const MARGIN = 15;
const FOOTER = 18;

function drawA4(c: ReceiptContent, data: ReceiptData, o: ReceiptPdfOptions, qr: boolean): jsPDF {
  const L = receiptLabels[o.locale ?? 'fr'];
  const doc = newDoc(A4.width, A4.height, o.compress ?? true);
  const width = A4.width - 2 * MARGIN;
  const cols = {
    name: { x: MARGIN + 2, width: width * 0.5 - 2 },
    qty: { x: MARGIN + width * 0.5, width: width * 0.1 },
    unit: { x: MARGIN + width * 0.6, width: width * 0.19 },
    amount: { x: MARGIN + width * 0.79, width: width * 0.21 - 2 },
  };
  const tableHeader = (pen: Pen) => {
    pen.doc.setFillColor(...LIGHT);
    pen.doc.rect(MARGIN, pen.y, width, 7, 'F');
    pen.space(1.5);
    pen.row(
      [
        { text: L.item, ...cols.name },
        { text: L.quantity, ...cols.qty, align: 'right' },
        { text: L.unitPrice, ...cols.unit, align: 'right' },
        { text: L.amount, ...cols.amount, align: 'right' },
      ],
      { size: 9, bold: true },
    );
    pen.space(1.5);
  };
  let inTable = false;
  const pen = new Pen(doc, MARGIN, width, MARGIN, A4.height - FOOTER - MARGIN, (p) => {
    doc.addPage([A4.width, A4.height], 'portrait');
    p.y = MARGIN;
    p.text(`${c.title.invoice} (${L.page.toLowerCase()} ${doc.getNumberOfPages()})`, { size: 9, color: GREY });
    p.space(2);
    if (inTable) tableHeader(p);
  });

  // Header: event (and issuer) on the left, the invoice's identity on the right.
  const half = width / 2 - 4;
  const top = pen.y;
  pen.text(c.eventName, { size: 16, bold: true }, MARGIN, half);
  for (const l of c.eventLines) pen.text(l, { size: 9, color: GREY }, MARGIN, half);
  for (const l of c.issuerLines) pen.text(l, { size: 8, color: GREY }, MARGIN, half);
  const leftBottom = pen.y;
  pen.y = top;
  const rightX = MARGIN + width / 2 + 4;
  pen.text(c.title.invoice, { size: 16, bold: true, align: 'right' }, rightX, half);
  const sep = (o.locale ?? 'fr') === 'fr' ? ' : ' : ': ';
  for (const [k, v] of c.meta) pen.text(`${k}${sep}${v}`, { size: 9, align: 'right' }, rightX, half);
  pen.y = Math.max(pen.y, leftBottom) + 6;

  // Billed to.
  pen.text(L.billedTo, { size: 9, bold: true, color: GREY });
  for (const [i, l] of c.participantLines.entries()) pen.text(l, { size: i === 0 ? 11 : 9, bold: i === 0 });
  pen.space(6);

  // Items.
  tableHeader(pen);
  inTable = true;
  for (const r of c.rows) {
    pen.row(
      [
        { text: r.name, ...cols.name },
        { text: String(r.quantity), ...cols.qty, align: 'right' },
        { text: r.unitPrice, ...cols.unit, align: 'right' },
        { text: r.amount, ...cols.amount, align: 'right' },
      ],
      { size: 9.5 },
    );
    pen.space(1);
  }
  inTable = false;
  pen.rule(1, 3);

  // Totals, right half.
  const totalsPen = new Pen(doc, MARGIN + width * 0.45, width * 0.55, pen.y, pen.bottomLimit, pen.onPageBreak);
  c.totals.forEach(([k, v], i) => {
    if (i === 0) totalsPen.pair(k, v, { size: 12, bold: true });
    else totalsPen.pair(k, v, { size: 9.5 });
    totalsPen.space(0.8);
  });
  pen.y = totalsPen.y + 4;

  if (c.cancelled.length) {
    for (const [i, l] of c.cancelled.entries()) pen.text(l, { size: i === 0 ? 18 : 10, bold: i === 0, color: RED });
    pen.space(3);
  }
  if (c.notes) {
    pen.text(L.notes, { size: 9, bold: true, color: GREY });
    pen.text(c.notes, { size: 9 });
    pen.space(3);
  }

  // QR and reference, then the closing lines.
  const qrSize = 26;
  pen.ensure(qr ? qrSize + 4 : 12);
  const blockTop = pen.y;
  if (qr) pen.qr(receiptQrPayload(data.transaction.id), MARGIN, blockTop, qrSize);
  const textX = qr ? MARGIN + qrSize + 4 : MARGIN;
  const textWidth = width - (textX - MARGIN);
  pen.y = blockTop + 2;
  pen.text(c.reference, { size: 8, color: GREY }, textX, textWidth);
  for (const l of c.footer) pen.text(l, { size: 9 }, textX, textWidth);
  pen.y = Math.max(pen.y, blockTop + (qr ? qrSize : 0));

  // Page numbers.
  const pages = doc.getNumberOfPages();
  for (let i = 1; i <= pages; i++) {
    doc.setPage(i);
    doc.setFont('helvetica', 'normal');
    doc.setFontSize(8);
    doc.setTextColor(...BLACK);
    doc.text(`${c.title.invoice} - ${L.page} ${i}/${pages}`, A4.width - MARGIN, A4.height - MARGIN / 2, {
      align: 'right',
    });
  }
  return doc;
}
