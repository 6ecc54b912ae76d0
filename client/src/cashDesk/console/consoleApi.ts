import type { CashRegisterRecord, PayableItemKind, RegisterStatistics } from '@makeplus/shared';
import { apiJson } from '../../auth/session';
import { eventResourcePath } from '../../organizer/eventApi';

/**
 * What needs the network on the cash registers page: a register's figures, and its login (creating
 * a register, changing its email or password), since the server hashes the password and checks the
 * email is free. Everything else (items, a register's name, deactivation) is written on the device
 * and syncs (CashRegistersPage), offline too.
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
