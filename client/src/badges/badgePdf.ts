import type { EventRole } from '@makeplus/shared';
import { jsPDF } from 'jspdf';
import QRCode from 'qrcode';

/**
 * Printable badges, drawn as vectors (the QR code is filled rectangles, not an image), so they
 * print sharp on any printer and the generation needs no canvas: it runs the same in the browser,
 * in a worker and in Node.
 *
 * Formats:
 * - `a6`: one badge per A6 page (105 × 148 mm, portrait), for a badge holder or an office printer;
 * - `label`: one badge per 90 × 55 mm page (landscape), for a label printer;
 * - `a4_sheet`: 90 × 55 mm badges, 10 per A4 page (2 × 5), with crop marks in the margins.
 *
 * Text uses the PDF standard Helvetica font (WinAnsi): Latin scripts with accents print; other
 * scripts (Arabic) need an embedded font and are not supported here yet.
 */

export type BadgePdfFormat = 'a6' | 'label' | 'a4_sheet';
export const badgePdfFormats: readonly BadgePdfFormat[] = ['a6', 'label', 'a4_sheet'];

/** What a badge says. */
export interface BadgeContent {
  /** The person's name, as printed. */
  name: string;
  organization?: string;
  eventName: string;
  role: EventRole;
  /** Printed instead of the role's French label (e.g. « Intervenant », « Presse »). */
  roleLabel?: string;
  /** The badge code the QR encodes (an MKPL1 code, or a legacy code). */
  code: string;
}

export interface BadgePdfOptions {
  format: BadgePdfFormat;
  /** Band colour, `#rrggbb` (the event's primary colour). */
  accentColor?: string;
  /** Compress the page streams (default true; tests turn it off to read the text). */
  compress?: boolean;
  /** Crop marks around an `a4_sheet` grid (default true). */
  cutMarks?: boolean;
  /** Document title in the PDF properties. */
  title?: string;
}

/** The role printed on a badge, in French. */
export const badgeRoleLabels: Record<EventRole, string> = {
  organizer: 'Organisateur',
  room_manager: 'Gestionnaire de salle',
  badge_controller: 'Contrôleur de badges',
  cashier: 'Caissier',
  exhibitor: 'Exposant',
  participant: 'Participant',
  committee: 'Comité scientifique',
};

interface Size {
  width: number;
  height: number;
}

export interface BadgeSheetLayout {
  page: Size;
  badge: Size;
  columns: number;
  rows: number;
  /** Top-left corner of each badge slot on a page, in mm, row by row. */
  slots: { x: number; y: number }[];
}

const LABEL: Size = { width: 90, height: 55 };
const A6: Size = { width: 105, height: 148 };
const A4: Size = { width: 210, height: 297 };

/** Where badges go on a page, for each format. */
export function badgeSheetLayout(format: BadgePdfFormat): BadgeSheetLayout {
  if (format === 'a6') return { page: A6, badge: A6, columns: 1, rows: 1, slots: [{ x: 0, y: 0 }] };
  if (format === 'label') return { page: LABEL, badge: LABEL, columns: 1, rows: 1, slots: [{ x: 0, y: 0 }] };
  const columns = Math.floor(A4.width / LABEL.width);
  const rows = Math.floor((A4.height - 16) / LABEL.height);
  const left = (A4.width - columns * LABEL.width) / 2;
  const top = (A4.height - rows * LABEL.height) / 2;
  const slots: { x: number; y: number }[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) slots.push({ x: left + c * LABEL.width, y: top + r * LABEL.height });
  return { page: A4, badge: LABEL, columns, rows, slots };
}

/** Pages needed for `count` badges (at least one: an empty batch prints an empty page). */
export function badgePageCount(count: number, format: BadgePdfFormat): number {
  return Math.max(1, Math.ceil(count / badgeSheetLayout(format).slots.length));
}

