import { z } from 'zod';
import { scanReason } from '../doorControl/scan';

/**
 * What the organizer console exports, declared once for the server (which streams the CSV) and the
 * console (which turns the same rows into an Excel sheet with typed cells). Column labels are
 * bilingual, as in the lead export, so one file reads in either language.
 */
export const exportDatasets = ['participants', 'scans', 'attendance', 'transactions'] as const;
export const exportDataset = z.enum(exportDatasets);
export type ExportDataset = z.infer<typeof exportDataset>;

/** How a column is typed in Excel: text, an integer, an amount in minor units, an ISO instant, yes/no. */
export type ExportColumnType = 'text' | 'integer' | 'money' | 'datetime' | 'boolean';

export interface ExportColumn {
  key: string;
  label: string;
  type: ExportColumnType;
}

const col = (key: string, label: string, type: ExportColumnType = 'text'): ExportColumn => ({ key, label, type });

export const exportColumns: Record<ExportDataset, readonly ExportColumn[]> = {
  participants: [
    col('lastName', 'Nom / Last name'),
    col('firstName', 'Prénom / First name'),
    col('email', 'Email'),
    col('phone', 'Téléphone / Phone'),
    col('organization', 'Organisme / Organization'),
    col('category', 'Catégorie / Category'),
    col('source', 'Origine / Source'),
    col('registeredAt', 'Inscrit le / Registered at', 'datetime'),
    col('checkedInAt', 'Arrivé le / Checked in at', 'datetime'),
  ],
  scans: [
    col('occurredAt', 'Date / Time', 'datetime'),
    col('room', 'Salle / Room'),
    col('direction', 'Sens / Direction'),
    col('granted', 'Accordé / Granted', 'boolean'),
    col('reason', 'Motif / Reason'),
    col('lastName', 'Nom / Last name'),
    col('firstName', 'Prénom / First name'),
    col('issuedOffline', 'Hors ligne / Offline badge', 'boolean'),
    col('deviceId', 'Appareil / Device'),
  ],
  attendance: [
    col('room', 'Salle / Room'),
    col('lastName', 'Nom / Last name'),
    col('firstName', 'Prénom / First name'),
    col('email', 'Email'),
    col('entries', 'Entrées / Entries', 'integer'),
    col('firstEntryAt', 'Première entrée / First entry', 'datetime'),
    col('lastEntryAt', 'Dernière entrée / Last entry', 'datetime'),
  ],
  transactions: [
    col('occurredAt', 'Date / Time', 'datetime'),
    col('receiptNumber', 'Reçu / Receipt'),
    col('register', 'Caisse / Register'),
    col('lastName', 'Nom / Last name'),
    col('firstName', 'Prénom / First name'),
    col('items', 'Articles / Items'),
    col('totalMinor', 'Total (DZD)', 'money'),
    col('paymentMethod', 'Paiement / Payment'),
    col('cashMinor', 'Espèces / Cash (DZD)', 'money'),
    col('status', 'Statut / Status'),
    col('cashierName', 'Caissier / Cashier'),
  ],
};

const instant = z.iso.datetime({ offset: true });

/**
 * The filters of the exports page, the same for the server query and the screen:
 * `from` (inclusive) and `to` (exclusive) are instants on the time of the fact (the console sends
 * the local midnights of the days chosen, so a day is the organizer's day, not UTC's), `roomId` narrows scans and attendance,
 * `q` searches participants by name, email or organization, `granted` keeps granted or refused scans.
 */
export const exportFilters = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    roomId: z.uuid().optional(),
    q: z.string().trim().max(200).optional(),
    granted: z.enum(['true', 'false']).optional(),
    reason: scanReason.optional(),
    cashRegisterId: z.uuid().optional(),
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) < Date.parse(f.to), {
    message: 'must be after from',
    path: ['to'],
  });
export type ExportFilters = z.infer<typeof exportFilters>;

/** Which filters apply to which dataset (the page shows only those). */
export const exportFilterKeys: Record<ExportDataset, readonly (keyof ExportFilters)[]> = {
  participants: ['q', 'from', 'to'],
  scans: ['from', 'to', 'roomId', 'granted', 'reason'],
  attendance: ['from', 'to', 'roomId'],
  transactions: ['from', 'to', 'cashRegisterId'],
};

export type ExportRow = Record<string, string | number | boolean | null>;

/** One CSV cell (RFC 4180), with spreadsheet formula injection guarded by a leading apostrophe. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'boolean' ? (value ? 'oui / yes' : 'non / no') : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Minor units as a decimal amount for a file (250000 → "2500.00"). */
export function minorAsDecimal(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A row as one CSV line (CRLF-terminated), columns in declaration order, amounts as decimals. */
export function csvLine(columns: readonly ExportColumn[], row: ExportRow): string {
  return `${columns
    .map((c) => {
      const v = row[c.key];
      return csvCell(c.type === 'money' && typeof v === 'number' ? minorAsDecimal(v) : v);
    })
    .join(',')}\r\n`;
}

/** The header line, with the byte-order mark Excel needs to read accents. */
export function csvHeader(columns: readonly ExportColumn[]): string {
  return `\uFEFF${columns.map((c) => csvCell(c.label)).join(',')}\r\n`;
}
