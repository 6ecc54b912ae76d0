import type { CancellationFact, SaleFact } from '@makeplus/shared';
import { sql } from 'kysely';
import type { Executor } from '../sync/recordStore';
import { toRecord } from '../sync/recordStore';

/** SQL of the cash desk's REST side (registers, items, figures). */
export function cashDeskQueries(ex: Executor) {
  return {
    /** A live register using this email (case-insensitive), in any event: it is a login. */
    registerWithEmail(email: string, exceptId?: string) {
      let q = ex
        .selectFrom('cashRegisters')
        .select(['id', 'eventId', 'email'])
        .where(sql<boolean>`lower(email) = ${email.toLowerCase()}`)
        .where('deleted', '=', false);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return q.executeTakeFirst();
    },
    userWithEmail(email: string) {
      return ex.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst();
    },
    /** Receipt prefixes already used in the event (live or deleted registers: printed receipts keep them). */
    async prefixes(eventId: string): Promise<Set<string>> {
      const rows = await ex
        .selectFrom('cashRegisters')
        .select('receiptPrefix')
        .where('eventId', '=', eventId)
        .execute();
      return new Set(rows.map((r) => r.receiptPrefix));
    },
    async countSales(eventId: string, cashRegisterId: string): Promise<number> {
      const row = await ex
        .selectFrom('transactions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('eventId', '=', eventId)
        .where('cashRegisterId', '=', cashRegisterId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    /** Every sale and cancellation of the event (or of one register). */
    async facts(
      eventId: string,
      cashRegisterId?: string,
    ): Promise<{ sales: SaleFact[]; cancellations: CancellationFact[] }> {
      let s = ex.selectFrom('transactions').selectAll().where('eventId', '=', eventId);
      let c = ex.selectFrom('transactionCancellations').selectAll().where('eventId', '=', eventId);
      if (cashRegisterId) {
        s = s.where('cashRegisterId', '=', cashRegisterId);
        c = c.where('cashRegisterId', '=', cashRegisterId);
      }
      const [sales, cancellations] = await Promise.all([s.execute(), c.execute()]);
      return {
        sales: sales.map((r) => toRecord<SaleFact>('transactions', r as Record<string, unknown>)),
        cancellations: cancellations.map((r) =>
          toRecord<CancellationFact>('transactionCancellations', r as Record<string, unknown>),
        ),
      };
    },
  };
}
