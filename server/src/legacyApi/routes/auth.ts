import { isUuid, newId, profileUpdateInput } from '@makeplus/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { verifyPassword } from '../../accounts/passwords';
import { anonymiseAccount } from '../../accounts/privacy';
import { updateProfile } from '../../accounts/profile';
import { type AuthRateLimits, authRateLimitHooks, bodyEmail } from '../../accounts/rateLimits';
import type { SessionPayload } from '../../accounts/service';
import type { Services } from '../../app';
import { AppError } from '../../http/errors';
import { participantQrData, qrCodePayload } from '../context';
import { detail, errorKey, LegacyError, legacyUser, parseDrf, tokenNotValid } from '../http';
import type { LegacyQueries, UserRow } from '../queries';
import { compactEvent, fullName, legacyRole, userBrief } from '../serializers';

const TEMP_TOKEN_TTL_SECONDS = 600;
/** What the app shows (as a sign-in error) for an account with two-factor authentication. */
const TWO_FACTOR_REQUIRED =
  'Two-factor authentication is enabled on this account. Send the 6-digit code as totp_code, or sign in on the MakePlus web app. / La double authentification est activée sur ce compte : connectez-vous depuis l’application web MakePlus.';
const TWO_FACTOR_ENROL =
  'This event requires two-factor authentication for your role. Turn it on in the MakePlus web app (Account security), then sign in again.';
const requiredString = z.string({ error: 'This field is required.' }).min(1, 'This field may not be blank.');

interface TempTokenClaims {
  sub: string;
  user_id: number;
  token_type: 'event_selection';
  purpose: 'event_selection';
  jti: string;
}

function meta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300) };
}

/**
 * Sign-in as the original app knows it (contract §3): login at /auth/token/, a short-lived
 * selection token when the person has several events, refresh with rotation, the `event_id` claim,
 * /auth/me/. Every step is our accounts service; this file only reshapes.
 */
