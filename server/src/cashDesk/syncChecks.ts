import {
  type CashRegisterRecord,
  cashRegisterEditIssues,
  type PayableItemRecord,
  payableItemEditIssues,
} from '@makeplus/shared';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { FieldError } from '../http/errors';

type Doc = Record<string, unknown>;

/**
 * The cash desk's rules on writes that arrive by sync (an organizer's console, offline or not): the
 * same pure rules the console applies before it stores an edit (shared/src/cashDesk/catalogueEdits.ts).
 * The schema has already checked each field (a price is an integer number of minor units, 0 or more).
 */
export const cashDeskSyncChecks = {
  async payableItems(_trx: Transaction<DB>, doc: Doc, current: Doc | null): Promise<FieldError[]> {
    return payableItemEditIssues(current as PayableItemRecord | null, doc as PayableItemRecord);
  },
  async cashRegisters(_trx: Transaction<DB>, doc: Doc, current: Doc | null): Promise<FieldError[]> {
    return cashRegisterEditIssues(current as CashRegisterRecord | null, doc as CashRegisterRecord);
  },
};
