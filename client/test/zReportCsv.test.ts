import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readZReportCsv, zReportCsv, zReportCsvBlob, zReportCsvColumns } from '../src/cashDesk/zReportCsv';
import { registerDay } from './zReportWorld';

const sum = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

describe('Z report CSV', () => {
  it('parses back to the same totals', () => {
    const { report } = registerDay();
    const rows = readZReportCsv(zReportCsv(report));
    const of = (section: string) => rows.filter((r) => r.section === section);
    const one = (section: string, key: string) => rows.find((r) => r.section === section && r.key === key)!;

    expect(one('summary', 'completed').amountMinor).toBe(report.summary.completedMinor);
    expect(one('summary', 'gross').amountMinor).toBe(report.summary.grossMinor);
    expect(one('summary', 'cancelled').amountMinor).toBe(report.summary.cancelledMinor);
    // Method rows add up to the completed total, their cash parts to the cash total.
    expect(of('method').map((r) => r.key)).toEqual(['cash', 'bank_transfer', 'mixed']);
    expect(sum(of('method').map((r) => r.amountMinor))).toBe(report.summary.completedMinor);
    expect(sum(of('method').map((r) => r.cashMinor))).toBe(report.summary.cashMinor);
    expect(sum(of('method').map((r) => r.count))).toBe(report.summary.completedCount);
    // Item rows too.
    expect(sum(of('item').map((r) => r.amountMinor))).toBe(report.summary.completedMinor);
    expect(of('item').map((r) => [r.label, r.quantity])).toEqual(
      report.summary.byItem.map((i) => [i.name, i.quantity]),
    );
    // gross = completed + cancelled.
    expect(one('summary', 'gross').amountMinor).toBe(
      one('summary', 'completed').amountMinor! + one('summary', 'cancelled').amountMinor!,
    );
    // The drawer adds up: expected = opening + cash sales − cash refunds; difference = counted − expected.
    const d = (k: string) => one('drawer', k).amountMinor!;
    expect(d('expected')).toBe(d('opening') + d('cash_sales') - d('cash_refunds'));
    expect(d('expected')).toBe(report.drawer.expectedMinor);
    expect(d('difference')).toBe(d('counted') - d('expected'));
    expect(d('difference')).toBe(-1000);
    // Cancellations: their cash equals the cash refunded.
    expect(sum(of('cancellation').map((r) => r.cashMinor))).toBe(d('cash_refunds'));
    expect(of('cancellation').map((r) => [r.label, r.status, r.value])).toEqual([
      ['HA-5', 'same_period', 'Mauvais atelier'],
      ['HA-1', 'earlier_sale', '=Doublon de la veille'],
    ]);
    // Journal: one row per sale; the standing ones add up to the completed total.
    expect(of('sale')).toHaveLength(report.journal.length);
    expect(
      sum(
        of('sale')
          .filter((r) => r.status === 'completed')
          .map((r) => r.amountMinor),
      ),
    ).toBe(report.summary.completedMinor);
    expect(one('meta', 'first_receipt').value).toBe('HA-2');
    expect(one('meta', 'last_receipt').value).toBe('HA-5');
  });

  it('writes exact decimals beside the integer amounts, and neutralises formulas', () => {
    const { report } = registerDay();
    const csv = zReportCsv(report);
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...zReportCsvColumns]);
    const completed = parsed.data.find((r) => r.section === 'summary' && r.key === 'completed')!;
    expect(completed.amount_minor).toBe('937650');
    expect(completed.amount).toBe('9376.50');
    const diff = parsed.data.find((r) => r.section === 'drawer' && r.key === 'difference')!;
    expect(diff.amount).toBe('-10.00');
    // A reason typed as a formula is stored quoted, so a spreadsheet shows it as text.
    const refund = parsed.data.find((r) => r.section === 'cancellation' && r.label === 'HA-1')!;
    expect(refund.value).toBe("'=Doublon de la veille");
    for (const r of parsed.data) {
      if (r.amount_minor) expect(Number(r.amount)).toBeCloseTo(Number(r.amount_minor) / 100, 10);
    }
  });

  it('semicolons, English labels and the BOM of the download read back the same', async () => {
    const { report } = registerDay();
    const comma = readZReportCsv(zReportCsv(report));
    const semi = readZReportCsv(zReportCsv(report, { delimiter: ';', locale: 'en' }));
    const strip = (rows: typeof comma) => rows.map(({ label: _label, ...r }) => r);
    expect(strip(semi)).toEqual(strip(comma));
    expect(semi.find((r) => r.section === 'drawer' && r.key === 'expected')!.label).toBe('Cash expected');
    const blob = zReportCsvBlob(report);
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await blob.arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(strip(readZReportCsv(text))).toEqual(strip(comma));
  });

  it('refuses a CSV whose amounts are not integers', () => {
    const { report } = registerDay();
    const tampered = zReportCsv(report).replace(/,937650,/, ',9376.5,');
    expect(() => readZReportCsv(tampered)).toThrow(/not an integer amount/);
  });
});
