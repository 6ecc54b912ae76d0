import type { Executor } from '../sync/recordStore';

/** All SQL of the statistics domain: read-only aggregates over an event's facts. */
export function statisticsQueries(ex: Executor) {
  return {
    /** The event's time zone (the dashboard's buckets follow its clock). */
    async eventTimeZone(eventId: string): Promise<string | null> {
      const row = await ex.selectFrom('events').select('timezone').where('id', '=', eventId).executeTakeFirst();
      return row?.timezone ?? null;
    },
    participantScans(eventId: string, participantId: string) {
      return ex
        .selectFrom('scans')
        .leftJoin('rooms', 'rooms.id', 'scans.roomId')
        .select([
          'scans.id',
          'scans.occurredAt',
          'scans.roomId',
          'rooms.name as roomName',
          'scans.direction',
          'scans.granted',
          'scans.reason',
        ])
        .where('scans.eventId', '=', eventId)
        .where('scans.participantId', '=', participantId)
        .where('scans.deleted', '=', false)
        .orderBy('scans.occurredAt', 'desc')
        .limit(500)
        .execute();
    },
    participantTransactions(eventId: string, participantId: string) {
      return ex
        .selectFrom('transactions')
        .select(['id', 'occurredAt', 'receiptNumber', 'totalMinor', 'status', 'lines'])
        .where('eventId', '=', eventId)
        .where('participantId', '=', participantId)
        .where('deleted', '=', false)
        .orderBy('occurredAt', 'desc')
        .execute();
    },
    participantLeads(eventId: string, participantId: string) {
      return ex
        .selectFrom('leads')
        .innerJoin('exhibitors', 'exhibitors.id', 'leads.exhibitorId')
        .select(['leads.id', 'exhibitors.name as exhibitorName', 'leads.firstCapturedAt', 'leads.rating'])
        .where('leads.eventId', '=', eventId)
        .where('leads.participantId', '=', participantId)
        .where('leads.deleted', '=', false)
        .orderBy('leads.firstCapturedAt', 'desc')
        .execute();
    },
    recentScans(eventId: string, limit: number) {
      return ex
        .selectFrom('scans')
        .leftJoin('rooms', 'rooms.id', 'scans.roomId')
        .leftJoin('participants', 'participants.id', 'scans.participantId')
        .select([
          'scans.id',
          'scans.occurredAt',
          'scans.granted',
          'scans.reason',
          'scans.badgeCode',
          'rooms.name as roomName',
          'participants.firstName',
          'participants.lastName',
        ])
        .where('scans.eventId', '=', eventId)
        .where('scans.deleted', '=', false)
        .orderBy('scans.occurredAt', 'desc')
        .limit(limit)
        .execute();
    },
    recentSales(eventId: string, limit: number) {
      return ex
        .selectFrom('transactions')
        .leftJoin('cashRegisters', 'cashRegisters.id', 'transactions.cashRegisterId')
        .leftJoin('participants', 'participants.id', 'transactions.participantId')
        .select([
          'transactions.id',
          'transactions.occurredAt',
          'transactions.receiptNumber',
          'transactions.totalMinor',
          'cashRegisters.name as registerName',
          'participants.firstName',
          'participants.lastName',
        ])
        .where('transactions.eventId', '=', eventId)
        .where('transactions.deleted', '=', false)
        .orderBy('transactions.occurredAt', 'desc')
        .limit(limit)
        .execute();
    },
    recentFlags(eventId: string, limit: number) {
      return ex
        .selectFrom('reconciliationFlags')
        .select(['id', 'occurredAt', 'kind', 'summary'])
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('occurredAt', 'desc')
        .limit(limit)
        .execute();
    },
  };
}
