import { describe, expect, it } from 'vitest';
import { checkImportFile, type ImportFileProgress } from '../src/participants/importFile';
import { guessMapping } from '../src/participants/importRows';

describe('participants file check (the import worker)', () => {
  it('keeps accented characters intact across chunk boundaries, with progress to the end', async () => {
    const header = 'Prénom;Nom;Courriel;Organisme;Catégorie';
    const lines = [header];
    for (let i = 1; i <= 3000; i++) lines.push(`Hélène${i};Bénard;helene.${i}@example.org;Hôpital Ibn Sina;Médecin`);
    const file = new Blob([lines.join('\n')], { type: 'text/csv' });
    const progress: ImportFileProgress[] = [];
    // Small chunks: many boundaries, some of them inside a two-byte character.
    const check = await checkImportFile(file, guessMapping(header.split(';')), (p) => progress.push(p), 4096);
    expect(check.rows).toHaveLength(3000);
    expect(check.errors).toEqual([]);
    for (const row of check.rows) {
      expect(row.values.category).toBe('Médecin');
      expect(row.values.organization).toBe('Hôpital Ibn Sina');
      expect(row.values.firstName).toMatch(/^Hélène\d+$/);
    }
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.map((p) => p.read)).toEqual([...progress.map((p) => p.read)].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ read: file.size, size: file.size, rows: 3000 });
  });
});
