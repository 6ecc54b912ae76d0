import type { ParticipantRecord } from '@makeplus/shared';
import { apiJson } from '../auth/session';
import { eventResourcePath } from '../organizer/eventApi';
import type { ImportRow } from './importRows';

/** Rows per import request (the server accepts up to 2,000). */
export const IMPORT_BATCH_SIZE = 500;

export interface ImportBatchResult {
  created: number;
  merged: number;
  ids: { row: number; id: string; merged: boolean }[];
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Send one batch: all or report (a 400 names `rows.<row>.<field>`; nothing of the batch is stored). */
export function importBatch(eventId: string, rows: readonly ImportRow[]): Promise<ImportBatchResult> {
  return apiJson<ImportBatchResult>(
    eventResourcePath(eventId, 'participants/import'),
    json('POST', { rows: rows.map((r) => ({ row: r.row, values: r.values })) }),
  );
}

export interface NewParticipant {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  organization: string;
  category: string;
}

/** A new registration goes through the server, which links the account and signs the badge. */
export function createParticipant(eventId: string, input: NewParticipant): Promise<ParticipantRecord> {
  return apiJson<ParticipantRecord>(eventResourcePath(eventId, 'participants'), json('POST', input));
}

export interface ParticipantActivity {
  scans: {
    id: string;
    occurredAt: string;
    roomId: string | null;
    roomName: string;
    direction: string;
    granted: boolean;
    reason: string;
  }[];
  transactions: {
    id: string;
    occurredAt: string;
    receiptNumber: string;
    totalMinor: number;
    status: string;
    items: string;
  }[];
  leads: { id: string; exhibitorName: string; firstCapturedAt: string; rating: string | null }[];
}

/** What a person did at the event (server facts the console does not keep locally). */
export function participantActivity(eventId: string, id: string, signal?: AbortSignal): Promise<ParticipantActivity> {
  return apiJson<ParticipantActivity>(
    eventResourcePath(eventId, `statistics/participants/${id}/activity`),
    signal ? { signal } : {},
  );
}
