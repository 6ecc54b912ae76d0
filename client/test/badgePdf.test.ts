import { eventRoles, generateSigningKey, signBadge } from '@makeplus/shared';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  type BadgeContent,
  type BadgePdfFormat,
  badgePageCount,
  badgePdf,
  badgePdfBlob,
  badgePdfFormats,
  badgeRoleLabels,
  badgeSheetLayout,
  buildBadgeDocument,
} from '../src/badges/badgePdf';

const key = generateSigningKey('S0001');
const signed = (p: string, n: string) => signBadge({ p, n, t: 1_777_000_000 }, key);

const amina: BadgeContent = {
  name: 'Amina Benali',
  organization: 'CHU Mustapha',
  eventName: 'Congrès national de cardiologie',
  role: 'badge_controller',
  code: signed('0190f0a0-0000-7000-8000-000000000001', 'Amina Benali'),
};

/** The PDF as text (uncompressed streams; WinAnsi bytes read as Latin-1). */
const pdfText = (buf: ArrayBuffer) => new TextDecoder('latin1').decode(buf);
const pageCount = (text: string) => text.match(/\/Type \/Page\n/g)?.length ?? 0;
const PT = 72 / 25.4;

function mediaBoxes(text: string): [number, number][] {
  return [...text.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [
    Math.round(Number(m[1]) / PT),
    Math.round(Number(m[2]) / PT),
  ]);
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
function parseRect(line: string | undefined): Rect | null {
  const m = /^(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re$/.exec(line ?? '');
  return m ? { x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]) } : null;
}

/**
 * How many QR codes drawn in the PDF encode exactly `code`: each is a white square (the quiet
 * zone) followed by black rectangles; rebuild the module grid from them and compare it with the
 * QR that `qrcode` makes for the code, module by module.
 */
function qrCodesFor(text: string, code: string): number {
  const expected = QRCode.create(code, { errorCorrectionLevel: 'M' }).modules;
  const n = expected.size;
  const lines = text.split('\n');
  let matches = 0;
  for (let i = 0; i < lines.length; i++) {
    const square = lines[i] === '1. g' ? parseRect(lines[i + 1]) : null;
    if (!square || Math.abs(square.w + square.h) > 1e-6 || lines[i + 3] !== '0. g') continue;
    const cell = square.w / (n + 4);
    const grid = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    let ok = true;
    for (let j = i + 4; ; j += 2) {
      const r = parseRect(lines[j]);
      if (!r || lines[j + 1] !== 'f') break;
      const col = Math.round((r.x - square.x) / cell) - 2;
      const row = Math.round((square.y - r.y) / cell) - 2;
      const width = Math.round(r.w / cell);
      if (row < 0 || row >= n || col < 0 || col + width > n) {
        ok = false;
        break;
      }
      for (let c = col; c < col + width; c++) (grid[row] as number[])[c] = 1;
    }
    for (let row = 0; ok && row < n; row++)
      for (let col = 0; ok && col < n; col++) if (grid[row]?.[col] !== expected.get(row, col)) ok = false;
    if (ok) matches++;
  }
  return matches;
}

