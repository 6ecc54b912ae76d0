import { changePasswordInput, loginInput, refreshInput, registerInput, selectEventInput } from '@makeplus/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireUser } from '../http/auth';
import { errorResponses } from '../http/openapi';
import type { Mailer } from '../mail/mailer';
import { claimLinkMessage } from '../staff/invitation';
import { type AuthRateLimits, authRateLimitHooks, bodyEmail } from './rateLimits';
import type { AccountService } from './service';
import { accessTokenFamily, type TokenService } from './tokens';

const meta = (req: { ip: string; headers: Record<string, unknown> }) => ({
  ip: req.ip,
  userAgent: String(req.headers['user-agent'] ?? ''),
});

/** One claim-link mail per address per this many milliseconds, whoever asks (per server instance). */
export const CLAIM_LINK_COOLDOWN_MS = 10 * 60_000;

export interface ClaimLinkDeps {
  mailer: Mailer;
  publicUrl: string | undefined;
  tokens: Pick<TokenService, 'signInvitation'>;
  /** Milliseconds now (tests move it). */
  now?: () => number;
}

export function accountRoutes(
  accounts: AccountService,
  limits: AuthRateLimits,
  claimLinks?: ClaimLinkDeps,
): FastifyPluginAsyncZod {
  const lastClaimLink = new Map<string, number>();
  /** Mail the owner of a waiting account a fresh link to claim it (not more than once per cooldown). */
  async function mailClaimLink(user: { id: string; email: string }) {
    if (!claimLinks) return;
    const now = (claimLinks.now ?? Date.now)();
    const email = user.email.toLowerCase();
    if (now - (lastClaimLink.get(email) ?? Number.NEGATIVE_INFINITY) < CLAIM_LINK_COOLDOWN_MS) return;
    for (const [k, at] of lastClaimLink) if (now - at >= CLAIM_LINK_COOLDOWN_MS) lastClaimLink.delete(k);
    lastClaimLink.set(email, now);
    await claimLinks.mailer.send(
      claimLinkMessage(email, claimLinks.tokens.signInvitation(user.id, email), claimLinks.publicUrl),
    );
  }

  return async (app) => {
    const tags = ['accounts'];
    app.post(
      '/auth/register',
      {
        schema: {
          tags,
          summary: 'Create an account (or claim the one an invitation made)',
          description:
            'An email with no account: a new account. An email whose account is waiting (made by a staff invitation or a participant import, no password yet): claimed — memberships and badge kept — only with `invitation`, the token of the mailed link; without it (or with an invalid one) 403 `invitation_required` and a fresh link is mailed to the address (once per 10 minutes). An email with a real account: 409 `account_exists`. Same per-IP and per-account budgets as sign-in (429).',
          body: registerInput,
          response: errorResponses,
        },
        preHandler: authRateLimitHooks(app, limits, 'register', bodyEmail),
      },
      async (req, reply) => {
        const session = await accounts.register(req.body, meta(req), mailClaimLink);
        return reply.status(201).send(session);
      },
    );

    app.post(
      '/auth/login',
      {
        schema: {
          tags,
          summary: 'Sign in (person or cash register)',
          description:
            'A session, or — for an account with two-factor authentication and no `totpCode` in the body — `{ twoFactorRequired: true, challengeToken, expiresIn }` to send with the code to /auth/login/2fa. Repeated failures lock the account (and the IP address) progressively: 429 `locked_out` with `retryAfterSeconds` and `Retry-After`.',
          body: loginInput,
          response: errorResponses,
        },
        preHandler: authRateLimitHooks(app, limits, 'login', bodyEmail),
      },
      async (req) => accounts.login(req.body, meta(req)),
    );

    app.post(
      '/auth/refresh',
      { schema: { tags, summary: 'Rotate a refresh token', body: refreshInput, response: errorResponses } },
      async (req) => accounts.refresh(req.body.refreshToken, meta(req)),
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags,
          summary: 'Revoke a refresh token (and its family)',
          body: refreshInput,
          response: errorResponses,
        },
      },
      async (req, reply) => {
        await accounts.logout(req.body.refreshToken);
        return reply.status(204).send();
      },
    );

    app.get(
      '/auth/me',
      { schema: { tags, summary: 'The signed-in account and its events', response: errorResponses } },
      async (req) => {
        const principal = requirePrincipal(req);
        if (principal.kind === 'cash_register')
          return { subject: 'cash_register', cashRegisterId: principal.cashRegisterId, eventId: principal.eventId };
        return { subject: 'user', currentEventId: principal.eventId, ...(await accounts.me(principal.userId)) };
      },
    );

    app.get(
      '/auth/my-events',
      { schema: { tags, summary: 'Events the account can enter, with its role', response: errorResponses } },
      async (req) => {
        const user = requireUser(req);
        const events = await accounts.eventSummaries(user.userId);
        return { count: events.length, currentEventId: user.eventId, events };
      },
    );

    app.post(
      '/auth/select-event',
      { schema: { tags, summary: 'New tokens bound to one event', body: selectEventInput, response: errorResponses } },
      async (req) => {
        const user = requireUser(req);
        return accounts.selectEvent(user.userId, req.body.eventId, meta(req));
      },
    );

    app.post(
      '/auth/change-password',
      {
        schema: {
          tags,
          summary: 'Change password (ends every other session)',
          body: changePasswordInput.extend({ refreshToken: z.string().optional() }),
          response: errorResponses,
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        // This device stays signed in (its token family), every other one is signed out.
        await accounts.changePassword(
          user.userId,
          req.body.currentPassword,
          req.body.newPassword,
          accessTokenFamily(app, req),
        );
        return reply.status(204).send();
      },
    );
  };
}
