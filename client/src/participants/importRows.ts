import { participantCreateInput } from '@makeplus/shared';

/**
 * The pure part of a participants import: map a spreadsheet's columns onto participant fields,
 * check every row with the same schema the server uses, and merge rows that name the same email.
 * Runs in a Web Worker for large files (importWorker.ts) and in tests.
 */

export const importFields = ['firstName', 'lastName', 'email', 'phone', 'organization', 'category'] as const;
export type ImportField = (typeof importFields)[number];
/** For each participant field, the index of the file's column it is read from (null: not imported). */
export type ColumnMapping = Record<ImportField, number | null>;

export interface RowError {
  /** 1 = the first data row (the line after the header). */
  row: number;
  field: string;
  reason: string;
  /** The value as read from the file. */
  value: string;
}

export interface ImportRow {
  row: number;
  values: Record<ImportField, string>;
}

export interface ImportCheck {
  /** Rows to send, one per person (same email merged), in file order. */
  rows: ImportRow[];
  errors: RowError[];
  /** Rows folded into an earlier row with the same email. */
  duplicatesMerged: number;
  /** Data rows read (empty lines excluded). */
  total: number;
}

const HEADER_GUESSES: Record<ImportField, readonly string[]> = {
  firstName: ['firstname', 'first name', 'prenom', 'prénom', 'given name', 'first'],
  lastName: ['lastname', 'last name', 'nom', 'nom de famille', 'surname', 'family name', 'last'],
  email: ['email', 'e-mail', 'mail', 'courriel', 'adresse e-mail', 'adresse email'],
  phone: ['phone', 'téléphone', 'telephone', 'tel', 'tél', 'mobile', 'portable'],
  organization: [
    'organization',
    'organisation',
    'organisme',
    'company',
    'société',
    'societe',
    'établissement',
    'etablissement',
    'institution',
  ],
  category: ['category', 'catégorie', 'categorie', 'type', 'profil', 'statut'],
};

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[_.-]+/g, ' ')
    .trim();

/** A first mapping from the header names (French or English); the person adjusts it. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const normalized = headers.map(norm);
  const used = new Set<number>();
  const mapping = {} as ColumnMapping;
  for (const field of importFields) {
    const guesses = HEADER_GUESSES[field].map(norm);
    const i = normalized.findIndex((h, idx) => !used.has(idx) && guesses.includes(h));
    mapping[field] = i >= 0 ? i : null;
    if (i >= 0) used.add(i);
  }
  return mapping;
}

/** A mapping the import can run with: the first name is needed (the schema requires it). */
export function mappingProblem(mapping: ColumnMapping): 'firstName' | null {
  return mapping.firstName === null ? 'firstName' : null;
}

export function mapRow(cells: readonly string[], mapping: ColumnMapping): Record<ImportField, string> {
  const out = {} as Record<ImportField, string>;
  for (const field of importFields) {
    const i = mapping[field];
    out[field] = i === null ? '' : (cells[i] ?? '').trim();
  }
  return out;
}

const isBlank = (cells: readonly string[]) => cells.every((c) => (c ?? '').trim() === '');

/**
 * Incremental checker: feed data rows in order (as the CSV parser yields them), then `result()`.
 * Same email (ignoring case) = same person: later non-empty values fill in or replace earlier ones.
 */
export function createImportChecker(mapping: ColumnMapping) {
  const rows: ImportRow[] = [];
  const byEmail = new Map<string, ImportRow>();
  const errors: RowError[] = [];
  let duplicatesMerged = 0;
  let total = 0;
  let rowNumber = 0;
  return {
    add(cells: readonly string[]) {
      rowNumber += 1;
      if (isBlank(cells)) return;
      total += 1;
      const values = mapRow(cells, mapping);
      values.email = values.email.toLowerCase();
      const parsed = participantCreateInput.safeParse(values);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = issue.path.map(String).join('.');
          errors.push({
            row: rowNumber,
            field,
            reason: issue.message,
            value: String((values as Record<string, string>)[field] ?? ''),
          });
        }
        return;
      }
      const previous = values.email ? byEmail.get(values.email) : undefined;
      if (previous) {
        duplicatesMerged += 1;
        for (const f of importFields) if (values[f]) previous.values[f] = values[f];
        return;
      }
      const row = { row: rowNumber, values };
      rows.push(row);
      if (values.email) byEmail.set(values.email, row);
    },
    /** Rows read so far (for progress). */
    get count() {
      return rowNumber;
    },
    result(): ImportCheck {
      return { rows, errors, duplicatesMerged, total };
    },
  };
}

/** Split rows into request-sized batches. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
