import type { CashRegisterRecord, PayableItemRecord } from './cashDesk';

/** A field a device's write may not set, and why (the server answers it as 400 with the field). */
export interface EditIssue {
  field: string;
  reason: string;
}

/** Fields of a workshop's item that the server keeps in step with its session. */
export const MIRRORED_ITEM_FIELDS = ['name', 'priceMinor', 'isActive', 'kind', 'sessionId'] as const;

type ItemState = Pick<PayableItemRecord, (typeof MIRRORED_ITEM_FIELDS)[number] | 'deleted'>;

/**
 * What an organizer's device may write to an item on sale (offline too; the server applies the same
 * rule to every synced write): a dinner, a pass or other goods freely (the price is checked by the
 * schema: integer minor units, 0 or more); a workshop's item never, since it follows its session.
 * `before` is the stored version (null for a new item).
 */
export function payableItemEditIssues(before: ItemState | null, after: ItemState): EditIssue[] {
  const issues: EditIssue[] = [];
  const viaSession = 'workshop items follow their session: change the session (title, price, paid, status) instead';
  if (before === null) {
    if (after.sessionId !== null) issues.push({ field: 'sessionId', reason: viaSession });
    else if (after.kind === 'session') issues.push({ field: 'kind', reason: viaSession });
    return issues;
  }
  if (before.sessionId !== null) {
    if (after.deleted && !before.deleted) return [{ field: 'deleted', reason: viaSession }];
    for (const f of MIRRORED_ITEM_FIELDS) if (before[f] !== after[f]) issues.push({ field: f, reason: viaSession });
    return issues;
  }
  if (after.sessionId !== null)
    issues.push({ field: 'sessionId', reason: 'only the server links an item to a session' });
  if (after.kind === 'session') issues.push({ field: 'kind', reason: 'only a paid session has a workshop item' });
  return issues;
}

type RegisterState = Pick<CashRegisterRecord, 'email' | 'receiptPrefix' | 'deleted'>;

/**
 * What a device may write to a cash register by sync: its name and whether it is active. A register
 * is a login, so creating one, changing its email or password, or deleting it (refused while it has
 * sales) is done online, where the server hashes the password and checks the email is free. The
 * receipt prefix never changes: receipts already printed carry it.
 */
export function cashRegisterEditIssues(before: RegisterState | null, after: RegisterState): EditIssue[] {
  if (before === null)
    return [{ field: 'id', reason: 'a register is a login: create it online (its password is set on the server)' }];
  const issues: EditIssue[] = [];
  if (after.deleted && !before.deleted)
    issues.push({
      field: 'deleted',
      reason: 'delete a register online (refused while it has sales); deactivate it instead',
    });
  if (after.email !== before.email)
    issues.push({
      field: 'email',
      reason: 'a register’s sign-in email is changed online (the server checks it is free)',
    });
  if (after.receiptPrefix !== before.receiptPrefix)
    issues.push({ field: 'receiptPrefix', reason: 'receipts already issued carry this prefix; it cannot change' });
  return issues;
}
