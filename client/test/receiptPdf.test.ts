import { entitlementsFromSales } from '@makeplus/shared';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { pdfSafe } from '../src/cashDesk/documentText';
import {
  buildReceiptDocument,
  parseReceiptQrPayload,
  type ReceiptData,
  receiptContent,
  receiptPdf,
  receiptPdfBlob,
  receiptQrPayload,
} from '../src/cashDesk/receiptPdf';
import { Desk, EVENT, ITEM, pageSizesMm, participant, pdfRaw, pdfTextLines, REGISTER } from './receiptWorld';

function mixedSale() {
  const desk = new Desk();
  const t = desk.sell(
    1,
    [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.dinner }, { payableItemId: ITEM.kit, quantity: 2 }],
    { method: 'mixed', cashMinor: 100000, amountReceivedMinor: 150000 },
    '2026-11-22T09:31:00.000Z',
  );
  return { desk, t };
}

function receiptData(t: ReturnType<typeof mixedSale>['t'], extra: Partial<ReceiptData> = {}): ReceiptData {
  return {
    event: EVENT,
    register: { name: REGISTER.name },
    transaction: t,
    participant: participant(1),
    ...extra,
  };
}

describe('receipt content', () => {
  it('says everything a receipt must, from the sale record', () => {
    const { t } = mixedSale();
    const c = receiptContent(receiptData(t), 'fr');
    expect(c.title).toEqual({ receipt: 'Reçu N° HA-1', invoice: 'Facture N° HA-1' });
    expect(c.meta).toEqual([
      ['Date', '22/11/2026 10:31'],
      ['Caisse', 'Caisse Hall A'],
      ['Caissier', 'Amina Cherif'],
    ]);
    expect(c.eventLines).toEqual(['Centre international de conférences, Alger', '22/11/2026 - 24/11/2026']);
    expect(c.participantLines).toEqual(['Yacine Benali', 'CHU Mustapha', 'yacine@example.dz']);
    expect(c.rows.map((r) => [r.name, r.quantity, pdfSafe(r.unitPrice), pdfSafe(r.amount)])).toEqual([
      ['Atelier - Échographie cardiaque', 1, '2 000,00 DZD', '2 000,00 DZD'],
      ['Dîner de gala', 1, '3 500,00 DZD', '3 500,00 DZD'],
      ['Kit congressiste', 2, '125,50 DZD', '251,00 DZD'],
    ]);
    expect(c.totals.map(([k, v]) => [k, pdfSafe(v)])).toEqual([
      ['Total', '5 751,00 DZD'],
      ['Paiement', 'Mixte (espèces + virement)'],
      ['Part en espèces', '1 000,00 DZD'],
      ['Part par virement', '4 751,00 DZD'],
      ['Reçu', '1 500,00 DZD'],
      ['Rendu', '500,00 DZD'],
    ]);
    expect(c.cancelled).toEqual([]);
  });

  it('bank transfer prints no received/change lines; English labels', () => {
    const desk = new Desk();
    const t = desk.sell(2, [{ payableItemId: ITEM.dinner }], { method: 'bank_transfer' }, '2026-11-22T14:00:00.000Z');
    const c = receiptContent({ ...receiptData(t), participant: participant(2) }, 'en');
    expect(c.totals.map(([k, v]) => [k, pdfSafe(v)])).toEqual([
      ['Total', '3,500.00 DZD'],
      ['Payment', 'Bank transfer'],
    ]);
    expect(c.title.invoice).toBe('Invoice No. HA-1');
  });

  it('refuses to print a sale whose lines do not add up to its total', () => {
    const { t } = mixedSale();
    expect(() => receiptContent(receiptData({ ...t, totalMinor: t.totalMinor + 1 }))).toThrow(/lines add up/);
  });
});

