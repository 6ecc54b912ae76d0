import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, minorToDecimalString, parseDecimalToMinor, sumMinor } from '../src';

describe('money in minor units', () => {
  it('renders and parses decimal strings exactly', () => {
    expect(minorToDecimalString(200000)).toBe('2000.00');
    expect(minorToDecimalString(5)).toBe('0.05');
    expect(parseDecimalToMinor('2000.00')).toBe(200000);
    expect(parseDecimalToMinor('2000,5')).toBe(200050);
    expect(parseDecimalToMinor(2000.5)).toBe(200050);
    expect(parseDecimalToMinor('12.345')).toBeNull();
    expect(parseDecimalToMinor('abc')).toBeNull();
    expect(parseDecimalToMinor('-3')).toBeNull();
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (minor) => {
        expect(parseDecimalToMinor(minorToDecimalString(minor))).toBe(minor);
      }),
    );
  });

  it('sums integers and refuses floats', () => {
    expect(sumMinor([100, 250])).toBe(350);
    expect(() => sumMinor([0.1, 0.2])).toThrow();
  });

  it('formats for people', () => {
    expect(formatMoney(350000, 'DZD', 'fr-FR')).toBe('3\u202f500,00 DZD');
    expect(formatMoney(350000, 'DZD', 'en')).toBe('3,500.00 DZD');
  });
});
