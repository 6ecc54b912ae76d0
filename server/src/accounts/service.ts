import type { EventSummary, SessionPayload, UserPublic } from '@makeplus/shared';
import { legacyBadgeId, newId, passwordSchema } from '@makeplus/shared';
import type { Kysely, Selectable } from 'kysely';
import type { BadgeIssuer } from '../badges/issuer';
import type { DB, UsersTable } from '../db/schema';
import { AppError, conflict, forbidden, invalidField, notFound, unauthorized } from '../http/errors';
import { hashPassword, verifyPassword } from './passwords';
import type { AccountQueries } from './queries';
import type { TokenPair, TokenService } from './tokens';

export interface RequestMeta {
  ip: string;
  userAgent: string;
}

export function toUserPublic(u: Selectable<UsersTable>): UserPublic {
  return {
    id: u.id,
    legacyId: u.legacyId,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    phone: u.phone,
    locale: u.locale,
    badgeCode: u.badgeCode ?? '',
    legacyBadgeId: u.legacyBadgeId,
    totpEnabled: u.totpEnabled,
    isPlatformAdmin: u.isPlatformAdmin,
    createdAt: u.createdAt,
  };
}

export type { EventSummary, SessionPayload };

export function accountService(db: Kysely<DB>, queries: AccountQueries, tokens: TokenService, badges: BadgeIssuer) {
  async function eventSummaries(userId: string): Promise<EventSummary[]> {
    const list = await queries.eventsOfUser(userId);
    if (list.length === 0) return [];
    const rows = await db
      .selectFrom('events')
      .select(['id', 'name', 'startsAt', 'endsAt', 'status', 'venue', 'primaryColor', 'logoUrl'])
      .where(
        'id',
        'in',
        list.map((l) => l.eventId),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return list.flatMap(({ eventId, role }) => {
      const e = byId.get(eventId);
      return e ? [{ ...e, role }] : [];
    });
  }

  async function sessionForUser(
    user: Selectable<UsersTable>,
    eventId: string | null,
    meta: RequestMeta,
    familyId?: string,
  ): Promise<SessionPayload> {
    const events = await eventSummaries(user.id);
    let event: EventSummary | null = null;
    if (eventId) {
      event = events.find((e) => e.id === eventId) ?? null;
      if (!event) throw forbidden('You do not have access to this event');
    } else if (events.length === 1) {
      event = events[0] ?? null;
    }
    const pair = await tokens.issue({
      kind: 'user',
      subjectId: user.id,
      userLegacyId: user.legacyId,
      eventId: event?.id ?? null,
      email: user.email,
      name: `${user.firstName} ${user.lastName}`.trim(),
      ...(familyId ? { familyId } : {}),
      ...meta,
    });
    return payload(pair, { user: toUserPublic(user), events, event });
  }

  function payload(
    pair: TokenPair,
    p: {
      user: UserPublic | null;
      events: EventSummary[];
      event: EventSummary | null;
      cashRegister?: SessionPayload['cashRegister'];
    },
  ): SessionPayload {
    return {
      accessToken: pair.access,
      refreshToken: pair.refresh,
      expiresIn: pair.accessExpiresIn,
      subject: p.cashRegister ? 'cash_register' : 'user',
      user: p.user,
      cashRegister: p.cashRegister ?? null,
      events: p.events,
      requiresEventSelection: !p.event && p.events.length > 1,
      event: p.event,
      role: p.event?.role ?? null,
    };
  }

  /** Create a person's account; `passwordHash` null makes a placeholder (invited or registered by staff). */
  async function createUser(
    ex: Kysely<DB> | import('kysely').Transaction<DB>,
    input: {
      email: string;
      firstName: string;
      lastName?: string;
      phone?: string;
      passwordHash: string | null;
      locale?: 'fr' | 'en';
    },
  ): Promise<Selectable<UsersTable>> {
    const id = newId();
    const inserted = await ex
      .insertInto('users')
      .values({
        id,
        email: input.email.toLowerCase(),
        firstName: input.firstName,
        lastName: input.lastName ?? '',
        phone: input.phone ?? '',
        passwordHash: input.passwordHash,
        isActive: true,
        isPlatformAdmin: false,
        locale: input.locale ?? 'fr',
        badgeCode: null,
        // Filled right below, once the integer id is known.
        legacyBadgeId: `PENDING-${id}`,
        totpSecret: null,
        totpEnabled: false,
        totpRecoveryCodes: '[]',
        lastLoginAt: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const badgeCode = await badges.issuePersonBadge(inserted.id, `${inserted.firstName} ${inserted.lastName}`.trim());
    return ex
      .updateTable('users')
      .set({ badgeCode, legacyBadgeId: legacyBadgeId(inserted.legacyId, id.replace(/-/g, '').slice(-8)) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  return {
    createUser,
    eventSummaries,

    async register(
      input: { email: string; password: string; firstName: string; lastName: string; locale: 'fr' | 'en' },
      meta: RequestMeta,
    ): Promise<SessionPayload> {
      const existing = await queries.findUserByEmail(input.email);
      if (existing?.passwordHash) throw conflict('An account already exists with this email');
      const passwordHash = await hashPassword(input.password);
      let user: Selectable<UsersTable>;
      if (existing) {
        // A placeholder (registered by staff or invited) is claimed by its owner.
        user = await db
          .updateTable('users')
          .set({
            passwordHash,
            firstName: input.firstName,
            lastName: input.lastName,
            locale: input.locale,
            updatedAt: new Date().toISOString(),
          })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      } else {
        user = await createUser(db, { ...input, passwordHash });
      }
      return sessionForUser(user, null, meta);
    },

    async login(input: { email: string; password: string }, meta: RequestMeta): Promise<SessionPayload> {
      const user = await queries.findUserByEmail(input.email);
      if (user?.passwordHash) {
        const ok = await verifyPassword(user.passwordHash, input.password);
        if (!ok || !user.isActive) {
          await queries.recordLoginAttempt({
            subjectKind: 'user',
            subjectId: user.id,
            email: input.email,
            ...meta,
            success: false,
            reason: ok ? 'account disabled' : 'wrong password',
          });
          if (ok) throw new AppError(401, 'account_disabled', 'This account is disabled');
          throw unauthorized('Wrong email or password', 'invalid_credentials');
        }
        await queries.recordLoginAttempt({
          subjectKind: 'user',
          subjectId: user.id,
          email: input.email,
          ...meta,
          success: true,
          reason: '',
        });
        await queries.touchLastLogin(user.id);
        return sessionForUser(user, null, meta);
      }
      const register = await queries.findCashRegisterByEmail(input.email);
      if (register) {
        const ok = await verifyPassword(register.passwordHash, input.password);
        if (!ok || !register.isActive) {
          await queries.recordLoginAttempt({
            subjectKind: 'cash_register',
            subjectId: register.id,
            email: input.email,
            ...meta,
            success: false,
            reason: ok ? 'register deactivated' : 'wrong password',
          });
          if (ok) throw new AppError(401, 'account_disabled', 'This cash register is deactivated');
          throw unauthorized('Wrong email or password', 'invalid_credentials');
        }
        await queries.recordLoginAttempt({
          subjectKind: 'cash_register',
          subjectId: register.id,
          email: input.email,
          ...meta,
          success: true,
          reason: '',
        });
        const event = await db
          .selectFrom('events')
          .select(['id', 'name', 'startsAt', 'endsAt', 'status', 'venue', 'primaryColor', 'logoUrl'])
          .where('id', '=', register.eventId)
          .executeTakeFirstOrThrow();
        const summary: EventSummary = { ...event, role: 'cashier' };
        const pair = await tokens.issue({
          kind: 'cash_register',
          subjectId: register.id,
          userLegacyId: 0,
          eventId: register.eventId,
          email: register.email,
          name: register.name,
          ...meta,
        });
        return payload(pair, {
          user: null,
          events: [summary],
          event: summary,
          cashRegister: { id: register.id, name: register.name, email: register.email },
        });
      }
      await verifyPassword(null, input.password);
      await queries.recordLoginAttempt({
        subjectKind: 'user',
        subjectId: null,
        email: input.email,
        ...meta,
        success: false,
        reason: 'unknown email',
      });
      throw unauthorized('Wrong email or password', 'invalid_credentials');
    },

    async refresh(refreshToken: string, meta: RequestMeta) {
      const { pair } = await tokens.rotate(refreshToken, meta);
      return { accessToken: pair.access, refreshToken: pair.refresh, expiresIn: pair.accessExpiresIn };
    },

    logout(refreshToken: string) {
      return tokens.revoke(refreshToken);
    },

    async me(userId: string) {
      const user = await queries.findUserById(userId);
      if (!user?.isActive) throw unauthorized('This account no longer exists');
      return { user: toUserPublic(user), events: await eventSummaries(user.id) };
    },

    async selectEvent(userId: string, eventId: string, meta: RequestMeta): Promise<SessionPayload> {
      const user = await queries.findUserById(userId);
      if (!user?.isActive) throw unauthorized('This account no longer exists');
      const exists = await db
        .selectFrom('events')
        .select('id')
        .where('id', '=', eventId)
        .where('deleted', '=', false)
        .executeTakeFirst();
      if (!exists) throw notFound('Event');
      return sessionForUser(user, eventId, meta);
    },

    async changePassword(userId: string, currentPassword: string, newPassword: string, keepFamily?: string) {
      const user = await queries.findUserById(userId);
      if (!user) throw notFound('User');
      if (!(await verifyPassword(user.passwordHash, currentPassword)))
        throw invalidField('currentPassword', 'incorrect password');
      passwordSchema.parse(newPassword);
      await queries.setPassword(userId, await hashPassword(newPassword));
      // Every other session ends: a changed password must lock out whoever knew the old one.
      await queries.revokeAllOfSubject(userId, 'password changed', keepFamily);
    },
  };
}
export type AccountService = ReturnType<typeof accountService>;
