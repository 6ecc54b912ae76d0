import { describe, expect, it } from 'vitest';
import { buildZReportDocument, zReportPdf, zReportPdfBlob } from '../src/cashDesk/zReportPdf';
import { pageSizesMm, pdfTextLines } from './receiptWorld';
import { registerDay } from './zReportWorld';

describe('Z report PDF', () => {
  it('prints the identity, receipts, sales by method and item, cancellations, drawer and journal', () => {
    const { report, names } = registerDay();
    // The figures the PDF must show (computed by the shared rules).
    expect(report.summary).toMatchObject({
      salesCount: 4,
      completedMinor: 225100 + 350000 + 362550,
      cancelledMinor: 200000,
    });
    expect(report.drawer).toMatchObject({ cashSalesMinor: 525100, cashRefundsMinor: 212550, expectedMinor: 812550 });
    const pdf = zReportPdf(report, { compress: false, participantNames: names });
    expect(pageSizesMm(pdf)[0]).toEqual([210, 297]);
    const lines = pdfTextLines(pdf);
    for (const expected of [
      'Rapport Z - clôture de caisse',
      'Événement : Congrès national de cardiologie',
      'Caisse : Caisse Hall A (HA)',
      'Période : 22/11/2026 00:00 - 22/11/2026 19:00',
      'Caissiers : Amina Cherif',
      'HA-2 - HA-5',
      'Ventes enregistrées',
      'Ventes annulées',
      'Ventes valides',
      '9 376,50 DZD',
      'Espèces',
      'Virement bancaire',
      'Mixte (espèces + virement)',
      '2 251,00 DZD',
      '3 500,00 DZD',
      '3 625,50 DZD',
      'Atelier - Échographie cardiaque',
      'Dîner de gala',
      'Kit congressiste',
      '7 000,00 DZD',
      'Mauvais atelier',
      '=Doublon de la veille',
      'HA-1',
      'Fond de caisse',
      '5 000,00 DZD',
      '+ Encaissé en espèces',
      '5 251,00 DZD',
      '- Remboursé en espèces',
      '2 125,50 DZD',
      '= Espèces attendues',
      '8 125,50 DZD',
      'Espèces comptées',
      '8 115,50 DZD',
      'Écart',
      '-10,00 DZD',
      'Journal des ventes',
      'Yacine Benali',
      'annulée',
      'valide',
    ]) {
      expect(lines, expected).toContain(expected);
    }
  });

  it('a long day runs over pages and lists every receipt; English labels', () => {
    const { report } = registerDay({ extraSales: 90, counted: null });
    const pdf = zReportPdf(report, { compress: false, locale: 'en' });
    const pages = pageSizesMm(pdf).length;
    expect(pages).toBeGreaterThan(1);
    const lines = pdfTextLines(pdf);
    for (const j of report.journal) expect(lines, j.receiptNumber).toContain(j.receiptNumber);
    expect(lines).toContain('Z report - register closing');
    expect(lines).toContain('Cash counted');
    expect(lines).toContain('not counted');
    expect(lines).toContain(`Caisse Hall A - ${pages}/${pages}`);
    expect(lines).not.toContain('Difference');
  });

  it('without the journal it is shorter; Blob form is a PDF', async () => {
    const { report } = registerDay({ extraSales: 90 });
    const full = buildZReportDocument(report).getNumberOfPages();
    const brief = buildZReportDocument(report, { journal: false }).getNumberOfPages();
    expect(brief).toBeLessThan(full);
    const blob = zReportPdfBlob(report);
    expect(blob.type).toBe('application/pdf');
    expect(new TextDecoder('latin1').decode((await blob.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });
});
