import { describe, expect, it } from 'vitest';
import { checkSlotFile, eventFileSlots, sniffFileKind } from '../src/files/fileType';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

const samples = {
  pdf: bytes('%PDF-1.7\n%âãÏÓ'),
  png: bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'),
  webp: bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '),
};

describe('what a file is, from its first bytes', () => {
  it('recognises PDF, PNG, JPEG and WebP', () => {
    for (const [kind, head] of Object.entries(samples)) expect(sniffFileKind(head), kind).toBe(kind);
  });

  it('refuses look-alikes: another RIFF (WAV), text, HTML, a PDF signature not at the start, too few bytes', () => {
    expect(sniffFileKind(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '))).toBeNull();
    expect(sniffFileKind(bytes('just text'))).toBeNull();
    expect(sniffFileKind(bytes('<html><body>%PDF-1.4'))).toBeNull();
    expect(sniffFileKind(bytes(' %PDF-1.4'))).toBeNull();
    expect(sniffFileKind(bytes('%PDF'))).toBeNull();
    expect(sniffFileKind(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffFileKind(new Uint8Array())).toBeNull();
  });
});

describe('whether a file may go into an event slot', () => {
  it('takes images for the logo and banner, PDFs for the programme and guide, and nothing else', () => {
    const accepted = Object.fromEntries(
      eventFileSlots.map((slot) => [
        slot,
        Object.entries(samples)
          .filter(([, head]) => checkSlotFile(slot, head, 100, 1000).ok)
          .map(([k]) => k),
      ]),
    );
    expect(accepted).toEqual({
      logo: ['png', 'jpeg', 'webp'],
      banner: ['png', 'jpeg', 'webp'],
      programme: ['pdf'],
      guide: ['pdf'],
    });
  });

  it('names the refusal: empty (400) before too large (413) before the kind (415), wrong kind with what it is', () => {
    expect(checkSlotFile('programme', samples.pdf, 0, 1000)).toMatchObject({ ok: false, status: 400, reason: 'empty' });
    expect(checkSlotFile('programme', bytes('text'), 1001, 1000)).toMatchObject({ status: 413, reason: 'too_large' });
    expect(checkSlotFile('programme', samples.pdf, 1000, 1000)).toEqual({ ok: true, kind: 'pdf' });
    expect(checkSlotFile('programme', samples.png, 10, 1000)).toEqual({
      ok: false,
      status: 415,
      reason: 'wrong_type',
      kind: 'png',
    });
    expect(checkSlotFile('logo', bytes('GIF89a......'), 10, 1000)).toMatchObject({
      status: 415,
      reason: 'unsupported_type',
      kind: null,
    });
  });
});