/** The badges as a PDF document (jsPDF), for callers that want to add pages or save directly. */
export function buildBadgeDocument(badges: readonly BadgeContent[], options: BadgePdfOptions): jsPDF {
  const layout = badgeSheetLayout(options.format);
  const orientation = layout.page.width > layout.page.height ? 'landscape' : 'portrait';
  const doc = new jsPDF({
    unit: 'mm',
    format: [layout.page.width, layout.page.height],
    orientation,
    compress: options.compress ?? true,
    floatPrecision: 3,
    putOnlyUsedFonts: true,
  });
  doc.setProperties({ title: options.title ?? 'Badges', creator: 'MakePlus' });
  const accent = parseColor(options.accentColor ?? '#9C27B0');
  const perPage = layout.slots.length;
  const pages = badgePageCount(badges.length, options.format);

  for (let page = 0; page < pages; page++) {
    if (page > 0) doc.addPage([layout.page.width, layout.page.height], orientation);
    if (options.format === 'a4_sheet' && (options.cutMarks ?? true)) drawCutMarks(doc, layout);
    for (let slot = 0; slot < perPage; slot++) {
      const badge = badges[page * perPage + slot];
      const at = layout.slots[slot];
      if (!badge || !at) break;
      if (options.format === 'a6') drawPortrait(doc, badge, at.x, at.y, layout.badge, accent);
      else drawLandscape(doc, badge, at.x, at.y, layout.badge, accent);
    }
  }
  return doc;
}

/** The badges as PDF bytes. */
export function badgePdf(badges: readonly BadgeContent[], options: BadgePdfOptions): ArrayBuffer {
  return buildBadgeDocument(badges, options).output('arraybuffer');
}

/** The badges as a PDF Blob, ready for `URL.createObjectURL` or a download. */
export function badgePdfBlob(badges: readonly BadgeContent[], options: BadgePdfOptions): Blob {
  return new Blob([badgePdf(badges, options)], { type: 'application/pdf' });
}

// ---------------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------------

type Rgb = [number, number, number];
const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [90, 90, 90];
const WHITE: Rgb = [255, 255, 255];

function parseColor(hex: string): Rgb {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return [156, 39, 176];
  return [Number.parseInt(m[1] ?? '0', 16), Number.parseInt(m[2] ?? '0', 16), Number.parseInt(m[3] ?? '0', 16)];
}

const PT_TO_MM = 25.4 / 72;

/**
 * Write `text` within `width` mm, on at most `maxLines` lines, shrinking from `size` down to
 * `minSize` points until it fits; the last resort cuts the last line with an ellipsis.
 * Returns the height used, in mm.
 */
function fitText(
  doc: jsPDF,
  text: string,
  x: number,
  y: number,
  width: number,
  o: { size: number; minSize: number; maxLines: number; bold?: boolean; color: Rgb; align?: 'left' | 'center' },
): number {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return 0;
  doc.setFont('helvetica', o.bold ? 'bold' : 'normal');
  doc.setTextColor(...o.color);
  const words = clean.split(' ');
  let size = o.size;
  let lines: string[] = [];
  // Shrink until the text fits in its lines without cutting a word in two.
  for (; size >= o.minSize; size -= 0.5) {
    doc.setFontSize(size);
    if (words.some((w) => doc.getTextWidth(w) > width)) continue;
    lines = doc.splitTextToSize(clean, width) as string[];
    if (lines.length <= o.maxLines) break;
  }
  size = Math.max(size, o.minSize);
  doc.setFontSize(size);
  lines = doc.splitTextToSize(clean, width) as string[];
  if (lines.length > o.maxLines) {
    lines = lines.slice(0, o.maxLines);
    let last = lines[o.maxLines - 1] ?? '';
    while (last.length > 1 && doc.getTextWidth(`${last}…`) > width) last = last.slice(0, -1);
    lines[o.maxLines - 1] = `${last.trimEnd()}…`;
  }
  const lineHeight = size * PT_TO_MM * 1.15;
  lines.forEach((line, i) => {
    const ly = y + size * PT_TO_MM * 0.8 + i * lineHeight;
    if (o.align === 'center') doc.text(line, x + width / 2, ly, { align: 'center' });
    else doc.text(line, x, ly);
  });
  return lines.length * lineHeight;
}

/**
 * The QR code as filled rectangles (one per horizontal run of dark modules), with its quiet zone
 * left white. `size` is the full square including a 2-module quiet zone.
 */
function drawQr(doc: jsPDF, code: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(code, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.setFillColor(...WHITE);
  doc.rect(x, y, size, size, 'F');
  doc.setFillColor(...BLACK);
  const ox = x + quiet * cell;
  const oy = y + quiet * cell;
  for (let row = 0; row < n; row++) {
    let start = -1;
    for (let col = 0; col <= n; col++) {
      const dark = col < n && qr.modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        // A hair of overlap hides the seams some viewers draw between adjacent rectangles.
        doc.rect(ox + start * cell, oy + row * cell, (col - start) * cell, cell + 0.01, 'F');
        start = -1;
      }
    }
  }
}

