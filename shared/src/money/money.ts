import { z } from 'zod';

/**
 * Money is always an integer number of minor units (centimes for DZD).
 * The ceiling keeps every sum of a realistic event well inside Number.MAX_SAFE_INTEGER.
 */
export const MAX_MINOR_UNITS = 1_000_000_000_000;
export const minorUnits = z.int().min(0).max(MAX_MINOR_UNITS);
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. DZD');
export const DEFAULT_CURRENCY = 'DZD';

/** Minor units per major unit; DZD, EUR and USD all use 2 decimals. */
const MINOR_DIGITS: Record<string, number> = { DZD: 2, EUR: 2, USD: 2, TND: 3, JPY: 0 };
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

export function sumMinor(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`not an integer amount: ${v}`);
    total += v;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('amount overflow');
  return total;
}

/** "2000.00" style decimal string, as the legacy API renders prices. Exact: no float arithmetic. */
export function minorToDecimalString(minor: number, currency = DEFAULT_CURRENCY): string {
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = Math.abs(minor)
    .toString()
    .padStart(digits + 1, '0');
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const frac = digits === 0 ? '' : `.${abs.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${frac}`;
}

/** Parse "2000", "2000.5", "2000.50" or 2000.5 into minor units; null when it is not an amount. */
export function parseDecimalToMinor(value: unknown, currency = DEFAULT_CURRENCY): number | null {
  const text = typeof value === 'number' ? value.toFixed(minorDigits(currency)) : value;
  if (typeof text !== 'string') return null;
  const m = /^\s*(\d{1,13})(?:[.,](\d+))?\s*$/.exec(text);
  if (!m) return null;
  const digits = minorDigits(currency);
  const frac = (m[2] ?? '').padEnd(digits, '0');
  if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) return null;
  const minor = Number(m[1]) * 10 ** digits + Number(frac.slice(0, digits) || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Human display, e.g. "2 000,00 DZD" in French. */
export function formatMoney(minor: number, currency = DEFAULT_CURRENCY, locale = 'fr-FR'): string {
  const digits = minorDigits(currency);
  const major = minorToDecimalString(minor, currency);
  const [whole = '0', frac] = major.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, locale.startsWith('fr') ? '\u202f' : ',');
  const sep = locale.startsWith('fr') ? ',' : '.';
  const sign = minor < 0 ? '-' : '';
  return `${sign}${grouped}${digits ? sep + frac : ''} ${currency}`;
}

const GROUPED = /^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+)([.,]\d+)?$/;

/**
 * An amount typed by a person, as French and English screens show it: "1 500,00", "1 500", "1500.5",
 * "2 000,00 DZD" (grouping spaces, including the no-break spaces formatMoney writes, a comma or a
 * point for decimals, the currency code optional). Null when it is not an amount; never a float.
 */
export function parseTypedAmount(text: string, currency = DEFAULT_CURRENCY): number | null {
  let t = text.trim();
  if (t.toUpperCase().endsWith(currency)) t = t.slice(0, -currency.length).trim();
  const grouped = GROUPED.exec(t);
  if (grouped) t = `${(grouped[1] ?? '').replace(/[ \u00a0\u202f]/g, '')}${grouped[2] ?? ''}`;
  // "1,500" or "1.500" could be a thousand and a half or one and a half: more decimals than the
  // currency has are refused rather than guessed.
  const digits = minorDigits(currency);
  const decimals = digits === 0 ? '' : `(?:[.,]\\d{1,${digits}})?`;
  return new RegExp(`^\\d+${decimals}$`).test(t) ? parseDecimalToMinor(t, currency) : null;
}
