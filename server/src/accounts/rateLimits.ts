import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../http/errors';

/**
 * Request-rate limits (@fastify/rate-limit, per server instance) on sign-in, the 2FA step, password
 * reset and the cash-register login: one budget per IP address and one per account, per minute.
 * They stop floods; the progressive lockout (lockout.ts, in the database) stops password guessing.
 */
export interface AuthRateLimits {
  perAccountPerMinute: number;
  perIpPerMinute: number;
}

type KeyOf = (request: FastifyRequest) => string;

/** The account a sign-in body names (its email), lower-cased; '' when absent. */
export const bodyEmail: KeyOf = (request) =>
  String((request.body as { email?: unknown } | undefined)?.email ?? '')
    .trim()
    .toLowerCase();

function tooMany(ttlMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
  const after = seconds >= 60 ? `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}` : `${seconds} seconds`;
  return new AppError(
    429,
    'rate_limited',
    `Too many attempts: retry in ${after}. / Trop de tentatives : réessayez dans ${seconds} s.`,
    undefined,
    { retryAfterSeconds: seconds },
  );
}

/**
 * One preHandler (after body validation, so the account is known) that spends one request from the
 * IP's budget and one from the account's. (@fastify/rate-limit runs a single limit hook per
 * request, so both budgets are checked here with its `createRateLimit`.)
 */
export function authRateLimitHooks(
  app: FastifyInstance,
  limits: AuthRateLimits,
  name: string,
  accountOf: KeyOf,
): preHandlerAsyncHookHandler {
  const perIp = app.createRateLimit({
    max: limits.perIpPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `${name}|ip|${req.ip}`,
  });
  const perAccount = app.createRateLimit({
    max: limits.perAccountPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `${name}|account|${accountOf(req) || req.ip}`,
  });
  return async (request, reply) => {
    for (const limit of [perIp, perAccount]) {
      const result = await limit(request);
      if (!result.isAllowed && result.isExceeded) {
        void reply.header('retry-after', String(result.ttlInSeconds));
        throw tooMany(result.ttl);
      }
    }
  };
}
