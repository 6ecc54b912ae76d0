import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { fr } from '../src/i18n/fr';
import { catalogues, interpolate, type MessageKey, translate, translatePlural } from '../src/i18n/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the UI catalogue', () => {
  it('has exactly the same keys in French and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });

  it('has no empty message in either language', () => {
    for (const [lang, catalogue] of Object.entries(catalogues)) {
      const empty = Object.entries(catalogue).filter(([, text]) => text.trim() === '');
      expect(empty, lang).toEqual([]);
    }
  });

  it('uses the same placeholders in both languages for every key', () => {
    const mismatched = (Object.keys(fr) as MessageKey[]).filter(
      (key) => placeholders(fr[key]).join() !== placeholders(en[key]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('gives every plural both forms, each showing the count', () => {
    const keys = Object.keys(fr);
    const bases = new Set(keys.filter((k) => /\.(one|other)$/.test(k)).map((k) => k.replace(/\.(one|other)$/, '')));
    expect(bases.size).toBeGreaterThan(0);
    for (const base of bases) {
      for (const form of ['one', 'other']) {
        const key = `${base}.${form}` as MessageKey;
        expect(keys, `${key} missing`).toContain(key);
        expect(fr[key], key).toContain('{count}');
        expect(en[key], key).toContain('{count}');
      }
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('fr', 'home.greeting', { name: 'Nadia' })).toBe('Bonjour Nadia');
    expect(translate('en', 'common.pageOf', { page: 2, pages: 7 })).toBe('Page 2 of 7');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('chooses plural forms by each language’s rules (French counts 0 as singular)', () => {
    expect(translatePlural('fr', 'sync.pending', 0)).toBe('0 opération en attente');
    expect(translatePlural('fr', 'sync.pending', 2)).toBe('2 opérations en attente');
    expect(translatePlural('en', 'sync.pending', 0)).toBe('0 operations pending');
    expect(translatePlural('en', 'sync.pending', 1)).toBe('1 operation pending');
    expect(translatePlural('en', 'rooms.count', 1500)).toBe('1,500 rooms');
  });
});