describe('badge PDF: each format', () => {
  const sizes: Record<BadgePdfFormat, [number, number]> = { a6: [105, 148], label: [90, 55], a4_sheet: [210, 297] };

  for (const format of badgePdfFormats) {
    it(`${format}: name, organization, event, French role and a QR of the badge code`, () => {
      const text = pdfText(badgePdf([amina], { format, compress: false }));
      expect(text.startsWith('%PDF-')).toBe(true);
      expect(text).toContain('(Amina Benali) Tj');
      expect(text).toContain('(CHU Mustapha) Tj');
      expect(text).toContain('Congrès national');
      expect(text).toContain('(CONTRÔLEUR DE BADGES) Tj');
      expect(qrCodesFor(text, amina.code)).toBe(1);
      expect(pageCount(text)).toBe(1);
      expect(mediaBoxes(text)).toEqual([sizes[format]]);
    });
  }

  it('a legacy code prints as its own QR', () => {
    const text = pdfText(badgePdf([{ ...amina, code: 'USER-42-A1B2C3D4' }], { format: 'label', compress: false }));
    expect(qrCodesFor(text, 'USER-42-A1B2C3D4')).toBe(1);
    expect(qrCodesFor(text, amina.code)).toBe(0);
  });

  it('every role has a French label, and a custom label replaces it', () => {
    for (const role of eventRoles) expect(badgeRoleLabels[role].length).toBeGreaterThan(3);
    expect(badgeRoleLabels.exhibitor).toBe('Exposant');
    const text = pdfText(
      badgePdf([{ ...amina, role: 'participant', roleLabel: 'Intervenant' }], { format: 'a6', compress: false }),
    );
    expect(text).toContain('(INTERVENANT) Tj');
    expect(text).not.toContain('(PARTICIPANT) Tj');
  });

  it('without an organization the line is left out', () => {
    const text = pdfText(badgePdf([{ ...amina, organization: '  ' }], { format: 'label', compress: false }));
    expect(text).toContain('(Amina Benali) Tj');
    expect(text).not.toContain('CHU');
  });

  it('a long name wraps between words, never inside one', () => {
    const name = 'Mohamed Abdelkader Benyoucef-Larbi';
    for (const format of badgePdfFormats) {
      const text = pdfText(badgePdf([{ ...amina, name }], { format, compress: false }));
      const shown = [...text.matchAll(/^\((.*)\) Tj$/gm)].map((m) => m[1] ?? '');
      const nameLines = shown.filter((l) => name.includes(l) && l.length > 3);
      expect(nameLines.join(' '), format).toBe(name);
    }
  });

  it('a name too long for the badge is shrunk and then cut with an ellipsis', () => {
    const long = `Mohamed ${'Abdelkader '.repeat(12)}Benyoucef`;
    const text = pdfText(badgePdf([{ ...amina, name: long }], { format: 'label', compress: false }));
    expect(text).toContain('(Mohamed Abdelkader');
    expect(text).not.toContain('Benyoucef');
  });

  it('compresses by default', () => {
    const packed = badgePdf([amina], { format: 'a6' });
    const plain = badgePdf([amina], { format: 'a6', compress: false });
    expect(pdfText(packed)).toContain('/FlateDecode');
    expect(packed.byteLength).toBeLessThan(plain.byteLength);
  });

  it('returns a Blob typed as PDF', async () => {
    const blob = badgePdfBlob([amina], { format: 'label' });
    expect(blob.type).toBe('application/pdf');
    expect(new TextDecoder().decode((await blob.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });
});

describe('badge PDF: batches', () => {
  const people = Array.from({ length: 23 }, (_, i) => ({
    ...amina,
    name: `Nom ${i + 1}`,
    code: signed(`0190f0a0-0000-7000-8000-${String(i + 1).padStart(12, '0')}`, `Person ${i + 1}`),
  }));

  it('A4 sheets hold 10 label badges each (2 × 5), inside the page, not overlapping', () => {
    const layout = badgeSheetLayout('a4_sheet');
    expect(layout.slots).toHaveLength(10);
    expect([layout.columns, layout.rows]).toEqual([2, 5]);
    for (const s of layout.slots) {
      expect(s.x).toBeGreaterThanOrEqual(5);
      expect(s.y).toBeGreaterThanOrEqual(5);
      expect(s.x + layout.badge.width).toBeLessThanOrEqual(205);
      expect(s.y + layout.badge.height).toBeLessThanOrEqual(292);
    }
    for (const a of layout.slots)
      for (const b of layout.slots)
        if (a !== b)
          expect(Math.abs(a.x - b.x) >= layout.badge.width || Math.abs(a.y - b.y) >= layout.badge.height).toBe(true);
  });

  it('23 badges on A4: 3 pages, every name and every QR', () => {
    const text = pdfText(badgePdf(people, { format: 'a4_sheet', compress: false }));
    expect(pageCount(text)).toBe(3);
    expect(mediaBoxes(text)).toEqual([
      [210, 297],
      [210, 297],
      [210, 297],
    ]);
    for (const p of people) {
      expect(text).toContain(`(${p.name}) Tj`);
      expect(qrCodesFor(text, p.code)).toBe(1);
    }
  });

  const counts: [BadgePdfFormat, number, number][] = [
    ['a4_sheet', 0, 1],
    ['a4_sheet', 1, 1],
    ['a4_sheet', 10, 1],
    ['a4_sheet', 11, 2],
    ['a4_sheet', 20, 2],
    ['a6', 3, 3],
    ['label', 5, 5],
  ];
  for (const [format, count, pages] of counts) {
    it(`${count} badges in ${format}: ${pages} page(s)`, () => {
      expect(badgePageCount(count, format)).toBe(pages);
      const doc = buildBadgeDocument(people.slice(0, count), { format, compress: false });
      expect(doc.getNumberOfPages()).toBe(pages);
      expect(pageCount(pdfText(doc.output('arraybuffer')))).toBe(pages);
    });
  }

  it('A4 sheets carry crop marks in the margins, on every page, unless turned off', () => {
    const marks = (text: string) => text.split('\n').filter((l) => l.endsWith(' m')).length;
    // One mark above and below each of the 3 column edges, left and right of each of the 6 row edges.
    expect(marks(pdfText(badgePdf(people.slice(0, 11), { format: 'a4_sheet', compress: false })))).toBe(2 * 18);
    expect(
      marks(pdfText(badgePdf(people.slice(0, 11), { format: 'a4_sheet', compress: false, cutMarks: false }))),
    ).toBe(0);
    expect(marks(pdfText(badgePdf(people.slice(0, 2), { format: 'label', compress: false })))).toBe(0);
  });
});
