import {
  type EventDashboard,
  type ExportColumn,
  type ExportDataset,
  type ExportFilters,
  exportColumns,
  exportFilterKeys,
  formatMoney,
} from '@makeplus/shared';
import { jsPDF } from 'jspdf';
import Papa from 'papaparse';
import { apiErrorFrom } from '../api/apiError';
import { authorizedFetch } from '../auth/session';
import { GREY, Pen } from '../cashDesk/pdfPen';
import { eventResourcePath } from '../organizer/eventApi';

export type Progress = (done: number, total: number) => void;

/** The query of a dataset's export: only the filters that apply to it, and only those set. */
export function exportQuery(dataset: ExportDataset, filters: ExportFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of exportFilterKeys[dataset]) {
    const v = filters[key];
    if (v !== undefined && v !== '') out[key] = String(v);
  }
  return out;
}

/** The file name the server proposes (content-disposition), else a fallback. */
function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  return /filename="([^"]+)"/.exec(cd)?.[1] ?? fallback;
}

/**
 * Download a dataset's CSV from the server, reporting rows received against the total the server
 * announces (`x-total-rows`), so a long export shows real progress. Returns the text and its name.
 */
export async function fetchExportCsv(
  eventId: string,
  dataset: ExportDataset,
  filters: ExportFilters,
  onProgress: Progress,
): Promise<{ text: string; filename: string; total: number }> {
  const res = await authorizedFetch(
    eventResourcePath(eventId, `exports/${dataset}.csv`, exportQuery(dataset, filters)),
    { headers: { accept: 'text/csv' } },
  );
  if (!res.ok) throw await apiErrorFrom(res);
  const total = Number(res.headers.get('x-total-rows') ?? 0);
  const filename = fileNameOf(res, `${dataset}.csv`);
  onProgress(0, total);
  if (!res.body) return { text: await res.text(), filename, total };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let lines = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const chunk = decoder.decode(value, { stream: true });
    text += chunk;
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
    // The first line is the header; a quoted line break may count twice, so never above the total.
    onProgress(Math.min(total, Math.max(0, lines - 1)), total);
  }
  text += decoder.decode();
  onProgress(total, total);
  return { text, filename, total };
}

/** A cell typed for Excel from its CSV text. */
function typedCell(column: ExportColumn, text: string): string | number | Date | null {
  if (text === '') return null;
  const raw = text.startsWith("'") && /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
  switch (column.type) {
    case 'integer':
      return Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'money':
      // "2500.00" → 2500 with two decimals shown; the exact minor units survive (×100 is exact to 2 dp).
      return Number.isFinite(Number(raw)) ? Math.round(Number(raw) * 100) / 100 : raw;
    case 'datetime': {
      const t = Date.parse(raw);
      return Number.isNaN(t) ? raw : new Date(t);
    }
    default:
      return raw;
  }
}

/**
 * The same rows as an Excel workbook, with typed cells (dates, amounts, counts), a bold frozen
 * header and fitted columns. Built in the browser from the CSV (ExcelJS loads only when needed),
 * yielding to the page every thousand rows so the progress bar moves and the page stays usable.
 */
