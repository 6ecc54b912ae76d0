import { describe, expect, it } from 'vitest';
import { leadExportTable, toCsv, visitsByVisitor } from '../src/leads/leadExport';

const stand = {
  id: 's1',
  name: 'MedTech Algérie',
  stand: 'B12',
  qualificationQuestions: [
    { id: 'interest', label: 'Produit', type: 'choice' as const, options: ['ECG'] },
    { id: 'budget', label: 'Budget validé ?', type: 'yes_no' as const, options: [] },
  ],
};
const lead = (id: string, participantId: string, extra: Record<string, unknown> = {}) => ({
  id,
  exhibitorId: 's1',
  participantId,
  notes: '',
  rating: null,
  answers: {},
  followUp: false,
  firstCapturedAt: '2026-11-22T09:00:00.000Z',
  visitorEmail: '',
  visitorPhone: '',
  deleted: false,
  ...extra,
});

describe('lead export table', () => {
  it('has every field, one column per question, visits counted from the scans, oldest lead first', () => {
    const table = leadExportTable({
      exhibitors: [stand],
      leads: [
        lead('l2', 'p2', { firstCapturedAt: '2026-11-22T10:00:00.000Z', rating: 'cold' }),
        lead('l1', 'p1', {
          rating: 'hot',
          followUp: true,
          notes: 'Rappeler',
          answers: { interest: 'ECG', budget: false },
          visitorEmail: 'a@x.dz',
        }),
        lead('l3', 'p3', { deleted: true }),
      ],
      scans: [
        { exhibitorId: 's1', participantId: 'p1', occurredAt: '2026-11-22T09:00:00.000Z', deleted: false },
        { exhibitorId: 's1', participantId: 'p1', occurredAt: '2026-11-22T11:30:00.000Z', deleted: false },
        { exhibitorId: 's1', participantId: 'p2', occurredAt: '2026-11-22T10:00:00.000Z', deleted: false },
      ],
      visitors: new Map([
        ['p1', { firstName: 'Amina', lastName: 'Benali', organization: 'CHU' }],
        ['p2', { firstName: 'Yacine', lastName: 'Rahmani', organization: '' }],
      ]),
    });
    expect(table.header.slice(-2)).toEqual(['Produit', 'Budget validé ?']);
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]).toEqual([
      'MedTech Algérie (B12)',
      'Amina',
      'Benali',
      'CHU',
      'a@x.dz',
      '',
      'chaud / hot',
      'oui / yes',
      'Rappeler',
      '2026-11-22T09:00:00.000Z',
      '2026-11-22T11:30:00.000Z',
      2,
      'ECG',
      'non / no',
    ]);
    expect(table.rows[1]?.[1]).toBe('Yacine');
    expect(table.rows[1]?.[11]).toBe(1);
  });

  it('counts visits per stand and visitor, ignoring deleted scans', () => {
    const v = visitsByVisitor([
      { exhibitorId: 'a', participantId: 'p', occurredAt: '2026-01-01T00:00:00Z', deleted: false },
      { exhibitorId: 'b', participantId: 'p', occurredAt: '2026-01-01T00:00:00Z', deleted: false },
      { exhibitorId: 'a', participantId: 'p', occurredAt: '2026-01-02T00:00:00Z', deleted: true },
    ]);
    expect([...v.values()].map((x) => x.count)).toEqual([1, 1]);
  });
});

describe('CSV', () => {
  it('starts with a BOM, quotes separators and quotes, and neutralises formulas', () => {
    const csv = toCsv({
      header: ['a', 'b'],
      rows: [
        ['=HYPERLINK("x")', 'un, "deux"\ntrois'],
        [-1, '+33 6'],
      ],
    });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('a,b');
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")","un, ""deux""\ntrois"`);
    // Numbers are data, not formulas; text starting with + is guarded.
    expect(csv).toContain("-1,'+33 6");
  });
});
