import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { en } from './en';
import { fr } from './fr';

/**
 * The UI's text. French is the source catalogue; `en` is typed against it, so TypeScript refuses a
 * key missing from (or unknown to) either language. Placeholders are `{name}`; plurals are pairs of
 * keys `<base>.one` / `<base>.other`, chosen with Intl.PluralRules.
 */
export const languages = ['fr', 'en'] as const;
export type Language = (typeof languages)[number];
export type MessageKey = keyof typeof fr;
export type Catalogue = { readonly [K in MessageKey]: string };

export const catalogues: Record<Language, Catalogue> = { fr, en };

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
/** The variables a message needs, read from its French text. */
export type MessageVars<K extends MessageKey> = [Placeholders<(typeof fr)[K]>] extends [never]
  ? []
  : [vars: Record<Placeholders<(typeof fr)[K]>, string | number>];
/** Keys whose message takes no variables (what a data table of labels may hold). */
export type PlainMessageKey = { [K in MessageKey]: MessageVars<K> extends [] ? K : never }[MessageKey];
export type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.one` ? B : never) : never;
type PluralVars<B extends PluralBase> = Omit<
  Record<Placeholders<(typeof fr)[`${B}.one` & MessageKey] | (typeof fr)[`${B}.other` & MessageKey]>, string | number>,
  'count'
>;

const STORAGE_KEY = 'makeplus.lang';

export function interpolate(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translate<K extends MessageKey>(lang: Language, key: K, ...args: MessageVars<K>): string {
  return interpolate(catalogues[lang][key], args[0] as Record<string, string | number> | undefined);
}

export function translatePlural<B extends PluralBase>(
  lang: Language,
  base: B,
  count: number,
  vars?: PluralVars<B>,
): string {
  const category = new Intl.PluralRules(lang).select(count) === 'one' ? 'one' : 'other';
  const key = `${base}.${category}` as MessageKey;
  return interpolate(catalogues[lang][key], { ...vars, count: new Intl.NumberFormat(lang).format(count) });
}

function readLanguage(): Language {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'fr' || saved === 'en') return saved;
  } catch {}
  return 'fr';
}

let language: Language = readLanguage();
const listeners = new Set<() => void>();

function applyToDocument(lang: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyToDocument(language);

export function getLanguage(): Language {
  return language;
}

/** Switch the UI language; remembered on this device. */
export function setLanguage(lang: Language): void {
  language = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {}
  applyToDocument(lang);
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export interface I18n {
  lang: Language;
  setLanguage: (lang: Language) => void;
  t: <K extends MessageKey>(key: K, ...vars: MessageVars<K>) => string;
  tn: <B extends PluralBase>(base: B, count: number, vars?: PluralVars<B>) => string;
  /** "22 nov. 2026" */
  date: (iso: string) => string;
  /** "22 nov. 2026, 08:00" */
  dateTime: (iso: string) => string;
  /** "22–24 nov. 2026" */
  dateRange: (startIso: string, endIso: string) => string;
  /** "il y a 3 minutes" */
  relative: (iso: string, now?: number) => string;
  number: (n: number) => string;
}

export function formatRelative(lang: Language, iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

export function useI18n(): I18n {
  const lang = useSyncExternalStore(subscribe, getLanguage, getLanguage);
  const t = useCallback(
    <K extends MessageKey>(key: K, ...vars: MessageVars<K>) => translate(lang, key, ...vars),
    [lang],
  );
  return useMemo(() => {
    const dateFmt = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: 'numeric' });
    const dateTimeFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      setLanguage,
      t,
      tn: (base, count, vars) => translatePlural(lang, base, count, vars),
      date: (iso) => dateFmt.format(new Date(iso)),
      dateTime: (iso) => dateTimeFmt.format(new Date(iso)),
      dateRange: (a, b) => dateFmt.formatRange(new Date(a), new Date(b)),
      relative: (iso, now) => formatRelative(lang, iso, now),
      number: (n) => new Intl.NumberFormat(lang).format(n),
    };
  }, [lang, t]);
}
