import type { EventSummary, SessionPayload, TwoFactorChallenge, UserPublic } from '@makeplus/shared';
import { legacyBadgeId, mustEnrolTwoFactor, newId } from '@makeplus/shared';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { BadgeIssuer } from '../badges/issuer';
import type { DB, UsersTable } from '../db/schema';
import { AppError, forbidden, invalidField, notFound, unauthorized } from '../http/errors';
import { recordAccountChange } from './accountAudit';
import { type Clock, systemClock } from './clock';
import { accountKey, ipKey, lockedOut, lockoutStore } from './lockout';
import { isCommonPassword, TOO_COMMON } from './passwordPolicy';
import { hashPassword, verifyPassword } from './passwords';
import type { AccountQueries } from './queries';
import type { TokenPair, TokenService } from './tokens';
import { type SecondFactor, twoFactorService } from './twoFactor';

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

/** Refused before any token for the event is issued: the role there needs 2FA, and it is off. */
export const twoFactorEnrolmentRequired = () =>
  new AppError(
    403,
    'two_factor_enrolment_required',
    'This event requires two-factor authentication for your role: turn it on in Account security, then choose the event again.',
  );

/** People per multi-row statement when accounts are created in bulk (well under PostgreSQL's 65,535 parameters). */
const PLACEHOLDER_CHUNK = 500;

