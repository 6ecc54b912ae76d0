import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, parseTypedAmount } from '../src';

describe('amounts typed by a person', () => {
  it('reads French and English writing, with or without grouping and currency', () => {
    expect(parseTypedAmount('1 500,00')).toBe(150000);
    expect(parseTypedAmount('1\u202f500,00')).toBe(150000);
    expect(parseTypedAmount('1\u00a0500')).toBe(150000);
    expect(parseTypedAmount('1500')).toBe(150000);
    expect(parseTypedAmount('1500.5')).toBe(150050);
    expect(parseTypedAmount(' 12 345 678,90 DZD ')).toBe(1234567890);
    expect(parseTypedAmount('0,05')).toBe(5);
  });

  it('refuses what is not an amount rather than guess', () => {
    for (const bad of [
      '',
      'abc',
      '-3',
      '1 50,00',
      '15 00',
      '1,500.00',
      '1.500,00',
      '12,345',
      '1 500,001',
      'DZD',
      '1,500',
      '1.500',
      '2,50 EUR',
    ])
      expect(parseTypedAmount(bad), bad).toBeNull();
  });

  it('reads back every amount formatMoney writes, in both languages', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (minor) => {
        expect(parseTypedAmount(formatMoney(minor, 'DZD', 'fr-FR'))).toBe(minor);
        expect(parseTypedAmount(formatMoney(minor, 'DZD', 'en').replaceAll(',', ' '))).toBe(minor);
      }),
    );
  });
});