export function authRoutes(services: Services, q: LegacyQueries, loginRateLimit: AuthRateLimits) {
  async function loginPayload(session: SessionPayload, user: UserRow) {
    const event = session.event ? await q.event(session.event.id) : undefined;
    return {
      refresh: session.refreshToken,
      access: session.accessToken,
      user: userBrief(user),
      role: session.role ? legacyRole(session.role) : 'participant',
      event: event ? compactEvent(event) : null,
      qr_code: await qrCodePayload(services, q, user, event?.id ?? null),
    };
  }

  async function selectInto(userId: string, rawEventId: unknown, request: FastifyRequest) {
    if (rawEventId === undefined || rawEventId === null || rawEventId === '')
      throw detail(400, 'event_id is required.');
    if (!isUuid(rawEventId)) throw detail(404, 'Event not found.');
    let session: SessionPayload;
    try {
      session = await services.accounts.selectEvent(userId, rawEventId.toLowerCase(), meta(request));
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 404) throw detail(404, 'Event not found.');
      if (err instanceof AppError && err.code === 'two_factor_enrolment_required') throw detail(403, TWO_FACTOR_ENROL);
      if (err instanceof AppError && err.statusCode === 403) throw detail(403, 'You do not have access to this event.');
      if (err instanceof AppError && err.statusCode === 401) throw tokenNotValid();
      throw err;
    }
    const user = await q.userById(userId);
    if (!user) throw tokenNotValid();
    return loginPayload(session, user);
  }

  return async (app: FastifyInstance) => {
    app.post(
      '/auth/token',
      { preHandler: authRateLimitHooks(app, loginRateLimit, 'mobile-login', bodyEmail) },
      async (request, reply) => {
        const body = parseDrf(
          z.object({
            email: requiredString.max(254),
            password: requiredString.max(200),
            // Not sent by the original app; a client that can ask for the code sends it here.
            totp_code: z.string().trim().max(20).optional(),
          }),
          request.body,
        );
        let session: SessionPayload;
        const refuse = (text: string, extra: Record<string, unknown> = {}) =>
          new LegacyError(400, { non_field_errors: [text], ...extra });
        try {
          const result = await services.accounts.login(
            { email: body.email, password: body.password, totpCode: body.totp_code },
            meta(request),
          );
          // The original app has no second step: an account with 2FA is told to sign in with its code
          // (or on the web app), and nothing is issued.
          if ('twoFactorRequired' in result) throw refuse(TWO_FACTOR_REQUIRED, { code: 'two_factor_required' });
          session = result;
        } catch (err) {
          if (err instanceof AppError && err.code === 'locked_out') {
            const seconds = Number(err.extra?.retryAfterSeconds ?? 60);
            void reply.header('retry-after', String(seconds));
            throw new LegacyError(429, {
              detail: `Request was throttled. Expected available in ${seconds} seconds.`,
              retry_after: seconds,
            });
          }
          if (err instanceof AppError && err.code === 'invalid_two_factor_code')
            throw refuse('Invalid two-factor authentication code.', { code: 'invalid_two_factor_code' });
          if (err instanceof AppError && err.code === 'account_disabled') throw refuse('User account is disabled');
          // Unknown email and wrong password get the same answer: the sign-in never says which emails exist.
          if (err instanceof AppError && err.statusCode === 401)
            throw refuse('No active account found with the given credentials');
          throw err;
        }
        const user = session.user ? await q.userById(session.user.id) : undefined;
        if (!user) {
          // A cash register's own login: the mobile app has no cash desk.
          await services.accounts.logout(session.refreshToken);
          throw refuse('No active account found with the given credentials');
        }
        if (session.requiresEventSelection) {
          // No tokens until an event is chosen: the pair issued by the service is revoked at once.
          await services.accounts.logout(session.refreshToken);
          const claims: TempTokenClaims = {
            sub: user.id,
            user_id: user.legacyId,
            token_type: 'event_selection',
            purpose: 'event_selection',
            jti: newId().replace(/-/g, ''),
          };
          const events = await q.events(session.events.map((e) => e.id));
          const order = new Map(session.events.map((e, i) => [e.id, i]));
          events.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
          return {
            requires_event_selection: true,
            temp_token: app.jwt.sign(claims, { expiresIn: TEMP_TOKEN_TTL_SECONDS }),
            available_events: events.map(compactEvent),
            user: userBrief(user),
          };
        }
        return loginPayload(session, user);
      },
    );

    app.post('/auth/select-event', async (request) => {
      const header = String(request.headers.authorization ?? '').trim();
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw detail(401, 'Temporary token required.');
      let claims: TempTokenClaims;
      try {
        claims = app.jwt.verify<TempTokenClaims>(match[1]);
        if (claims.token_type !== 'event_selection' || typeof claims.sub !== 'string') throw new Error('wrong kind');
      } catch {
        throw detail(401, 'Invalid or expired selection token. Please log in again.');
      }
      const body = parseDrf(z.object({ event_id: z.unknown().optional() }).loose(), request.body);
      return selectInto(claims.sub, body.event_id, request);
    });

    app.post('/auth/switch-event', async (request) => {
      const principal = legacyUser(request);
      const body = parseDrf(z.object({ event_id: z.unknown().optional() }).loose(), request.body);
      return selectInto(principal.userId, body.event_id, request);
    });

    app.post('/auth/token/refresh', async (request) => {
      const body = parseDrf(z.object({ refresh: requiredString.max(4000) }), request.body);
      try {
        const pair = await services.accounts.refresh(body.refresh, meta(request));
        return { access: pair.accessToken, refresh: pair.refreshToken };
      } catch (err) {
        if (err instanceof AppError && err.statusCode === 401)
          throw new LegacyError(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' });
        throw err;
      }
    });

    app.post('/auth/token/verify', async (request) => {
      const body = parseDrf(z.object({ token: requiredString.max(4000) }), request.body);
      try {
        const claims = app.jwt.verify<{ token_type?: string }>(body.token);
        if (claims.token_type !== 'access' && claims.token_type !== 'refresh') throw new Error('not a JWT of ours');
        return {};
      } catch {
        throw new LegacyError(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' });
      }
    });

    app.post('/auth/logout', async (request) => {
      // The original answered 405 (a GET-only view) and the app ignores errors; we end the session
      // when the refresh token is sent, and answer 200 either way.
      const body = parseDrf(z.object({ refresh: z.string().max(4000).optional() }).loose(), request.body);
      if (body.refresh) await services.accounts.logout(body.refresh).catch(() => undefined);
      return { detail: 'Successfully logged out.' };
    });

    app.get('/auth/my-events', async (request) => {
      const principal = legacyUser(request);
      const summaries = await services.accounts.eventSummaries(principal.userId);
      const events = await q.events(summaries.map((s) => s.id));
      const byId = new Map(events.map((e) => [e.id, e]));
      const list = summaries.flatMap((s) => {
        const e = byId.get(s.id);
        return e ? [{ ...compactEvent(e), role: legacyRole(s.role), is_current: principal.eventId === s.id }] : [];
      });
      return { count: list.length, current_event_id: principal.eventId, events: list };
    });

    app.get('/auth/me', async (request) => {
      const principal = legacyUser(request);
      const user = await q.userById(principal.userId);
      if (!user?.isActive) throw tokenNotValid();
      const eventId = principal.eventId ?? (await q.fallbackEventId(user.id));
      const event = eventId ? await q.event(eventId) : undefined;
      const membership = event
        ? (await q.membershipsOfUser(user.id)).find((m) => m.eventId === event.id && m.isActive)
        : undefined;
      const registrations = await q.registrationsOfUser(user.id);
      const current = registrations.find((r) => r.eventId === event?.id) ?? registrations[0];
      let participant: Record<string, unknown> | null = null;
      if (current) {
        const currentEvent = await q.event(current.eventId);
        const record = await q.participant(current.eventId, { id: current.id });
        participant = {
          id: String(current.legacyId),
          badge_id: current.legacyBadgeId,
          role: 'participant',
          qr_code_data: currentEvent && record ? await participantQrData(q, currentEvent, record) : {},
          registered_events: registrations.map((r) => ({
            id: r.eventId,
            name: r.name,
            status: r.status,
            start_date: r.startsAt,
            end_date: r.endsAt,
          })),
        };
      }
      return {
        ...userBrief(user),
        full_name: fullName(user),
        // As the original: the staff role, null for a plain participant (the app keeps the login's role).
        role: membership ? legacyRole(membership.role) : null,
        // The event the token is for (the original gave the first staff assignment's).
        event: event ? compactEvent(event) : null,
        participant,
        qr_code: await qrCodePayload(services, q, user, event?.id ?? null),
      };
    });

    app.patch('/auth/me', async (request) => {
      const principal = legacyUser(request);
      const body = parseDrf(
        z
          .object({ first_name: z.string().max(10_000).optional(), last_name: z.string().max(10_000).optional() })
          .loose(),
        request.body,
      );
      // Our profile rules (shared/accounts/profile.ts), worded as the original answered.
      const parsed = profileUpdateInput.safeParse({ firstName: body.first_name, lastName: body.last_name });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path[0];
        if (field === 'firstName')
          throw errorKey(
            400,
            issue?.code === 'too_big' ? 'Le prénom est trop long.' : 'Le prénom ne peut pas être vide.',
          );
        if (field === 'lastName') throw errorKey(400, 'Le nom est trop long.');
        // Nothing to change: the original answered the profile as it is.
        const user = await q.userById(principal.userId);
        if (!user?.isActive) throw tokenNotValid();
        return { ...userBrief(user), full_name: fullName(user) };
      }
      const user = await updateProfile(services.db, principal.userId, parsed.data, { via: 'mobile', ip: request.ip });
      return { ...userBrief(user), full_name: fullName(user) };
    });

    app.delete('/auth/me', async (request) => {
      const principal = legacyUser(request);
      const body = parseDrf(z.object({ password: z.string().max(200).optional() }).loose(), request.body);
      const user = await q.userById(principal.userId);
      if (!user || !body.password || !(await verifyPassword(user.passwordHash, body.password)))
        throw errorKey(400, 'Mot de passe incorrect.');
      // Anonymised rather than deleted (the same as our API): registrations, scans and sales stay
      // consistent; names and contact details go, on every device too.
      await anonymiseAccount(services.db, user, { via: 'mobile', ip: request.ip });
      return { message: 'Compte supprimé avec succès.' };
    });

    app.get('/auth/me/export', async (request) => {
      const principal = legacyUser(request);
      const user = await q.userById(principal.userId);
      if (!user) throw tokenNotValid();
      const [memberships, registrations, questions] = await Promise.all([
        q.membershipsOfUser(user.id),
        q.registrationsOfUser(user.id),
        q.questionsOfUser(user.id),
      ]);
      const firstMembership = memberships.find((m) => m.isActive);
      const membershipEvent = firstMembership ? await q.event(firstMembership.eventId) : undefined;
      return {
        exported_at: new Date().toISOString(),
        account: { ...userBrief(user), date_joined: user.createdAt },
        event_assignment: firstMembership
          ? { role: legacyRole(firstMembership.role), event: membershipEvent?.name ?? '' }
          : null,
        participant: registrations[0] ? { badge_id: registrations[0].legacyBadgeId, role: 'participant' } : null,
        registered_events: registrations.map((r) => ({
          id: r.eventId,
          name: r.name,
          start_date: r.startsAt,
          end_date: r.endsAt,
        })),
        questions_asked: questions.map((x) => ({
          session: x.title,
          question_text: x.text,
          asked_at: x.askedAt,
          is_answered: x.isAnswered,
        })),
      };
    });
  };
}