describe('receipt PDF, 80 mm thermal roll', () => {
  it('is 80 mm wide and shows the event, register, number, date, participant, items, totals, method, received and change', () => {
    const { t } = mixedSale();
    const pdf = receiptPdf(receiptData(t), { layout: 'thermal80', compress: false });
    expect(pdfRaw(pdf).startsWith('%PDF-')).toBe(true);
    const sizes = pageSizesMm(pdf);
    expect(sizes).toHaveLength(1);
    expect(sizes[0]![0]).toBe(80);
    const lines = pdfTextLines(pdf);
    for (const expected of [
      'Congrès national de cardiologie',
      'Centre international de conférences, Alger',
      'Reçu N° HA-1',
      '22/11/2026 10:31',
      'Caisse Hall A',
      'Amina Cherif',
      'Yacine Benali',
      'CHU Mustapha',
      'Atelier - Échographie cardiaque',
      'Dîner de gala',
      'Kit congressiste',
      '2 x 125,50 DZD',
      '251,00 DZD',
      'Total',
      '5 751,00 DZD',
      'Mixte (espèces + virement)',
      'Part en espèces',
      '1 000,00 DZD',
      '4 751,00 DZD',
      'Reçu',
      '1 500,00 DZD',
      'Rendu',
      '500,00 DZD',
      `Référence ${t.id}`,
    ]) {
      expect(lines, expected).toContain(expected);
    }
    // The narrow no-break space of French grouping never reaches the PDF (it would garble the line).
    expect(pdfRaw(pdf)).not.toMatch(/\u202f/);
  });

  it('grows with the number of items (one page, as long as the receipt)', () => {
    const { t } = mixedSale();
    const short = pageSizesMm(receiptPdf(receiptData(t), { layout: 'thermal80', compress: false }))[0]![1];
    const many = { ...t, lines: Array.from({ length: 30 }, () => t.lines[2]!), totalMinor: 30 * 2 * 12550 };
    const long = pageSizesMm(
      receiptPdf(receiptData({ ...many, cashMinor: 1, amountReceivedMinor: 1, changeMinor: 0 }), {
        layout: 'thermal80',
        compress: false,
      }),
    )[0]![1];
    expect(long).toBeGreaterThan(short + 30 * 6);
  });

  it('draws the QR code of the receipt reference as vector modules', () => {
    const { t } = mixedSale();
    const payload = receiptQrPayload(t.id);
    expect(parseReceiptQrPayload(payload)).toBe(t.id);
    expect(parseReceiptQrPayload('makeplus:receipt:nope')).toBeNull();
    const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    let runs = 0;
    for (let r = 0; r < qr.modules.size; r++)
      for (let c = 0; c < qr.modules.size; c++)
        if (qr.modules.get(r, c) === 1 && (c === 0 || qr.modules.get(r, c - 1) !== 1)) runs++;
    const rects = (pdf: ArrayBuffer) => pdfRaw(pdf).match(/ re\n/g)?.length ?? 0;
    const withQr = rects(receiptPdf(receiptData(t), { layout: 'thermal80', compress: false }));
    const without = rects(receiptPdf(receiptData(t), { layout: 'thermal80', compress: false, qr: false }));
    // One white quiet-zone square plus one rectangle per horizontal run of dark modules.
    expect(withQr - without).toBe(1 + runs);
  });

  it('a reprint of a cancelled sale says so, with the reason', () => {
    const { desk, t } = mixedSale();
    const c = desk.cancel(t, 'Erreur de saisie', '2026-11-22T10:00:00.000Z');
    // The same sale's entitlements are revoked by the cancellation.
    expect(entitlementsFromSales(desk.transactions, desk.cancellations).every((e) => e.revoked)).toBe(true);
    const lines = pdfTextLines(
      receiptPdf(receiptData(t, { cancellation: { occurredAt: c.occurredAt, reason: c.reason } }), {
        layout: 'thermal80',
        compress: false,
      }),
    );
    expect(lines).toContain('ANNULÉ');
    expect(lines).toContain('Annulé le 22/11/2026 11:00');
    expect(lines).toContain('Motif : Erreur de saisie');
  });
});

describe('receipt PDF, A4 invoice', () => {
  it('is A4 with the invoice header, billed-to block, item table and totals', () => {
    const { t } = mixedSale();
    const pdf = receiptPdf(
      receiptData(t, { issuer: { name: 'Société algérienne de cardiologie', legalIds: ['NIF 000123456789'] } }),
      { layout: 'a4', compress: false, locale: 'en' },
    );
    expect(pageSizesMm(pdf)).toEqual([[210, 297]]);
    const lines = pdfTextLines(pdf);
    for (const expected of [
      'Congrès national de cardiologie',
      'Société algérienne de cardiologie',
      'NIF 000123456789',
      'Invoice No. HA-1',
      'Date: 22/11/2026, 10:31',
      'Register: Caisse Hall A',
      'Cashier: Amina Cherif',
      'Billed to',
      'Yacine Benali',
      'yacine@example.dz',
      'Item',
      'Qty',
      'Unit price',
      'Amount',
      'Atelier - Échographie cardiaque',
      '2,000.00 DZD',
      '3,500.00 DZD',
      '125.50 DZD',
      '251.00 DZD',
      'Total',
      '5,751.00 DZD',
      'Mixed (cash + transfer)',
      'Cash part',
      '1,000.00 DZD',
      'Transfer part',
      '4,751.00 DZD',
      'Received',
      '1,500.00 DZD',
      'Change',
      '500.00 DZD',
      'Invoice No. HA-1 - Page 1/1',
    ]) {
      expect(lines, expected).toContain(expected);
    }
  });

  it('continues the item table over pages, every item printed once', () => {
    const { t } = mixedSale();
    const lines = Array.from({ length: 70 }, (_, i) => ({
      ...t.lines[2]!,
      name: `Article numéro ${i + 1}`,
      quantity: 1,
    }));
    const big = { ...t, lines, totalMinor: 70 * 12550, paymentMethod: 'cash' as const, cashMinor: 70 * 12550 };
    const pdf = receiptPdf(receiptData({ ...big, amountReceivedMinor: big.cashMinor, changeMinor: 0 }), {
      layout: 'a4',
      compress: false,
    });
    const pages = pageSizesMm(pdf).length;
    expect(pages).toBeGreaterThan(1);
    const text = pdfTextLines(pdf);
    for (let i = 1; i <= 70; i++) expect(text.filter((l) => l === `Article numéro ${i}`)).toHaveLength(1);
    expect(text).toContain(`Facture N° HA-1 - Page ${pages}/${pages}`);
    // The table header is repeated on each page.
    expect(text.filter((l) => l === 'Désignation')).toHaveLength(pages);
    expect(text).toContain('8 785,00 DZD');
  });

  it('Blob and document forms agree', async () => {
    const { t } = mixedSale();
    const blob = receiptPdfBlob(receiptData(t), { layout: 'a4' });
    expect(blob.type).toBe('application/pdf');
    expect(new TextDecoder('latin1').decode(await blob.arrayBuffer()).startsWith('%PDF-')).toBe(true);
    expect(buildReceiptDocument(receiptData(t), { layout: 'a4' }).getNumberOfPages()).toBe(1);
  });
});

describe('pdfSafe', () => {
  it('keeps Latin-1, replaces typography, marks what the standard font cannot print', () => {
    expect(pdfSafe('Dîner à 3\u202f500,00 DZD')).toBe('Dîner à 3 500,00 DZD');
    expect(pdfSafe('l’atelier – « œuvre »…')).toBe("l'atelier - « oeuvre »...");
    expect(pdfSafe('Dvořák')).toBe('Dvorák');
    expect(pdfSafe('سلام')).toBe('????');
  });
});