export async function csvToWorkbook(
  dataset: ExportDataset | readonly ExportColumn[],
  csv: string,
  onProgress: Progress,
  sheetName: string,
): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const columns = typeof dataset === 'string' ? exportColumns[dataset] : dataset;
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const [, ...rows] = parsed.data;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MakePlus';
  wb.created = new Date();
  const sheet = wb.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = columns.map((c) => ({
    header: c.label,
    key: c.key,
    width: Math.max(12, Math.min(40, c.label.length + 2)),
    style:
      c.type === 'money'
        ? { numFmt: '#,##0.00' }
        : c.type === 'datetime'
          ? { numFmt: 'yyyy-mm-dd hh:mm' }
          : c.type === 'integer'
            ? { numFmt: '0' }
            : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? [];
    sheet.addRow(columns.map((c, j) => typedCell(c, row[j] ?? '')));
    if (i % 1000 === 999) {
      onProgress(i + 1, rows.length);
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  onProgress(rows.length, rows.length);
  const buffer = await wb.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

/** The leads export (shared with exhibitors, built by the server in either format). */
export async function fetchLeads(eventId: string, format: 'csv' | 'xlsx'): Promise<{ blob: Blob; filename: string }> {
  const res = await authorizedFetch(eventResourcePath(eventId, 'leads/export', { format }));
  if (!res.ok) throw await apiErrorFrom(res);
  return { blob: await res.blob(), filename: fileNameOf(res, `leads.${format}`) };
}

export interface SummaryText {
  title: string;
  generated: string;
  figures: [string, string][];
  rooms: { heading: string; name: string; inside: string; capacity: string; entries: string };
  denied: string;
  reasonLabel: (reason: string) => string;
  revenueByItem: string;
  revenueByRegister: string;
  name: string;
  count: string;
  amount: string;
  none: string;
}

/** The event summary report: the dashboard's figures on A4, for the organizers' records. */
export function summaryPdf(
  eventName: string,
  dashboard: EventDashboard,
  text: SummaryText,
  currency: string,
  lang: string,
): Blob {
  const doc = new jsPDF({ unit: 'mm', format: 'a4' });
  const margin = 18;
  const width = 210 - 2 * margin;
  const pen = new Pen(doc, margin, width, margin, 297 - margin, (p) => {
    doc.addPage('a4', 'portrait');
    p.y = margin;
  });
  const money = (m: number) => formatMoney(m, currency, lang);
  pen.text(eventName, { size: 18, bold: true });
  pen.text(text.title, { size: 13 });
  pen.text(text.generated, { size: 9, color: GREY });
  pen.rule(3, 3);
  for (const [label, value] of text.figures) pen.pair(label, value, { size: 11 }, { size: 11, bold: true });

  const table = (heading: string, header: string[], rows: string[][], widths: number[]) => {
    pen.space(4);
    pen.text(heading, { size: 13, bold: true });
    pen.space(1);
    if (rows.length === 0) {
      pen.text(text.none, { size: 10, color: GREY });
      return;
    }
    const cells = (values: string[]) => {
      let x = margin;
      return values.map((v, i) => {
        const w = (widths[i] ?? 1) * width;
        const cell = { text: v, x, width: w - 2, align: i === 0 ? ('left' as const) : ('right' as const) };
        x += w;
        return cell;
      });
    };
    pen.ensure(8);
    pen.row(cells(header), { size: 9, bold: true, color: GREY });
    for (const r of rows) {
      pen.ensure(6);
      pen.row(cells(r), { size: 10 });
    }
  };
  table(
    text.rooms.heading,
    [text.rooms.name, text.rooms.inside, text.rooms.capacity, text.rooms.entries],
    dashboard.rooms.map((r) => [
      r.name,
      String(r.inside),
      r.capacity === null ? '—' : String(r.capacity),
      String(r.entries),
    ]),
    [0.46, 0.18, 0.18, 0.18],
  );
  table(
    text.denied,
    [text.name, text.count],
    dashboard.scans.deniedByReason.map((r) => [text.reasonLabel(r.reason), String(r.count)]),
    [0.75, 0.25],
  );
  table(
    text.revenueByItem,
    [text.name, text.count, text.amount],
    dashboard.revenue.byItem.map((r) => [r.name, String(r.quantity), money(r.totalMinor)]),
    [0.5, 0.2, 0.3],
  );
  table(
    text.revenueByRegister,
    [text.name, text.count, text.amount],
    dashboard.revenue.byRegister.map((r) => [r.name, String(r.salesCount), money(r.totalMinor)]),
    [0.5, 0.2, 0.3],
  );
  return doc.output('blob');
}
