import { z } from 'zod';

/** One entry of an event's audit trail, as the API answers it. */
export interface AuditEntry {
  id: number;
  eventId: string | null;
  actorKind: string;
  actorId: string | null;
  actorLabel: string;
  deviceId: string | null;
  via: 'rest' | 'mobile' | 'sync' | 'system';
  action: string;
  collection: string;
  recordId: string;
  before: unknown;
  after: unknown;
  /** When it happened on the device (its clock). */
  occurredAt: string;
  /** When it reached the server. */
  receivedAt: string;
  ip: string;
}

export const auditVia = z.enum(['rest', 'mobile', 'sync', 'system']);
export const auditAction = z.enum(['create', 'update', 'delete']);

/** Identity and fields the server maintains on every change: not worth showing as "changed". */
const BOOKKEEPING = new Set(['id', 'eventId', 'seq', 'rev', 'createdAt', 'updatedAt', 'receivedAt']);

/**
 * The fields a change touched: every key whose value differs between before and after (JSON
 * equality), identity and bookkeeping left out. A creation lists the fields it set (not the empty or
 * false ones); a deletion `deleted`.
 */
export function changedFields(before: unknown, after: unknown): string[] {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys]
    .filter((k) => !BOOKKEEPING.has(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .filter((k) => before !== null || (a[k] !== null && a[k] !== '' && a[k] !== undefined && a[k] !== false))
    .sort();
}

/** The audit CSV's columns, bilingual like the other exports. */
export const auditCsvColumns: readonly { key: keyof AuditEntry | 'changed'; label: string }[] = [
  { key: 'id', label: 'N° / No.' },
  { key: 'receivedAt', label: 'Reçu par le serveur / Received by the server' },
  { key: 'occurredAt', label: "Heure de l'appareil / Device time" },
  { key: 'actorKind', label: "Type d'auteur / Actor kind" },
  { key: 'actorLabel', label: 'Auteur / Actor' },
  { key: 'actorId', label: "Id de l'auteur / Actor id" },
  { key: 'deviceId', label: 'Appareil / Device' },
  { key: 'via', label: 'Par / Via' },
  { key: 'action', label: 'Action' },
  { key: 'collection', label: "Type d'enregistrement / Record type" },
  { key: 'recordId', label: 'Enregistrement / Record' },
  { key: 'changed', label: 'Champs modifiés / Changed fields' },
  { key: 'before', label: 'Avant / Before' },
  { key: 'after', label: 'Après / After' },
  { key: 'ip', label: 'IP' },
];

/** One entry as the CSV's cell values (JSON for before/after). */
export function auditCsvValues(e: AuditEntry): (string | number | null)[] {
  return auditCsvColumns.map(({ key }) => {
    if (key === 'changed') return changedFields(e.before, e.after).join(' ');
    const v = e[key];
    if (key === 'before' || key === 'after') return v === null || v === undefined ? '' : JSON.stringify(v);
    return v as string | number | null;
  });
}
