/**
 * A small, real PDF 1.4 writer for text documents (the demo's programme and guide): A4 pages,
 * Helvetica (a standard font every reader has, so nothing is embedded), WinAnsi encoding for French
 * text, titles and body lines, automatic page breaks, and a correct cross-reference table.
 * Not a general PDF library: no images, no wrapping beyond words, no compression.
 */

export interface PdfLine {
  text: string;
  style?: 'title' | 'heading' | 'body' | 'muted';
}

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 56;
const STYLES = {
  title: { font: 'F2', size: 20, lead: 30 },
  heading: { font: 'F2', size: 13, lead: 22 },
  body: { font: 'F1', size: 10.5, lead: 15 },
  muted: { font: 'F1', size: 9, lead: 13 },
} as const;

/** WinAnsi code of a character, or '?' when it has none. */
const WIN_ANSI_EXTRA: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  '„': 0x84,
  '…': 0x85,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '\u202f': 0x20,
};

function encode(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0x3f;
    const byte = WIN_ANSI_EXTRA[ch] ?? (code >= 0x20 && code <= 0xff && !(code >= 0x7f && code < 0xa0) ? code : 0x3f);
    // Parentheses and backslash are escaped inside a PDF string.
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out.push(0x5c);
    out.push(byte);
  }
  return out;
}

/** Approximate Helvetica width (average glyph width ≈ 0.5 em) to wrap long lines. */
function wrap(text: string, size: number): string[] {
  const max = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (size * 0.5));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}

/** The bytes of a PDF holding these lines, with `title` as its document title. */
export function textPdf(title: string, content: readonly PdfLine[]): Uint8Array {
  // Lay the lines out on pages: each page is a list of [x, y, font, size, bytes].
  const pages: number[][] = [];
  let ops: number[] = [];
  let y = PAGE_HEIGHT - MARGIN;
  const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  for (const { text, style = 'body' } of content) {
    const s = STYLES[style];
    for (const piece of wrap(text, s.size)) {
      if (y - s.lead < MARGIN) {
        pages.push(ops);
        ops = [];
        y = PAGE_HEIGHT - MARGIN;
      }
      y -= s.lead;
      ops.push(
        ...ascii(`BT /${s.font} ${s.size} Tf ${MARGIN} ${y.toFixed(1)} Td (`),
        ...encode(piece),
        ...ascii(') Tj ET\n'),
      );
    }
  }
  pages.push(ops);

  const objects: number[][] = [];
  const add = (body: number[]) => {
    objects.push(body);
    return objects.length;
  };
  // 1 catalog, 2 pages, 3-4 fonts, 5 info; then one content stream and one page per page.
  const catalog = add(ascii('<< /Type /Catalog /Pages 2 0 R >>'));
  add([]); // the page tree, filled once the pages are known
  const font = (name: string) =>
    add(ascii(`<< /Type /Font /Subtype /Type1 /BaseFont /${name} /Encoding /WinAnsiEncoding >>`));
  const regular = font('Helvetica');
  const bold = font('Helvetica-Bold');
  const info = add([...ascii('<< /Title ('), ...encode(title), ...ascii(') /Producer (MakePlus) >>')]);
  const kids: number[] = [];
  for (const page of pages) {
    const stream = add([...ascii(`<< /Length ${page.length} >>\nstream\n`), ...page, ...ascii('\nendstream')]);
    kids.push(
      add(
        ascii(
          `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
            `/Resources << /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >> /Contents ${stream} 0 R >>`,
        ),
      ),
    );
  }
  objects[1] = ascii(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);

  const out: number[] = [...ascii('%PDF-1.4\n'), 0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a];
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out.push(...ascii(`${i + 1} 0 obj\n`), ...body, ...ascii('\nendobj\n'));
  });
  const xref = out.length;
  out.push(...ascii(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`));
  for (const o of offsets) out.push(...ascii(`${String(o).padStart(10, '0')} 00000 n \n`));
  out.push(
    ...ascii(
      `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    ),
  );
  return Uint8Array.from(out);
}