function roleText(b: BadgeContent): string {
  return (b.roleLabel?.trim() || badgeRoleLabels[b.role] || b.role).toUpperCase();
}

/** A6 portrait: event band, name, organization, QR, role band. */
function drawPortrait(doc: jsPDF, b: BadgeContent, x: number, y: number, s: Size, accent: Rgb): void {
  const margin = 8;
  const inner = s.width - 2 * margin;
  doc.setFillColor(...accent);
  doc.rect(x, y, s.width, 24, 'F');
  fitText(doc, b.eventName, x + margin, y + 5, inner, {
    size: 15,
    minSize: 9,
    maxLines: 2,
    bold: true,
    color: WHITE,
    align: 'center',
  });

  let cy = y + 32;
  cy += fitText(doc, b.name, x + margin, cy, inner, {
    size: 26,
    minSize: 14,
    maxLines: 2,
    bold: true,
    color: BLACK,
    align: 'center',
  });
  if (b.organization?.trim()) {
    cy += 2;
    fitText(doc, b.organization, x + margin, cy, inner, {
      size: 13,
      minSize: 9,
      maxLines: 2,
      color: GREY,
      align: 'center',
    });
  }

  const qrSize = 58;
  drawQr(doc, b.code, x + (s.width - qrSize) / 2, y + s.height - 22 - qrSize - 4, qrSize);

  doc.setFillColor(...accent);
  doc.rect(x, y + s.height - 20, s.width, 20, 'F');
  fitText(doc, roleText(b), x + margin, y + s.height - 15, inner, {
    size: 18,
    minSize: 10,
    maxLines: 1,
    bold: true,
    color: WHITE,
    align: 'center',
  });
}

/** 90 × 55 landscape: text on the left, QR on the right, role band along the bottom. */
function drawLandscape(doc: jsPDF, b: BadgeContent, x: number, y: number, s: Size, accent: Rgb): void {
  const margin = 4;
  const band = 9;
  const qrSize = s.height - band - 2;
  const textWidth = s.width - qrSize - 2 * margin;

  let cy = y + margin;
  cy += fitText(doc, b.eventName, x + margin, cy, textWidth, {
    size: 8,
    minSize: 6,
    maxLines: 2,
    bold: true,
    color: accent,
  });
  cy += 2.5;
  cy += fitText(doc, b.name, x + margin, cy, textWidth, {
    size: 15,
    minSize: 9,
    maxLines: 3,
    bold: true,
    color: BLACK,
  });
  if (b.organization?.trim()) {
    cy += 1;
    fitText(doc, b.organization, x + margin, cy, textWidth, { size: 9, minSize: 7, maxLines: 2, color: GREY });
  }

  drawQr(doc, b.code, x + s.width - qrSize - 1.5, y + 1, qrSize);

  doc.setFillColor(...accent);
  doc.rect(x, y + s.height - band, s.width, band, 'F');
  fitText(doc, roleText(b), x + margin, y + s.height - band + 1.8, s.width - 2 * margin, {
    size: 11,
    minSize: 7,
    maxLines: 1,
    bold: true,
    color: WHITE,
    align: 'center',
  });
}

/** Crop marks: short lines in the margins, in line with every column and row edge of the grid. */
function drawCutMarks(doc: jsPDF, layout: BadgeSheetLayout): void {
  const { badge, columns, rows } = layout;
  const first = layout.slots[0] ?? { x: 0, y: 0 };
  const left = first.x;
  const top = first.y;
  const right = left + columns * badge.width;
  const bottom = top + rows * badge.height;
  const gap = 1.5;
  const length = Math.min(6, left - gap, top - gap);
  if (length <= 0) return;
  doc.setDrawColor(...BLACK);
  doc.setLineWidth(0.2);
  for (let c = 0; c <= columns; c++) {
    const cx = left + c * badge.width;
    doc.line(cx, top - gap - length, cx, top - gap);
    doc.line(cx, bottom + gap, cx, bottom + gap + length);
  }
  for (let r = 0; r <= rows; r++) {
    const ry = top + r * badge.height;
    doc.line(left - gap - length, ry, left - gap, ry);
    doc.line(right + gap, ry, right + gap + length, ry);
  }
}
