import type { EventRole } from '@makeplus/shared';
import type { Insertable, Kysely } from 'kysely';
import type { DB, RefreshTokensTable } from '../db/schema';
import type { Executor } from '../sync/recordStore';

/** All SQL of the accounts domain. */
export function accountQueries(db: Kysely<DB>) {
  return {
    findUserByEmail(email: string, ex: Executor = db) {
      return ex.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },
    findUserById(id: string, ex: Executor = db) {
      return ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findUserByLegacyId(legacyId: number, ex: Executor = db) {
      return ex.selectFrom('users').selectAll().where('legacyId', '=', legacyId).executeTakeFirst();
    },
    findCashRegisterByEmail(email: string) {
      return db
        .selectFrom('cashRegisters')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
        .where('deleted', '=', false)
        .executeTakeFirst();
    },
    findCashRegisterById(id: string) {
      return db
        .selectFrom('cashRegisters')
        .selectAll()
        .where('id', '=', id)
        .where('deleted', '=', false)
        .executeTakeFirst();
    },

    /** The user's active membership in an event, if any. */
    findMembership(userId: string, eventId: string) {
      return db
        .selectFrom('memberships')
        .selectAll()
        .where('userId', '=', userId)
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .where('isActive', '=', true)
        .executeTakeFirst();
    },
    findParticipantOfUser(userId: string, eventId: string) {
      return db
        .selectFrom('participants')
        .select(['id'])
        .where('userId', '=', userId)
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .executeTakeFirst();
    },

    /**
     * Every event the user can enter, with their role there: staff memberships first, then plain
     * registrations as `participant` (the original's "accessible events"). Newest first.
     */
    async eventsOfUser(userId: string): Promise<{ eventId: string; role: EventRole }[]> {
      const memberships = await db
        .selectFrom('memberships')
        .innerJoin('events', 'events.id', 'memberships.eventId')
        .select(['memberships.eventId', 'memberships.role', 'events.startsAt', 'events.name'])
        .where('memberships.userId', '=', userId)
        .where('memberships.deleted', '=', false)
        .where('memberships.isActive', '=', true)
        .where('events.deleted', '=', false)
        .execute();
      const registrations = await db
        .selectFrom('participants')
        .innerJoin('events', 'events.id', 'participants.eventId')
        .select(['participants.eventId', 'events.startsAt', 'events.name'])
        .where('participants.userId', '=', userId)
        .where('participants.deleted', '=', false)
        .where('events.deleted', '=', false)
        .execute();
      const byEvent = new Map<string, { eventId: string; role: EventRole; startsAt: string; name: string }>();
      for (const r of registrations) byEvent.set(r.eventId, { ...r, role: 'participant' });
      for (const m of memberships) byEvent.set(m.eventId, m);
      return [...byEvent.values()]
        .sort((a, b) => b.startsAt.localeCompare(a.startsAt) || a.name.localeCompare(b.name))
        .map(({ eventId, role }) => ({ eventId, role }));
    },

    insertRefreshToken(row: Insertable<RefreshTokensTable>) {
      return db.insertInto('refreshTokens').values(row).execute();
    },
    findRefreshToken(id: string) {
      return db.selectFrom('refreshTokens').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** Mark a refresh token used; false when it was already used or revoked (a replay). */
    async markRefreshTokenUsed(id: string): Promise<boolean> {
      const r = await db
        .updateTable('refreshTokens')
        .set({ usedAt: new Date().toISOString() })
        .where('id', '=', id)
        .where('usedAt', 'is', null)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    revokeFamily(familyId: string, reason: string) {
      return db
        .updateTable('refreshTokens')
        .set({ revokedAt: new Date().toISOString(), revokeReason: reason })
        .where('familyId', '=', familyId)
        .where('revokedAt', 'is', null)
        .execute();
    },
    revokeAllOfSubject(subjectId: string, reason: string, exceptFamily?: string) {
      let q = db
        .updateTable('refreshTokens')
        .set({ revokedAt: new Date().toISOString(), revokeReason: reason })
        .where('subjectId', '=', subjectId)
        .where('revokedAt', 'is', null);
      if (exceptFamily) q = q.where('familyId', '!=', exceptFamily);
      return q.execute();
    },
    recordLoginAttempt(row: {
      subjectKind: 'user' | 'cash_register';
      subjectId: string | null;
      email: string;
      ip: string;
      userAgent: string;
      success: boolean;
      reason: string;
    }) {
      return db.insertInto('loginAttempts').values(row).execute();
    },
    /** A person's own sign-in attempts, newest first. */
    loginHistoryOfUser(userId: string, limit: number) {
      return db
        .selectFrom('loginAttempts')
        .select(['at', 'email', 'subjectKind', 'subjectId', 'ip', 'userAgent', 'success', 'reason'])
        .where('subjectKind', '=', 'user')
        .where('subjectId', '=', userId)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },
    /**
     * Sign-in attempts of an event's staff (active memberships other than participants) and of its
     * cash registers, newest first; `subjectId` narrows to one of them.
     */
    loginHistoryOfEventStaff(eventId: string, limit: number, subjectId?: string) {
      let q = db
        .selectFrom('loginAttempts')
        .select(['at', 'email', 'subjectKind', 'subjectId', 'ip', 'userAgent', 'success', 'reason'])
        .where((eb) =>
          eb.or([
            eb.and([
              eb('subjectKind', '=', 'user'),
              eb(
                'subjectId',
                'in',
                eb
                  .selectFrom('memberships')
                  .select('userId')
                  .where('eventId', '=', eventId)
                  .where('deleted', '=', false)
                  .where('role', '!=', 'participant'),
              ),
            ]),
            eb.and([
              eb('subjectKind', '=', 'cash_register'),
              eb(
                'subjectId',
                'in',
                eb
                  .selectFrom('cashRegisters')
                  .select('cashRegisters.id')
                  .where('cashRegisters.eventId', '=', eventId)
                  .where('cashRegisters.deleted', '=', false),
              ),
            ]),
          ]),
        );
      if (subjectId) q = q.where('subjectId', '=', subjectId);
      return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },
    /** Live refresh-token families of a subject (one per signed-in device), with first and last use. */
    async sessionsOfSubject(subjectId: string, now: string) {
      return db
        .selectFrom('refreshTokens')
        .select((eb) => [
          'familyId',
          eb.fn.min('createdAt').as('signedInAt'),
          eb.fn.max('createdAt').as('lastUsedAt'),
          eb.fn.max('expiresAt').as('expiresAt'),
        ])
        .where('subjectId', '=', subjectId)
        .groupBy('familyId')
        .having((eb) => eb.fn.count('revokedAt'), '=', 0)
        .having((eb) => eb.fn.max('expiresAt'), '>', now)
        .orderBy('lastUsedAt', 'desc')
        .execute();
    },
    /** The newest token of each family: where the device was last seen. */
    latestTokensOfFamilies(familyIds: string[]) {
      if (familyIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('refreshTokens')
        .select(['familyId', 'ip', 'userAgent', 'eventId', 'createdAt'])
        .where('familyId', 'in', familyIds)
        .orderBy('createdAt', 'desc')
        .execute();
    },
    /** Revoke one of the subject's families; false when it is not theirs or already ended. */
    async revokeFamilyOfSubject(subjectId: string, familyId: string, reason: string): Promise<boolean> {
      const r = await db
        .updateTable('refreshTokens')
        .set({ revokedAt: new Date().toISOString(), revokeReason: reason })
        .where('familyId', '=', familyId)
        .where('subjectId', '=', subjectId)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    touchLastLogin(userId: string) {
      return db.updateTable('users').set({ lastLoginAt: new Date().toISOString() }).where('id', '=', userId).execute();
    },
    setPassword(userId: string, passwordHash: string) {
      return db
        .updateTable('users')
        .set({ passwordHash, updatedAt: new Date().toISOString() })
        .where('id', '=', userId)
        .execute();
    },
  };
}
export type AccountQueries = ReturnType<typeof accountQueries>;
