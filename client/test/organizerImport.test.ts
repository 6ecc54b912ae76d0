import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { batches, createImportChecker, guessMapping, mappingProblem } from '../src/participants/importRows';

const csv = [
  'Prénom;Nom;Courriel;Établissement;Catégorie;Téléphone',
  'Amina;Benali;amina@example.org;CHU Oran;Médecin;0555',
  ';SansPrénom;x@example.org;;;',
  'Yacine;Mansouri;pas-un-courriel;;;',
  '',
  'AMINA;Benali;AMINA@example.org;;Résidente;',
  'Sans;Courriel;;Clinique;;',
].join('\n');

describe('participants import check', () => {
  const [header = [], ...data] = Papa.parse<string[]>(csv, { delimiter: ';' }).data;

  it('guesses the mapping from French or English headers', () => {
    expect(guessMapping(header)).toEqual({
      firstName: 0,
      lastName: 1,
      email: 2,
      organization: 3,
      category: 4,
      phone: 5,
    });
    expect(guessMapping(['First name', 'Last name', 'E-mail'])).toMatchObject({ firstName: 0, lastName: 1, email: 2 });
    expect(mappingProblem(guessMapping(['Courriel']))).toBe('firstName');
  });

  it('reports each bad row with its field and value, merges the same email, skips blank lines', () => {
    const checker = createImportChecker(guessMapping(header));
    for (const cells of data) checker.add(cells);
    const r = checker.result();
    expect(r.total).toBe(5);
    expect(r.errors.map((e) => [e.row, e.field, e.value])).toEqual([
      [2, 'firstName', ''],
      [3, 'email', 'pas-un-courriel'],
    ]);
    expect(r.duplicatesMerged).toBe(1);
    expect(r.rows.map((x) => x.row)).toEqual([1, 6]);
    // The later row's non-empty values win; empty ones keep the earlier value.
    expect(r.rows[0]?.values).toMatchObject({
      firstName: 'AMINA',
      email: 'amina@example.org',
      organization: 'CHU Oran',
      category: 'Résidente',
      phone: '0555',
    });
  });

  it('checks 100,000 rows, keeping each with its line (timed in pnpm bench)', () => {
    const mapping = guessMapping(['firstName', 'lastName', 'email']);
    const checker = createImportChecker(mapping);
    for (let i = 0; i < 100_000; i++) checker.add([`P${i}`, `N${i}`, i === 500 ? 'bad' : `p${i}@example.org`]);
    const r = checker.result();
    expect(r.rows).toHaveLength(99_999);
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([[501, 'email']]);
    expect(r.rows.at(-1)?.values.email).toBe('p99999@example.org');
  });

  it('splits rows into batches', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
