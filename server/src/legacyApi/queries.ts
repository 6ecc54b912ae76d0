import type {
  AnnouncementRecord,
  EntitlementRecord,
  EventRecord,
  LeadScanRecord,
  MembershipRecord,
  ParticipantRecord,
  PayableItemRecord,
  QuestionRecord,
  RoomAssignmentRecord,
  RoomRecord,
  ScanRecord,
  SessionRecord,
  TransactionRecord,
} from '@makeplus/shared';
import type { Kysely, Selectable } from 'kysely';
import type { DB, UsersTable } from '../db/schema';
import { type Executor, toRecord } from '../sync/recordStore';

/** The mobile API's own table (see migration 2026112210). */
export interface VerificationCodesTable {
  purpose: 'signup' | 'password_reset';
  email: string;
  codeHash: string;
  payload: unknown;
  attempts: number;
  sentAt: string;
  expiresAt: string;
}
type LegacyDB = DB & { mobileVerificationCodes: VerificationCodesTable };

export type UserRow = Selectable<UsersTable>;

/** All SQL of the mobile-API compatibility layer: reads over our own tables, nothing copied. */
export function legacyQueries(db: Kysely<DB>) {
  const ldb = db as unknown as Kysely<LegacyDB>;
  const live = <T>(rows: unknown[], table: Parameters<typeof toRecord>[0]) =>
    rows.map((r) => toRecord<T>(table, r as Record<string, unknown>));

  return {
    async userById(id: string) {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async userByLegacyId(legacyId: number) {
      return db.selectFrom('users').selectAll().where('legacyId', '=', legacyId).executeTakeFirst();
    },
    async userByEmail(email: string) {
      return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },
    async usersByIds(ids: readonly (string | null)[]): Promise<Map<string, UserRow>> {
      const wanted = [...new Set(ids.filter((i): i is string => !!i))];
      if (!wanted.length) return new Map();
      const rows = await db.selectFrom('users').selectAll().where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    async updateUser(
      id: string,
      patch: Partial<Pick<UserRow, 'firstName' | 'lastName' | 'email' | 'passwordHash' | 'isActive'>>,
      ex: Executor = db,
    ) {
      return ex
        .updateTable('users')
        .set({ ...patch, updatedAt: new Date().toISOString() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /**
     * The event a token without an `event_id` claim works in: the first active staff membership
     * (as the original did), else the newest registration.
     */
    async fallbackEventId(userId: string): Promise<string | null> {
      const m = await db
        .selectFrom('memberships')
        .innerJoin('events', 'events.id', 'memberships.eventId')
        .select('memberships.eventId')
        .where('memberships.userId', '=', userId)
        .where('memberships.isActive', '=', true)
        .where('memberships.deleted', '=', false)
        .where('events.deleted', '=', false)
        .orderBy('memberships.legacyId')
        .executeTakeFirst();
      if (m) return m.eventId;
      const p = await db
        .selectFrom('participants')
        .innerJoin('events', 'events.id', 'participants.eventId')
        .select('participants.eventId')
        .where('participants.userId', '=', userId)
        .where('participants.deleted', '=', false)
        .where('events.deleted', '=', false)
        .orderBy('events.startsAt', 'desc')
        .executeTakeFirst();
      return p?.eventId ?? null;
    },

    async event(id: string): Promise<EventRecord | undefined> {
      const row = await db
        .selectFrom('events')
        .selectAll()
        .where('id', '=', id)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return row ? toRecord<EventRecord>('events', row as Record<string, unknown>) : undefined;
    },
    async events(ids: readonly string[]): Promise<EventRecord[]> {
      if (!ids.length) return [];
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('id', 'in', [...ids])
        .where('deleted', '=', false)
        .execute();
      return live<EventRecord>(rows, 'events');
    },
    async eventCounts(eventId: string) {
      const [participants, exhibitors, rooms] = await Promise.all([
        countOf('participants', eventId),
        countOf('exhibitors', eventId),
        db
          .selectFrom('rooms')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('eventId', '=', eventId)
          .where('deleted', '=', false)
          .where('isActive', '=', true)
          .executeTakeFirst(),
      ]);
      return { participants, exhibitors, rooms: Number(rooms?.n ?? 0) };
    },

    async rooms(eventId: string): Promise<RoomRecord[]> {
      const rows = await db
        .selectFrom('rooms')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('name')
        .execute();
      return live<RoomRecord>(rows, 'rooms');
    },
    async sessions(eventId: string): Promise<SessionRecord[]> {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('startsAt')
        .orderBy('id')
        .execute();
      return live<SessionRecord>(rows, 'sessions');
    },
    /** A record by id whatever its event (the contract's URLs carry no event). */
    async eventOf(table: 'rooms' | 'sessions', id: string): Promise<string | null> {
      const row = await db
        .selectFrom(table)
        .select('eventId')
        .where('id', '=', id)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return row?.eventId ?? null;
    },

    async participant(eventId: string, where: { id?: string; legacyId?: number; userId?: string }) {
      let q = db.selectFrom('participants').selectAll().where('eventId', '=', eventId).where('deleted', '=', false);
      if (where.id) q = q.where('id', '=', where.id);
      if (where.legacyId) q = q.where('legacyId', '=', where.legacyId);
      if (where.userId) q = q.where('userId', '=', where.userId);
      const row = await q.executeTakeFirst();
      return row ? toRecord<ParticipantRecord>('participants', row as Record<string, unknown>) : undefined;
    },
    async participantsBy(
      eventId: string,
      by: 'badgeCode' | 'id' | 'userId' | 'userLegacyId' | 'legacyBadgeId',
      value: string | number,
    ): Promise<ParticipantRecord[]> {
      let q = db.selectFrom('participants').selectAll().where('eventId', '=', eventId);
      q =
        by === 'legacyBadgeId'
          ? q.where((eb) => eb(eb.fn('upper', ['legacyBadgeId']), '=', String(value).toUpperCase()))
          : q.where(by, '=', value as never);
      return live<ParticipantRecord>(await q.execute(), 'participants');
    },
    async participantsOfEvent(
      eventId: string,
      filter: { userLegacyId?: number; search?: string; ids?: readonly string[] } = {},
    ): Promise<ParticipantRecord[]> {
      let q = db
        .selectFrom('participants')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('legacyId');
      if (filter.userLegacyId !== undefined) q = q.where('userLegacyId', '=', filter.userLegacyId);
      if (filter.ids) {
        if (!filter.ids.length) return [];
        q = q.where('id', 'in', [...filter.ids]);
      }
      if (filter.search) {
        const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where((eb) =>
          eb.or(
            (['firstName', 'lastName', 'email', 'legacyBadgeId', 'organization'] as const).map((c) =>
              eb(c, 'ilike', like),
            ),
          ),
        );
      }
      return live<ParticipantRecord>(await q.execute(), 'participants');
    },
    /** A person's registrations in every event (the original's one Participant across events). */
    async registrationsOfUser(userId: string) {
      return db
        .selectFrom('participants')
        .innerJoin('events', 'events.id', 'participants.eventId')
        .select([
          'participants.id',
          'participants.legacyId',
          'participants.eventId',
          'participants.legacyBadgeId',
          'participants.createdAt',
          'participants.updatedAt',
          'events.name',
          'events.status',
          'events.startsAt',
          'events.endsAt',
        ])
        .where('participants.userId', '=', userId)
        .where('participants.deleted', '=', false)
        .where('events.deleted', '=', false)
        .orderBy('events.startsAt', 'desc')
        .execute();
    },
    async registrationsOfUsers(userIds: readonly string[]) {
      if (!userIds.length) return [];
      return db
        .selectFrom('participants')
        .innerJoin('events', 'events.id', 'participants.eventId')
        .select(['participants.userId', 'participants.eventId', 'events.name'])
        .where('participants.userId', 'in', [...userIds])
        .where('participants.deleted', '=', false)
        .where('events.deleted', '=', false)
        .execute();
    },

    async entitlements(eventId: string, participantIds: readonly string[]): Promise<EntitlementRecord[]> {
      if (!participantIds.length) return [];
      const rows = await db
        .selectFrom('entitlements')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('participantId', 'in', [...participantIds])
        .where('deleted', '=', false)
        .execute();
      return live<EntitlementRecord>(rows, 'entitlements');
    },
    async allEntitlements(eventId: string): Promise<EntitlementRecord[]> {
      const rows = await db
        .selectFrom('entitlements')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .execute();
      return live<EntitlementRecord>(rows, 'entitlements');
    },
    async entitlement(id: string) {
      const row = await db
        .selectFrom('entitlements')
        .selectAll()
        .where('id', '=', id)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return row ? toRecord<EntitlementRecord>('entitlements', row as Record<string, unknown>) : undefined;
    },
    async payableItems(eventId: string): Promise<PayableItemRecord[]> {
      const rows = await db.selectFrom('payableItems').selectAll().where('eventId', '=', eventId).execute();
      return live<PayableItemRecord>(rows, 'payableItems');
    },
    async transactionsByIds(ids: readonly string[]): Promise<TransactionRecord[]> {
      if (!ids.length) return [];
      const rows = await db
        .selectFrom('transactions')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute();
      return live<TransactionRecord>(rows, 'transactions');
    },

    async badgeTrust(eventId: string) {
      return db.selectFrom('badgeTrust').selectAll().where('eventId', '=', eventId).execute();
    },
    async scans(
      eventId: string,
      filter: { operatorId?: string; roomId?: string | null; participantId?: string; limit?: number } = {},
    ): Promise<ScanRecord[]> {
      let q = db
        .selectFrom('scans')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('occurredAt', 'desc')
        .orderBy('id', 'desc');
      if (filter.operatorId) q = q.where('operatorId', '=', filter.operatorId);
      if (filter.roomId === null) q = q.where('roomId', 'is', null);
      else if (filter.roomId) q = q.where('roomId', '=', filter.roomId);
      if (filter.participantId) q = q.where('participantId', '=', filter.participantId);
      if (filter.limit) q = q.limit(filter.limit);
      return live<ScanRecord>(await q.execute(), 'scans');
    },
    async roomScans(eventId: string): Promise<ScanRecord[]> {
      const rows = await db
        .selectFrom('scans')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .where('roomId', 'is not', null)
        .orderBy('occurredAt', 'desc')
        .execute();
      return live<ScanRecord>(rows, 'scans');
    },

    async leadScans(eventId: string, exhibitorId: string | null): Promise<LeadScanRecord[]> {
      let q = db
        .selectFrom('leadScans')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('occurredAt', 'desc')
        .orderBy('legacyId', 'desc');
      if (exhibitorId) q = q.where('exhibitorId', '=', exhibitorId);
      return live<LeadScanRecord>(await q.execute(), 'leadScans');
    },
    async lead(eventId: string, exhibitorId: string, participantId: string, ex: Executor = db) {
      return ex
        .selectFrom('leads')
        .select(['id'])
        .where('eventId', '=', eventId)
        .where('exhibitorId', '=', exhibitorId)
        .where('participantId', '=', participantId)
        .where('deleted', '=', false)
        .executeTakeFirst();
    },
    async exhibitor(eventId: string, id: string) {
      return db
        .selectFrom('exhibitors')
        .select(['id', 'name', 'stand'])
        .where('eventId', '=', eventId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    async announcements(eventId: string): Promise<AnnouncementRecord[]> {
      const rows = await db
        .selectFrom('announcements')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('createdAt', 'desc')
        .orderBy('legacyId', 'desc')
        .execute();
      return live<AnnouncementRecord>(rows, 'announcements');
    },
    async byLegacyId<T>(
      table: 'announcements' | 'questions' | 'roomAssignments' | 'leadScans' | 'memberships' | 'participants',
      legacyId: number,
    ): Promise<T | undefined> {
      const row = await db
        .selectFrom(table)
        .selectAll()
        .where('legacyId', '=', legacyId)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return row ? toRecord<T>(table, row as Record<string, unknown>) : undefined;
    },
    async questions(eventId: string): Promise<QuestionRecord[]> {
      const rows = await db
        .selectFrom('questions')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('askedAt')
        .orderBy('legacyId')
        .execute();
      return live<QuestionRecord>(rows, 'questions');
    },
    async questionsOfUser(userId: string) {
      return db
        .selectFrom('questions')
        .innerJoin('sessions', 'sessions.id', 'questions.sessionId')
        .select(['sessions.title', 'questions.text', 'questions.askedAt', 'questions.isAnswered'])
        .where('questions.askedBy', '=', userId)
        .where('questions.deleted', '=', false)
        .orderBy('questions.askedAt')
        .execute();
    },

    async memberships(eventId: string): Promise<MembershipRecord[]> {
      const rows = await db
        .selectFrom('memberships')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('legacyId')
        .execute();
      return live<MembershipRecord>(rows, 'memberships');
    },
    async membershipsOfUser(userId: string): Promise<MembershipRecord[]> {
      const rows = await db
        .selectFrom('memberships')
        .innerJoin('events', 'events.id', 'memberships.eventId')
        .selectAll('memberships')
        .where('memberships.userId', '=', userId)
        .where('memberships.deleted', '=', false)
        .where('events.deleted', '=', false)
        .orderBy('memberships.legacyId')
        .execute();
      return live<MembershipRecord>(rows, 'memberships');
    },
    async roomAssignments(eventId: string): Promise<RoomAssignmentRecord[]> {
      const rows = await db
        .selectFrom('roomAssignments')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('startsAt')
        .orderBy('legacyId')
        .execute();
      return live<RoomAssignmentRecord>(rows, 'roomAssignments');
    },

    verificationCode(purpose: VerificationCodesTable['purpose'], email: string) {
      return ldb
        .selectFrom('mobileVerificationCodes')
        .selectAll()
        .where('purpose', '=', purpose)
        .where('email', '=', email)
        .executeTakeFirst();
    },
    async putVerificationCode(row: Omit<VerificationCodesTable, 'attempts' | 'payload'> & { payload: unknown }) {
      const values = { ...row, payload: JSON.stringify(row.payload), attempts: 0 };
      await ldb
        .insertInto('mobileVerificationCodes')
        .values(values as never)
        .onConflict((oc) =>
          oc.columns(['purpose', 'email']).doUpdateSet({
            codeHash: values.codeHash,
            payload: values.payload as never,
            attempts: 0,
            sentAt: values.sentAt,
            expiresAt: values.expiresAt,
          }),
        )
        .execute();
    },
    async countVerificationAttempt(purpose: VerificationCodesTable['purpose'], email: string) {
      await ldb
        .updateTable('mobileVerificationCodes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('purpose', '=', purpose)
        .where('email', '=', email)
        .execute();
    },
    async deleteVerificationCode(purpose: VerificationCodesTable['purpose'], email: string, ex: Executor = db) {
      await (ex as unknown as Kysely<LegacyDB>)
        .deleteFrom('mobileVerificationCodes')
        .where('purpose', '=', purpose)
        .where('email', '=', email)
        .execute();
    },
  };

  async function countOf(table: 'participants' | 'exhibitors', eventId: string): Promise<number> {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('eventId', '=', eventId)
      .where('deleted', '=', false)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
export type LegacyQueries = ReturnType<typeof legacyQueries>;
