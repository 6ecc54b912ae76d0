import type { z } from 'zod';
import { en as zodEn, fr as zodFr } from 'zod/locales';
import type { ApiError } from '../api/apiError';
import { type Language, translate } from '../i18n/i18n';

type Issue = z.core.$ZodRawIssue;

/** Plain words for the checks forms meet most; zod's own translations cover the rest. */
function plainMessage(lang: Language, iss: Issue): string | undefined {
  const origin = (iss as { origin?: string }).origin;
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined || iss.input === null || iss.input === '') return translate(lang, 'field.required');
      if (iss.expected === 'number' || iss.expected === 'int') return translate(lang, 'field.number');
      return undefined;
    case 'too_small':
      if (origin === 'string')
        return Number(iss.minimum) <= 1
          ? translate(lang, 'field.required')
          : translate(lang, 'field.minLength', { min: Number(iss.minimum) });
      if (origin === 'number') return translate(lang, 'field.min', { min: Number(iss.minimum) });
      return undefined;
    case 'too_big':
      if (origin === 'string') return translate(lang, 'field.maxLength', { max: Number(iss.maximum) });
      if (origin === 'number') return translate(lang, 'field.max', { max: Number(iss.maximum) });
      return undefined;
    case 'invalid_format':
      return translate(lang, 'field.format');
    default:
      return undefined;
  }
}

function errorMap(lang: Language) {
  const locale = (lang === 'fr' ? zodFr : zodEn)().localeError;
  return (iss: Issue) => plainMessage(lang, iss) ?? locale(iss);
}

/** Each field a shared schema refuses in `values`, with a reason in the person's language (checked on the device). */
export function schemaFieldErrors(schema: z.ZodType, values: unknown, lang: Language): Record<string, string> {
  const out: Record<string, string> = {};
  const parsed = schema.safeParse(values, { error: errorMap(lang) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) out[issue.path.map(String).join('.')] ??= issue.message;
  }
  return out;
}

/**
 * The fields the server refused, each with a reason in the person's language. The server decides
 * which fields are wrong; the reason is re-derived on the device with the same shared schema when
 * it can (the server's reasons are in English), otherwise the server's words are shown.
 */
export function localizedFieldErrors(
  error: ApiError,
  schema: z.ZodType,
  values: Record<string, unknown>,
  lang: Language,
): Record<string, string> {
  const fromServer = error.fieldReasons();
  const local: Record<string, string> = {};
  const parsed = schema.safeParse(values, { error: errorMap(lang) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.map(String).join('.');
      local[name] ??= issue.message;
    }
  }
  return Object.fromEntries(Object.entries(fromServer).map(([field, reason]) => [field, local[field] ?? reason]));
}
