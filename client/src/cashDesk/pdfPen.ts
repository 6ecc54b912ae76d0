import type { jsPDF } from 'jspdf';
import QRCode from 'qrcode';
import { pdfSafe } from './documentText';

export type Rgb = [number, number, number];
export const BLACK: Rgb = [0, 0, 0];
export const GREY: Rgb = [95, 95, 95];
export const LIGHT: Rgb = [235, 235, 235];
export const RED: Rgb = [190, 20, 20];

const PT_TO_MM = 25.4 / 72;

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: Rgb;
  align?: 'left' | 'center' | 'right';
}

/**
 * Writes a document top to bottom for the cash desk's PDFs: a cursor `y` in mm, text wrapped to a
 * width and made printable by the standard font (`pdfSafe`), label/value rows, rules, vector QR
 * codes, and page breaks (when `onPageBreak` is set; a thermal roll has none: its page is made as
 * long as the content). Every text goes through here, so no unprintable character reaches jsPDF.
 */
export class Pen {
  y: number;

  constructor(
    readonly doc: jsPDF,
    readonly left: number,
    readonly width: number,
    top: number,
    readonly bottomLimit = Number.POSITIVE_INFINITY,
    readonly onPageBreak?: (pen: Pen) => void,
  ) {
    this.y = top;
  }

  get right(): number {
    return this.left + this.width;
  }

  lineHeight(size: number): number {
    return size * PT_TO_MM * 1.25;
  }

  /** Start a new page when `height` mm do not fit any more. */
  ensure(height: number): void {
    if (this.y + height <= this.bottomLimit || !this.onPageBreak) return;
    this.onPageBreak(this);
  }

  private style(s: TextStyle): void {
    this.doc.setFont('helvetica', s.bold ? 'bold' : 'normal');
    this.doc.setFontSize(s.size);
    this.doc.setTextColor(...(s.color ?? BLACK));
  }

  /** Lines of `text` wrapped to `width` in style `s`. */
  wrap(text: string, width: number, s: TextStyle): string[] {
    this.style(s);
    const clean = pdfSafe(text)
      .replace(/[ \t]+/g, ' ')
      .trim();
    if (!clean) return [];
    return clean.split('\n').flatMap((para) => this.doc.splitTextToSize(para, width) as string[]);
  }

  /** A paragraph across the full width (or `width` from `x`). */
  text(text: string, s: TextStyle, x = this.left, width = this.width): void {
    const lines = this.wrap(text, width, s);
    const lh = this.lineHeight(s.size);
    for (const line of lines) {
      this.ensure(lh);
      this.style(s);
      const baseline = this.y + s.size * PT_TO_MM * 0.85;
      if (s.align === 'center') this.doc.text(line, x + width / 2, baseline, { align: 'center' });
      else if (s.align === 'right') this.doc.text(line, x + width, baseline, { align: 'right' });
      else this.doc.text(line, x, baseline);
      this.y += lh;
    }
  }

  /** `label ........ value`: the label wrapped on the left, the value on the right of the last line. */
  pair(label: string, value: string, s: TextStyle, valueStyle: TextStyle = s): void {
    const safeValue = pdfSafe(value);
    this.style(valueStyle);
    const valueWidth = this.doc.getTextWidth(safeValue);
    const labelWidth = Math.max(10, this.width - valueWidth - 2);
    const lines = this.wrap(label, labelWidth, s);
    const size = Math.max(s.size, valueStyle.size);
    const lh = this.lineHeight(size);
    this.ensure(lh * Math.max(1, lines.length));
    const startY = this.y;
    for (const line of lines.length ? lines : ['']) {
      this.style(s);
      this.doc.text(line, this.left, this.y + size * PT_TO_MM * 0.85);
      this.y += lh;
    }
    this.style(valueStyle);
    const lastBaseline = startY + (Math.max(1, lines.length) - 1) * lh + size * PT_TO_MM * 0.85;
    this.doc.text(safeValue, this.right, lastBaseline, { align: 'right' });
  }

  /** Cells on one row, each `{ text, x, width, align }`; wraps inside cells; returns the row height. */
  row(cells: { text: string; x: number; width: number; align?: 'left' | 'right' | 'center' }[], s: TextStyle): number {
    const wrapped = cells.map((c) => this.wrap(c.text, c.width, s));
    const lh = this.lineHeight(s.size);
    const height = lh * Math.max(1, ...wrapped.map((w) => w.length));
    this.ensure(height);
    cells.forEach((c, i) => {
      (wrapped[i] ?? []).forEach((line, k) => {
        this.style(s);
        const baseline = this.y + k * lh + s.size * PT_TO_MM * 0.85;
        if (c.align === 'right') this.doc.text(line, c.x + c.width, baseline, { align: 'right' });
        else if (c.align === 'center') this.doc.text(line, c.x + c.width / 2, baseline, { align: 'center' });
        else this.doc.text(line, c.x, baseline);
      });
    });
    this.y += height;
    return height;
  }

  rule(gapBefore = 1.5, gapAfter = 1.5, dashed = false): void {
    this.ensure(gapBefore + gapAfter);
    this.y += gapBefore;
    this.doc.setDrawColor(...GREY);
    this.doc.setLineWidth(0.2);
    if (dashed) this.doc.setLineDashPattern([1, 1], 0);
    this.doc.line(this.left, this.y, this.right, this.y);
    if (dashed) this.doc.setLineDashPattern([], 0);
    this.y += gapAfter;
  }

  space(mm: number): void {
    this.y += mm;
  }

  /** A QR code drawn as filled rectangles (sharp on any printer, no canvas needed), at (x, y). */
  qr(payload: string, x: number, y: number, size: number): void {
    const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const quiet = 2;
    const cell = size / (n + 2 * quiet);
    this.doc.setFillColor(255, 255, 255);
    this.doc.rect(x, y, size, size, 'F');
    this.doc.setFillColor(...BLACK);
    for (let row = 0; row < n; row++) {
      let start = -1;
      for (let col = 0; col <= n; col++) {
        const dark = col < n && qr.modules.get(row, col) === 1;
        if (dark && start < 0) start = col;
        if (!dark && start >= 0) {
          this.doc.rect(x + (quiet + start) * cell, y + (quiet + row) * cell, (col - start) * cell, cell + 0.01, 'F');
          start = -1;
        }
      }
    }
  }
}