export function accountService(
  db: Kysely<DB>,
  queries: AccountQueries,
  tokens: TokenService,
  badges: BadgeIssuer,
  clock: Clock = systemClock,
) {
  const lockouts = lockoutStore(db, clock);
  const twoFactor = twoFactorService(db, clock);

  async function eventSettings(eventId: string): Promise<unknown> {
    const row = await db.selectFrom('events').select('settings').where('id', '=', eventId).executeTakeFirst();
    return row?.settings ?? {};
  }

  /** Whether the person must turn 2FA on before getting a token for this event. */
  async function blockedByTwoFactorPolicy(user: Selectable<UsersTable>, event: EventSummary): Promise<boolean> {
    if (user.totpEnabled || event.role === 'participant') return false;
    return mustEnrolTwoFactor(await eventSettings(event.id), event.role, user.totpEnabled);
  }
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
      if (await blockedByTwoFactorPolicy(user, event)) throw twoFactorEnrolmentRequired();
    } else if (events.length === 1) {
      event = events[0] ?? null;
      // Signed in without the event: the person can reach Account security and turn 2FA on.
      if (event && (await blockedByTwoFactorPolicy(user, event))) event = null;
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

  /**
   * Placeholder accounts (no password) for many people at once, as a bulk import needs them: one
   * multi-row insert and one multi-row update per `PLACEHOLDER_CHUNK` people instead of two
   * statements each. Each gets the same permanent badge and legacy badge id `createUser` gives.
   * Returns the accounts in the order of `inputs`; emails must be new (the caller looked them up).
   */
  async function createPlaceholderUsers(
    ex: Kysely<DB> | Transaction<DB>,
    inputs: readonly { email: string; firstName: string; lastName?: string; phone?: string }[],
  ): Promise<Selectable<UsersTable>[]> {
    const out: Selectable<UsersTable>[] = [];
    // The signing key once, before the badges below ask for it all at the same time.
    if (inputs.length) await badges.activeKey();
    for (let i = 0; i < inputs.length; i += PLACEHOLDER_CHUNK) {
      const rows = await Promise.all(
        inputs.slice(i, i + PLACEHOLDER_CHUNK).map(async (input) => {
          const id = newId();
          const name = `${input.firstName} ${input.lastName ?? ''}`.trim();
          return {
            id,
            email: input.email.toLowerCase(),
            firstName: input.firstName,
            lastName: input.lastName ?? '',
            phone: input.phone ?? '',
            passwordHash: null,
            isActive: true,
            isPlatformAdmin: false,
            locale: 'fr' as const,
            // The badge signs the account's uuid, known before the insert.
            badgeCode: await badges.issuePersonBadge(id, name),
            // Filled right below, once the integer ids are known.
            legacyBadgeId: `PENDING-${id}`,
            totpSecret: null,
            totpEnabled: false,
            totpRecoveryCodes: '[]',
            lastLoginAt: null,
          };
        }),
      );
      const inserted = await ex.insertInto('users').values(rows).returning(['id', 'legacyId']).execute();
      const fills = inserted.map(
        (u) => sql`(${u.id}::uuid, ${legacyBadgeId(u.legacyId, u.id.replace(/-/g, '').slice(-8))})`,
      );
      const updated = await sql<Selectable<UsersTable>>`
        UPDATE users AS u SET legacy_badge_id = v.legacy_badge_id
        FROM (VALUES ${sql.join(fills)}) AS v(id, legacy_badge_id)
        WHERE u.id = v.id
        RETURNING u.*`.execute(ex);
      const byId = new Map(updated.rows.map((u) => [u.id, u]));
      for (const r of rows) {
        const u = byId.get(r.id);
        if (!u) throw new Error(`placeholder account ${r.id} was not stored`);
        out.push(u);
      }
    }
    return out;
  }

  async function signedIn(
    user: Selectable<UsersTable>,
    method: SecondFactor | null,
    meta: RequestMeta,
  ): Promise<SessionPayload> {
    const reason =
      method === 'totp' ? 'password + code' : method === 'recovery_code' ? 'password + recovery code' : 'password';
    await queries.recordLoginAttempt({
      subjectKind: 'user',
      subjectId: user.id,
      email: user.email,
      ...meta,
      success: true,
      reason,
    });
    await lockouts.succeed(accountKey(user.email));
    await queries.touchLastLogin(user.id);
    return sessionForUser(user, null, meta);
  }

  return {
    createUser,
    createPlaceholderUsers,
    eventSummaries,
    twoFactor,

    /**
     * Create an account, or claim the one waiting for this email (a placeholder made by a staff
     * invitation or a participant import: no password yet), keeping its memberships and badge.
     * Claiming needs the invitation token of the mailed link, bound to that account and address:
     * knowing an email is not enough to take the roles waiting for it. Without it, `onInvitationNeeded`
     * (the route mails the owner a fresh link) runs and the answer is 403 `invitation_required`.
     */
    async register(
      input: {
        email: string;
        password: string;
        firstName: string;
        lastName: string;
        locale: 'fr' | 'en';
        invitation?: string | undefined;
      },
      meta: RequestMeta,
      onInvitationNeeded?: (user: Selectable<UsersTable>) => Promise<void>,
    ): Promise<SessionPayload> {
      const existing = await queries.findUserByEmail(input.email);
      if (existing?.passwordHash) throw accountExists();
      if (existing) {
        const claims = input.invitation ? tokens.verifyInvitation(input.invitation) : null;
        const valid = claims?.sub === existing.id && claims.email === existing.email.toLowerCase();
        if (!valid) {
          await onInvitationNeeded?.(existing);
          throw invitationRequired(!!input.invitation);
        }
        if (!existing.isActive) throw new AppError(403, 'account_disabled', 'This account is disabled');
      }
      assertNotCommon('password', input.password);
      const passwordHash = await hashPassword(input.password);
      const at = new Date().toISOString();
      const user = await db
        .transaction()
        .execute(async (trx) => {
          let user: Selectable<UsersTable> | undefined;
          if (existing) {
            // Only while it has no password: two claims at once cannot both win.
            user = await trx
              .updateTable('users')
              .set({
                passwordHash,
                firstName: input.firstName,
                lastName: input.lastName,
                locale: input.locale,
                updatedAt: at,
              })
              .where('id', '=', existing.id)
              .where('passwordHash', 'is', null)
              .returningAll()
              .executeTakeFirst();
            if (!user) throw accountExists();
          } else {
            user = await createUser(trx, { ...input, passwordHash });
          }
          // The audit keeps that the account got its password, and how; never a hash.
          await recordAccountChange(trx, user, {
            field: 'password',
            before: { hasPassword: false },
            after: { hasPassword: true, via: existing ? 'sign-up, invitation link' : 'sign-up' },
            at,
            ip: meta.ip,
          });
          return user;
        })
        .catch((err: unknown) => {
          // The same email created at the same moment (another sign-up, an invitation): one wins.
          if ((err as { code?: unknown } | null)?.code === '23505') throw accountExists();
          throw err;
        });
      await queries.recordLoginAttempt({
        subjectKind: 'user',
        subjectId: user.id,
        email: user.email,
        ...meta,
        success: true,
        reason: existing ? 'sign-up (invitation)' : 'sign-up',
      });
      return sessionForUser(user, null, meta);
    },

    /**
     * Sign in with email and password. Accounts with 2FA get a challenge (no token) unless a code
     * came with the password; `completeTwoFactor` finishes. Failures count toward the progressive
     * lockout (per account email and per IP), which answers 429 with the wait.
     */
    async login(
      input: { email: string; password: string; totpCode?: string | undefined },
      meta: RequestMeta,
    ): Promise<SessionPayload | TwoFactorChallenge> {
      const keys = [accountKey(input.email), ipKey(meta.ip)];
      const user = await queries.findUserByEmail(input.email);
      const register = user?.passwordHash ? undefined : await queries.findCashRegisterByEmail(input.email);
      const subject = register
        ? { subjectKind: 'cash_register' as const, subjectId: register.id }
        : { subjectKind: 'user' as const, subjectId: user?.passwordHash ? user.id : null };
      const wait = await lockouts.retryAfter(keys);
      if (wait > 0) {
        await queries.recordLoginAttempt({
          ...subject,
          email: input.email,
          ...meta,
          success: false,
          reason: 'locked out',
        });
        throw lockedOut(wait);
      }
      const refuse = async (reason: string, error: AppError): Promise<never> => {
        await queries.recordLoginAttempt({ ...subject, email: input.email, ...meta, success: false, reason });
        const locked = await lockouts.fail(keys);
        throw locked > 0 ? lockedOut(locked) : error;
      };
      const wrongCredentials = () => unauthorized('Wrong email or password', 'invalid_credentials');

      if (user?.passwordHash) {
        const ok = await verifyPassword(user.passwordHash, input.password);
        if (!ok) return refuse('wrong password', wrongCredentials());
        if (!user.isActive) {
          await queries.recordLoginAttempt({
            ...subject,
            email: input.email,
            ...meta,
            success: false,
            reason: 'account disabled',
          });
          throw new AppError(401, 'account_disabled', 'This account is disabled');
        }
        let method: SecondFactor | null = null;
        if (user.totpEnabled) {
          if (!input.totpCode) return { twoFactorRequired: true, ...tokens.signTwoFactorChallenge(user.id) };
          method = await twoFactor.consume(user.id, input.totpCode);
          if (!method) return refuse('wrong two-factor code', wrongTwoFactorCode());
        }
        return signedIn(user, method, meta);
      }
      if (register) {
        const ok = await verifyPassword(register.passwordHash, input.password);
        if (!ok) return refuse('wrong password', wrongCredentials());
        if (!register.isActive) {
          await queries.recordLoginAttempt({
            ...subject,
            email: input.email,
            ...meta,
            success: false,
            reason: 'register deactivated',
          });
          throw new AppError(401, 'account_disabled', 'This cash register is deactivated');
        }
        await queries.recordLoginAttempt({
          ...subject,
          email: input.email,
          ...meta,
          success: true,
          reason: 'password',
        });
        await lockouts.succeed(keys[0] ?? '');
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
      return refuse('unknown email', wrongCredentials());
    },

    /** The second step: the challenge from `login` and a TOTP or recovery code. */
    async completeTwoFactor(challengeToken: string, code: string, meta: RequestMeta): Promise<SessionPayload> {
      const claims = tokens.verifyTwoFactorChallenge(challengeToken);
      const user = await queries.findUserById(claims.sub);
      if (!user?.isActive || !user.totpEnabled)
        throw unauthorized('The sign-in step has expired: enter your email and password again', 'challenge_expired');
      const keys = [accountKey(user.email), ipKey(meta.ip)];
      const attempt = { subjectKind: 'user' as const, subjectId: user.id, email: user.email, ...meta };
      const wait = await lockouts.retryAfter(keys);
      if (wait > 0) {
        await queries.recordLoginAttempt({ ...attempt, success: false, reason: 'locked out' });
        throw lockedOut(wait);
      }
      const method = await twoFactor.consume(user.id, code);
      if (!method) {
        await queries.recordLoginAttempt({ ...attempt, success: false, reason: 'wrong two-factor code' });
        const locked = await lockouts.fail(keys);
        throw locked > 0 ? lockedOut(locked) : wrongTwoFactorCode();
      }
      return signedIn(user, method, meta);
    },

    async refresh(refreshToken: string, meta: RequestMeta) {
      // An event that started requiring 2FA after this sign-in: the session ends at its next refresh.
      const claims = tokens.verifyRefresh(refreshToken);
      if (claims.kind === 'user' && claims.event_id) {
        const user = await queries.findUserById(claims.sub);
        const membership =
          user && !user.totpEnabled ? await queries.findMembership(user.id, claims.event_id) : undefined;
        if (membership && mustEnrolTwoFactor(await eventSettings(claims.event_id), membership.role, false))
          throw twoFactorEnrolmentRequired();
      }
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
      assertNotCommon('newPassword', newPassword);
      const passwordHash = await hashPassword(newPassword);
      const at = new Date().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ passwordHash, updatedAt: at }).where('id', '=', userId).execute();
        // The audit keeps that the password changed, never a hash.
        await recordAccountChange(trx, user, {
          field: 'password',
          before: { changed: false },
          after: { changed: true },
          at,
        });
      });
      // Every other session ends: a changed password must lock out whoever knew the old one.
      await queries.revokeAllOfSubject(userId, 'password changed', keepFamily);
    },
  };
}
export type AccountService = ReturnType<typeof accountService>;

/** French first, as the PWA shows it; the code is what clients act on. */
const accountExists = () =>
  new AppError(
    409,
    'account_exists',
    'Un compte existe déjà avec cette adresse : connectez-vous. / An account already exists with this email: sign in.',
    [{ field: 'email', reason: 'an account already exists' }],
  );

const invitationRequired = (linkWasGiven: boolean) =>
  new AppError(
    403,
    'invitation_required',
    'Un compte vous attend à cette adresse : ouvrez le lien que nous venons de vous envoyer par e-mail. / An account is waiting for this email: open the link we have just mailed to you.',
    [{ field: 'invitation', reason: linkWasGiven ? 'invalid or expired' : 'required' }],
  );

const wrongTwoFactorCode = () =>
  new AppError(401, 'invalid_two_factor_code', 'Wrong or expired two-factor code', [
    { field: 'code', reason: 'wrong or expired code' },
  ]);

function assertNotCommon(field: string, password: string) {
  if (isCommonPassword(password)) throw invalidField(field, TOO_COMMON);
}
