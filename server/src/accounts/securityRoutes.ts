import {
  type DeviceSession,
  type EventRecord,
  passwordAndCodeInput,
  passwordInput,
  twoFactorCodeInput,
  twoFactorLoginInput,
  twoFactorPolicy,
  twoFactorRequiredRoles,
} from '@makeplus/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { requireAccess, requireUser } from '../http/auth';
import { notFound } from '../http/errors';
import { errorResponses } from '../http/openapi';
import { authenticate, guard, writeContextOf } from '../records/crud';
import { findRecord, updateRecord } from '../sync/recordStore';
import type { Clock } from './clock';
import type { AccountQueries } from './queries';
import { type AuthRateLimits, authRateLimitHooks } from './rateLimits';
import type { AccountService } from './service';
import { accessTokenFamily } from './tokens';

const meta = (req: FastifyRequest) => ({
  ip: req.ip,
  userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300),
});
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
const eventParams = z.object({ eventId: z.uuid() });

/**
 * Account security (issue #9): the 2FA sign-in step, 2FA enrolment and removal, the account's
 * sign-in history and signed-in devices, and per event: the staff's sign-in history and the 2FA
 * policy. Logic lives in service.ts / twoFactor.ts / lockout.ts; SQL in queries.ts.
 */
export function securityRoutes(deps: {
  db: Kysely<DB>;
  accounts: AccountService;
  queries: AccountQueries;
  limits: AuthRateLimits;
  clock: Clock;
}): FastifyPluginAsyncZod {
  const { db, accounts, queries, limits, clock } = deps;
  const twoFactor = accounts.twoFactor;
  return async (app) => {
    const tags = ['account security'];

    const familyOf = (req: FastifyRequest) => accessTokenFamily(app, req);
    const challengeSubject = (req: FastifyRequest) => {
      const token = String((req.body as { challengeToken?: unknown } | undefined)?.challengeToken ?? '');
      try {
        return app.jwt.decode<{ sub?: string }>(token)?.sub ?? '';
      } catch {
        return '';
      }
    };
    const accountLimits = (name: string) =>
      authRateLimitHooks(app, limits, name, (req) => {
        try {
          return requireUser(req).userId;
        } catch {
          return '';
        }
      });

    app.post(
      '/auth/login/2fa',
      {
        schema: {
          tags,
          summary: 'Second sign-in step: the challenge from /auth/login and a TOTP or recovery code',
          security: [],
          body: twoFactorLoginInput,
          response: errorResponses,
        },
        preHandler: authRateLimitHooks(app, limits, 'login-2fa', challengeSubject),
      },
      async (req) => accounts.completeTwoFactor(req.body.challengeToken, req.body.code, meta(req)),
    );

    app.get(
      '/auth/2fa',
      {
        schema: { tags, summary: 'Whether two-factor authentication is on', response: errorResponses },
        onRequest: authenticate,
      },
      async (req) => twoFactor.status(requireUser(req).userId),
    );

    app.post(
      '/auth/2fa/setup',
      {
        schema: {
          tags,
          summary: 'Start 2FA enrolment: a new secret and its otpauth:// URI (for the QR code)',
          body: passwordInput,
          response: errorResponses,
        },
        onRequest: authenticate,
        preHandler: accountLimits('2fa-setup'),
      },
      async (req) => twoFactor.setup(requireUser(req).userId, req.body.password),
    );

    app.post(
      '/auth/2fa/confirm',
      {
        schema: {
          tags,
          summary: 'Finish enrolment with a code: 2FA on, ten recovery codes shown once, other devices signed out',
          body: twoFactorCodeInput,
          response: errorResponses,
        },
        onRequest: authenticate,
        preHandler: accountLimits('2fa-confirm'),
      },
      async (req) => {
        const user = requireUser(req);
        const result = await twoFactor.confirm(user.userId, req.body.code);
        // A session opened with the password alone elsewhere ends: from now on it takes a code.
        await queries.revokeAllOfSubject(user.userId, 'two-factor authentication turned on', familyOf(req));
        return result;
      },
    );

    app.post(
      '/auth/2fa/disable',
      {
        schema: {
          tags,
          summary: 'Turn 2FA off (password and a current or recovery code)',
          body: passwordAndCodeInput,
          response: errorResponses,
        },
        onRequest: authenticate,
        preHandler: accountLimits('2fa-disable'),
      },
      async (req, reply) => {
        await twoFactor.disable(requireUser(req).userId, req.body.password, req.body.code);
        return reply.status(204).send();
      },
    );

    app.post(
      '/auth/2fa/recovery-codes',
      {
        schema: {
          tags,
          summary: 'Ten new recovery codes (password and a current code); the old ones stop working',
          body: passwordAndCodeInput,
          response: errorResponses,
        },
        onRequest: authenticate,
        preHandler: accountLimits('2fa-recovery'),
      },
      async (req) => twoFactor.regenerateRecoveryCodes(requireUser(req).userId, req.body.password, req.body.code),
    );

    app.get(
      '/auth/login-history',
      {
        schema: {
          tags,
          summary: 'My sign-in attempts, newest first',
          querystring: historyQuery,
          response: errorResponses,
        },
        onRequest: authenticate,
      },
      async (req) => {
        const items = await queries.loginHistoryOfUser(requireUser(req).userId, req.query.limit);
        return { items };
      },
    );

    app.get(
      '/auth/sessions',
      {
        schema: { tags, summary: 'My signed-in devices (one per sign-in), this one marked', response: errorResponses },
        onRequest: authenticate,
      },
      async (req) => {
        const user = requireUser(req);
        const families = await queries.sessionsOfSubject(user.userId, new Date(clock()).toISOString());
        const latest = await queries.latestTokensOfFamilies(families.map((f) => f.familyId));
        const current = familyOf(req);
        const items: DeviceSession[] = families.map((f) => {
          const last = latest.find((l) => l.familyId === f.familyId);
          return {
            id: f.familyId,
            signedInAt: String(f.signedInAt),
            lastUsedAt: String(f.lastUsedAt),
            expiresAt: String(f.expiresAt),
            ip: last?.ip ?? '',
            userAgent: last?.userAgent ?? '',
            eventId: last?.eventId ?? null,
            current: f.familyId === current,
          };
        });
        return { items };
      },
    );

    app.delete(
      '/auth/sessions/:sessionId',
      {
        schema: {
          tags,
          summary: 'Sign a device out (its refresh token stops working at once)',
          params: z.object({ sessionId: z.uuid() }),
          response: errorResponses,
        },
        onRequest: authenticate,
      },
      async (req, reply) => {
        const user = requireUser(req);
        const done = await queries.revokeFamilyOfSubject(
          user.userId,
          req.params.sessionId,
          'signed out from another device',
        );
        if (!done) throw notFound('Session');
        return reply.status(204).send();
      },
    );

    app.get(
      '/events/:eventId/staff-logins',
      {
        schema: {
          tags,
          summary: "Sign-in attempts of this event's staff and cash registers (organizers)",
          params: eventParams,
          querystring: historyQuery.extend({ subjectId: z.uuid().optional() }),
          response: errorResponses,
        },
        onRequest: authenticate,
        preValidation: guard(db, 'staff.manage'),
      },
      async (req) => {
        const access = requireAccess(req);
        const items = await queries.loginHistoryOfEventStaff(access.eventId, req.query.limit, req.query.subjectId);
        return { items };
      },
    );

    app.get(
      '/events/:eventId/two-factor-policy',
      {
        schema: {
          tags,
          summary: 'Which staff roles must have 2FA on to enter this event',
          params: eventParams,
          response: errorResponses,
        },
        onRequest: authenticate,
        preValidation: guard(db, 'staff.manage'),
      },
      async (req) => {
        const access = requireAccess(req);
        const event = await findRecord<EventRecord>(db, 'events', access.eventId, access.eventId);
        if (!event) throw notFound('Event');
        return { requiredRoles: twoFactorRequiredRoles(event.settings) };
      },
    );

    app.put(
      '/events/:eventId/two-factor-policy',
      {
        schema: {
          tags,
          summary: 'Require 2FA for staff roles of this event (applies at their next sign-in or refresh)',
          params: eventParams,
          body: twoFactorPolicy,
          response: errorResponses,
        },
        onRequest: authenticate,
        preValidation: guard(db, 'event.manage'),
      },
      async (req) => {
        const access = requireAccess(req);
        const saved = await db.transaction().execute(async (trx) => {
          const event = await findRecord<EventRecord>(trx, 'events', access.eventId, access.eventId, {
            forUpdate: true,
          });
          if (!event) throw notFound('Event');
          const settings = {
            ...(event.settings as Record<string, unknown>),
            twoFactorRequiredRoles: req.body.requiredRoles,
          };
          return updateRecord<EventRecord>(
            trx,
            'events',
            access.eventId,
            access.eventId,
            { settings },
            writeContextOf(access, req.ip),
          );
        });
        return { requiredRoles: twoFactorRequiredRoles(saved.settings) };
      },
    );
  };
}
