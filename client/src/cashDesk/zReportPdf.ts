import { type PaymentMethod, paymentMethod, type ZReport } from '@makeplus/shared';
import { jsPDF } from 'jspdf';
import { type DocumentLocale, dateTime, money, paymentMethodLabels, zReportLabels } from './documentText';
import { BLACK, GREY, LIGHT, Pen, RED } from './pdfPen';

/**
 * The day closing of a register (Z report) as an A4 PDF: identity (event, register, period),
 * receipt range with any missing or duplicate numbers, sales by payment method and by item,
 * cancellations, the drawer (opening float, cash taken, cash refunded, expected, counted,
 * difference) and the sales journal. Every figure comes from `buildZReport` (shared): this module
 * only lays it out.
 */
export interface ZReportPdfOptions {
  locale?: DocumentLocale;
  compress?: boolean;
  /** Print every sale of the period (default true). */
  journal?: boolean;
  /** Names to print in the journal, by participant id (the report itself holds ids only). */
  participantNames?: Readonly<Record<string, string>>;
}

const A4 = { width: 210, height: 297 };
const MARGIN = 15;
const FOOTER = 14;

export function buildZReportDocument(report: ZReport, options: ZReportPdfOptions = {}): jsPDF {
  const locale = options.locale ?? 'fr';
  const L = zReportLabels[locale];
  const M = paymentMethodLabels[locale];
  const tz = report.timezone;
  const m = (minor: number) => money(minor, report.currency, locale);
  const sep = locale === 'fr' ? ' : ' : ': ';
  const doc = new jsPDF({
    unit: 'mm',
    format: 'a4',
    orientation: 'portrait',
    compress: options.compress ?? true,
    floatPrecision: 3,
    putOnlyUsedFonts: true,
  });
  doc.setProperties({ title: `${L.title} ${report.registerName}`, subject: report.eventName, creator: 'MakePlus' });
  const width = A4.width - 2 * MARGIN;
  let header: ((p: Pen) => void) | null = null;
  const pen = new Pen(doc, MARGIN, width, MARGIN, A4.height - FOOTER - MARGIN, (p) => {
    doc.addPage('a4', 'portrait');
    p.y = MARGIN;
    p.text(`${L.title} - ${report.registerName}`, { size: 9, color: GREY });
    p.space(2);
    header?.(p);
  });

  const heading = (text: string) => {
    pen.ensure(16);
    pen.space(4);
    pen.text(text, { size: 12, bold: true });
    pen.rule(0.5, 2);
  };
  const table = (
    columns: { title: string; share: number; align?: 'left' | 'right' }[],
    rows: string[][],
    opts: { boldLast?: boolean; size?: number } = {},
  ) => {
    let x = MARGIN + 1;
    const cells = columns.map((c) => {
      const w = width * c.share - 2;
      const cell = { x, width: w, align: c.align ?? 'left' };
      x += width * c.share;
      return cell;
    });
    const drawHeader = (p: Pen) => {
      p.doc.setFillColor(...LIGHT);
      p.doc.rect(MARGIN, p.y, width, 6.5, 'F');
      p.space(1.2);
      p.row(
        columns.map((c, i) => ({ ...cells[i]!, text: c.title })),
        { size: 8.5, bold: true },
      );
      p.space(1);
    };
    pen.ensure(14);
    drawHeader(pen);
    header = drawHeader;
    rows.forEach((r, k) => {
      pen.row(
        r.map((text, i) => ({ ...cells[i]!, text })),
        { size: opts.size ?? 9, bold: opts.boldLast === true && k === rows.length - 1 },
      );
      pen.space(0.6);
    });
    header = null;
  };

  // Identity.
  pen.text(L.title, { size: 17, bold: true });
  pen.space(1);
  pen.text(`${L.event}${sep}${report.eventName}`, { size: 10 });
  pen.text(`${L.register}${sep}${report.registerName} (${report.receiptPrefix})`, { size: 10 });
  pen.text(`${L.period}${sep}${dateTime(report.from, tz, locale)} - ${dateTime(report.to, tz, locale)}`, { size: 10 });
  pen.text(`${L.generatedAt}${sep}${dateTime(report.generatedAt, tz, locale)}`, { size: 9, color: GREY });
  if (report.cashiers.length) pen.text(`${L.cashiers}${sep}${report.cashiers.join(', ')}`, { size: 9, color: GREY });
  if (report.devices.length) pen.text(`${L.devices}${sep}${report.devices.join(', ')}`, { size: 9, color: GREY });

  // Receipts.
  heading(L.receipts);
  const range = report.receipts.first ? `${report.receipts.first} - ${report.receipts.last}` : L.none;
  pen.pair(L.firstLast, range, { size: 10 });
  pen.pair(L.count, String(report.receipts.count), { size: 10 });
  const missing = report.receipts.missing;
  pen.pair(
    L.missing,
    missing.length ? missing.join(', ') : L.none,
    { size: 10 },
    {
      size: 10,
      color: missing.length ? RED : BLACK,
      bold: missing.length > 0,
    },
  );
  const dup = report.receipts.collisions;
  pen.pair(
    L.collisions,
    dup.length ? dup.map((c) => `${report.receiptPrefix}-${c.receiptSeq}`).join(', ') : L.none,
    { size: 10 },
    { size: 10, color: dup.length ? RED : BLACK, bold: dup.length > 0 },
  );

  // Sales.
  const s = report.summary;
  heading(L.summary);
  table(
    [
      { title: '', share: 0.6 },
      { title: L.count, share: 0.15, align: 'right' },
      { title: L.total, share: 0.25, align: 'right' },
    ],
    [
      [L.gross, String(s.salesCount), m(s.grossMinor)],
      [L.cancelled, String(s.cancelledCount), m(s.cancelledMinor)],
      [L.completed, String(s.completedCount), m(s.completedMinor)],
    ],
    { boldLast: true },
  );

  heading(L.byMethod);
  const methods = paymentMethod.options as readonly PaymentMethod[];
  table(
    [
      { title: L.method, share: 0.34 },
      { title: L.count, share: 0.11, align: 'right' },
      { title: L.cash, share: 0.18, align: 'right' },
      { title: L.nonCash, share: 0.18, align: 'right' },
      { title: L.total, share: 0.19, align: 'right' },
    ],
    [
      ...methods.map((k) => {
        const t = s.byMethod[k];
        return [M[k], String(t.count), m(t.cashMinor), m(t.nonCashMinor), m(t.totalMinor)];
      }),
      [L.total, String(s.completedCount), m(s.cashMinor), m(s.nonCashMinor), m(s.completedMinor)],
    ],
    { boldLast: true },
  );

  heading(L.byItem);
  table(
    [
      { title: L.item, share: 0.6 },
      { title: L.quantity, share: 0.15, align: 'right' },
      { title: L.total, share: 0.25, align: 'right' },
    ],
    [
      ...s.byItem.map((i) => [i.name, String(i.quantity), m(i.totalMinor)]),
      [L.total, String(s.byItem.reduce((a, i) => a + i.quantity, 0)), m(s.completedMinor)],
    ],
    { boldLast: true },
  );

  heading(L.cancellations);
  if (report.cancellations.length === 0) pen.text(L.none, { size: 9.5, color: GREY });
  else {
    table(
      [
        { title: L.receipt, share: 0.13 },
        { title: L.saleDate, share: 0.2 },
        { title: L.reason, share: 0.33 },
        { title: L.cash, share: 0.16, align: 'right' },
        { title: L.total, share: 0.18, align: 'right' },
      ],
      report.cancellations.map((c) => [
        c.receiptNumber,
        dateTime(c.saleOccurredAt, tz, locale),
        c.reason,
        m(c.cashMinor),
        m(c.totalMinor),
      ]),
      { size: 8.5 },
    );
    const e = report.refundsOfEarlierSales;
    pen.space(1);
    pen.pair(`${L.earlier} (${e.count})`, `${m(e.cashMinor)} / ${m(e.totalMinor)}`, { size: 9, color: GREY });
  }

  // Drawer.
  const d = report.drawer;
  heading(L.drawer);
  pen.pair(L.opening, m(d.openingFloatMinor), { size: 10 });
  pen.pair(`+ ${L.cashSales}`, m(d.cashSalesMinor), { size: 10 });
  pen.pair(`- ${L.cashRefunds}`, m(d.cashRefundsMinor), { size: 10 });
  pen.rule(0.5, 1);
  pen.pair(`= ${L.expected}`, m(d.expectedMinor), { size: 11.5, bold: true });
  pen.pair(L.counted, d.countedMinor === null ? L.notCounted : m(d.countedMinor), { size: 10 });
  if (d.differenceMinor !== null)
    pen.pair(
      L.difference,
      m(d.differenceMinor),
      { size: 10 },
      {
        size: 10,
        bold: true,
        color: d.differenceMinor === 0 ? BLACK : RED,
      },
    );

  // Journal.
  if ((options.journal ?? true) && report.journal.length) {
    heading(L.journal);
    table(
      [
        { title: L.receipt, share: 0.12 },
        { title: L.time, share: 0.2 },
        { title: L.participant, share: 0.26 },
        { title: L.method, share: 0.14 },
        { title: L.status, share: 0.1 },
        { title: L.total, share: 0.18, align: 'right' },
      ],
      report.journal.map((j) => [
        j.receiptNumber,
        dateTime(j.occurredAt, tz, locale),
        options.participantNames?.[j.participantId] ?? j.participantId.slice(0, 8),
        M[j.paymentMethod].split(' (')[0] ?? j.paymentMethod,
        j.cancelled ? L.statusCancelled : L.statusCompleted,
        m(j.totalMinor),
      ]),
      { size: 8 },
    );
  }

  pen.ensure(20);
  pen.space(10);
  pen.text(L.signatures, { size: 9, color: GREY });

  const pages = doc.getNumberOfPages();
  for (let i = 1; i <= pages; i++) {
    doc.setPage(i);
    doc.setFont('helvetica', 'normal');
    doc.setFontSize(8);
    doc.setTextColor(...GREY);
    doc.text(`${report.registerName} - ${i}/${pages}`, A4.width - MARGIN, A4.height - MARGIN / 2, { align: 'right' });
  }
  return doc;
}

export function zReportPdf(report: ZReport, options: ZReportPdfOptions = {}): ArrayBuffer {
  return buildZReportDocument(report, options).output('arraybuffer');
}

export function zReportPdfBlob(report: ZReport, options: ZReportPdfOptions = {}): Blob {
  return new Blob([zReportPdf(report, options)], { type: 'application/pdf' });
}
