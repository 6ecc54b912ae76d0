import type { CashRegisterRecord, PayableItemKind, PayableItemRecord, RegisterStatistics } from '@makeplus/shared';
import { apiJson } from '../../auth/session';
import { eventResourcePath } from '../../organizer/eventApi';

/**
 * The organizer's writes to registers and items go through the REST API: the server hashes a
 * register's password, checks its login is free, and keeps workshop items in step with their session.
 */
export interface RegisterInput {
  name: string;
  email: string;
  password?: string;
  receiptPrefix?: string;
  isActive?: boolean;
}
export interface ItemInput {
  name: string;
  description: string;
  kind: Exclude<PayableItemKind, 'session'>;
  priceMinor: number;
  isActive: boolean;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export function registerStatistics(eventId: string, signal?: AbortSignal): Promise<RegisterStatistics[]> {
  return apiJson(eventResourcePath(eventId, 'cash-registers/statistics'), signal ? { signal } : {});
}

export function createRegister(eventId: string, input: RegisterInput): Promise<CashRegisterRecord> {
  return apiJson(eventResourcePath(eventId, 'cash-registers'), json('POST', input));
}

export function updateRegister(
  eventId: string,
  r: CashRegisterRecord,
  patch: Partial<RegisterInput>,
): Promise<CashRegisterRecord> {
  return apiJson(eventResourcePath(eventId, `cash-registers/${r.id}`), json('PATCH', { ...patch, rev: r.rev }));
}

export function createItem(eventId: string, input: ItemInput): Promise<PayableItemRecord> {
  return apiJson(eventResourcePath(eventId, 'payable-items'), json('POST', input));
}

export function updateItem(
  eventId: string,
  item: PayableItemRecord,
  patch: Partial<ItemInput>,
): Promise<PayableItemRecord> {
  return apiJson(eventResourcePath(eventId, `payable-items/${item.id}`), json('PATCH', { ...patch, rev: item.rev }));
}
