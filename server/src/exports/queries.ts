import type { ExportFilters } from '@makeplus/shared';
import { sql } from 'kysely';
import type { Executor } from '../sync/recordStore';

/** Rows per page read from the database while an export streams. */
export const EXPORT_PAGE = 2000;

const likeOf = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * All SQL of the exports: each dataset read in pages ordered by the event sequence (`seq`, unique
 * per event), so a long export streams with bounded memory and never skips or repeats a row.
 */
export function exportQueries(ex: Executor) {
  const firstAdmissions = ex
    .selectFrom('scans')
    .select(['participantId', (eb) => eb.fn.min('occurredAt').as('checkedInAt')])
    .where('granted', '=', true)
    .where('direction', '=', 'in')
    .where('deleted', '=', false)
    .where('participantId', 'is not', null)
    .groupBy('participantId');

  function participants(eventId: string, f: ExportFilters) {
    let q = ex
      .selectFrom('participants')
      .where('participants.eventId', '=', eventId)
      .where('participants.deleted', '=', false);
    if (f.q) {
      const like = likeOf(f.q);
      q = q.where((eb) =>
        eb.or([
          eb('participants.firstName', 'ilike', like),
          eb('participants.lastName', 'ilike', like),
          eb('participants.email', 'ilike', like),
          eb('participants.organization', 'ilike', like),
        ]),
      );
    }
    if (f.from) q = q.where('participants.createdAt', '>=', f.from);
    if (f.to) q = q.where('participants.createdAt', '<', f.to);
    return q;
  }

  function scans(eventId: string, f: ExportFilters) {
    let q = ex.selectFrom('scans').where('scans.eventId', '=', eventId).where('scans.deleted', '=', false);
    if (f.from) q = q.where('scans.occurredAt', '>=', f.from);
    if (f.to) q = q.where('scans.occurredAt', '<', f.to);
    if (f.roomId) q = q.where('scans.roomId', '=', f.roomId);
    if (f.granted) q = q.where('scans.granted', '=', f.granted === 'true');
    if (f.reason) q = q.where('scans.reason', '=', f.reason);
    return q;
  }

  function transactions(eventId: string, f: ExportFilters) {
    let q = ex
      .selectFrom('transactions')
      .where('transactions.eventId', '=', eventId)
      .where('transactions.deleted', '=', false);
    if (f.from) q = q.where('transactions.occurredAt', '>=', f.from);
    if (f.to) q = q.where('transactions.occurredAt', '<', f.to);
    if (f.cashRegisterId) q = q.where('transactions.cashRegisterId', '=', f.cashRegisterId);
    return q;
  }

  function attendance(eventId: string, f: ExportFilters) {
    return scans(eventId, f)
      .where('scans.granted', '=', true)
      .where('scans.direction', '=', 'in')
      .where('scans.roomId', 'is not', null)
      .where('scans.participantId', 'is not', null);
  }

  return {
    async count(dataset: 'participants' | 'scans' | 'transactions', eventId: string, f: ExportFilters) {
      const row = await (dataset === 'participants'
        ? participants(eventId, f).select((eb) => eb.fn.countAll().as('n'))
        : dataset === 'scans'
          ? scans(eventId, f).select((eb) => eb.fn.countAll().as('n'))
          : transactions(eventId, f).select((eb) => eb.fn.countAll().as('n'))
      ).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async attendanceCount(eventId: string, f: ExportFilters) {
      const row = await ex
        .selectFrom(
          attendance(eventId, f)
            .select(['scans.roomId', 'scans.participantId'])
            .groupBy(['scans.roomId', 'scans.participantId'])
            .as('a'),
        )
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    participantsPage(eventId: string, f: ExportFilters, afterSeq: number) {
      return participants(eventId, f)
        .leftJoin(firstAdmissions.as('firstIn'), 'firstIn.participantId', 'participants.id')
        .select([
          'participants.seq',
          'participants.lastName',
          'participants.firstName',
          'participants.email',
          'participants.phone',
          'participants.organization',
          'participants.category',
          'participants.source',
          'participants.createdAt as registeredAt',
          'firstIn.checkedInAt',
        ])
        .where('participants.seq', '>', afterSeq)
        .orderBy('participants.seq')
        .limit(EXPORT_PAGE)
        .execute();
    },
    scansPage(eventId: string, f: ExportFilters, afterSeq: number) {
      return scans(eventId, f)
        .leftJoin('rooms', 'rooms.id', 'scans.roomId')
        .leftJoin('participants', 'participants.id', 'scans.participantId')
        .select([
          'scans.seq',
          'scans.occurredAt',
          'rooms.name as room',
          'scans.direction',
          'scans.granted',
          'scans.reason',
          'participants.lastName',
          'participants.firstName',
          'scans.issuedOffline',
          'scans.deviceId',
        ])
        .where('scans.seq', '>', afterSeq)
        .orderBy('scans.seq')
        .limit(EXPORT_PAGE)
        .execute();
    },
    transactionsPage(eventId: string, f: ExportFilters, afterSeq: number) {
      return transactions(eventId, f)
        .leftJoin('cashRegisters', 'cashRegisters.id', 'transactions.cashRegisterId')
        .leftJoin('participants', 'participants.id', 'transactions.participantId')
        .select([
          'transactions.seq',
          'transactions.occurredAt',
          'transactions.receiptNumber',
          'cashRegisters.name as register',
          'participants.lastName',
          'participants.firstName',
          'transactions.lines',
          'transactions.totalMinor',
          'transactions.paymentMethod',
          'transactions.cashMinor',
          'transactions.status',
          'transactions.cashierName',
        ])
        .where('transactions.seq', '>', afterSeq)
        .orderBy('transactions.seq')
        .limit(EXPORT_PAGE)
        .execute();
    },
    /** One row per (room, person) admitted, with how often and when: bounded by rooms × people. */
    attendanceRows(eventId: string, f: ExportFilters) {
      return attendance(eventId, f)
        .innerJoin('rooms', 'rooms.id', 'scans.roomId')
        .innerJoin('participants', 'participants.id', 'scans.participantId')
        .select((eb) => [
          'rooms.name as room',
          'participants.lastName',
          'participants.firstName',
          'participants.email',
          eb.fn.countAll().as('entries'),
          eb.fn.min('scans.occurredAt').as('firstEntryAt'),
          eb.fn.max('scans.occurredAt').as('lastEntryAt'),
        ])
        .groupBy([
          'rooms.name',
          'participants.id',
          'participants.lastName',
          'participants.firstName',
          'participants.email',
        ])
        .orderBy('rooms.name')
        .orderBy(sql`lower(participants.last_name)`)
        .orderBy(sql`lower(participants.first_name)`)
        .execute();
    },
  };
}
