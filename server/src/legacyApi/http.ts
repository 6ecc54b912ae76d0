import { isUuid } from '@makeplus/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ZodError, type ZodType, z } from 'zod';
import type { Principal } from '../accounts/principal';
import { AppError } from '../http/errors';

/**
 * The HTTP conventions of the original Django REST Framework server, as the Flutter app reads them:
 * DRF-shaped error bodies, DRF pagination, and the field names of the contract.
 */

/** An error whose body is exactly what the original answered (the app reads these keys). */
export class LegacyError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.detail === 'string' ? body.detail : typeof body.message === 'string' ? body.message : 'error');
  }
}

export const detail = (status: number, text: string, extra: Record<string, unknown> = {}) =>
  new LegacyError(status, { detail: text, ...extra });
export const errorKey = (status: number, text: string, extra: Record<string, unknown> = {}) =>
  new LegacyError(status, { error: text, ...extra });

export const NOT_FOUND = 'Not found.';
export const NO_PERMISSION = 'You do not have permission to perform this action.';
export const NO_CREDENTIALS = 'Authentication credentials were not provided.';

/** DRF's 401 for a bad or expired bearer token. */
export function tokenNotValid(): LegacyError {
  return new LegacyError(401, {
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
    messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
  });
}

/** Map a zod error to DRF's `{field: [messages]}` (or `non_field_errors`), naming fields as the app sent them. */
export function drfValidationBody(error: ZodError, names: Record<string, string> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const raw = issue.path.map(String);
    const key = raw.length ? raw.map((p) => names[p] ?? p).join('.') : 'non_field_errors';
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    out[key] = [...(out[key] ?? []), missing ? 'This field is required.' : issue.message];
  }
  return out;
}

/** Validate a body or query with zod; a failure is DRF's 400 `{field: [messages]}`. */
export function parseDrf<T>(schema: ZodType<T>, value: unknown, names: Record<string, string> = {}): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new LegacyError(400, drfValidationBody(r.error, names));
  return r.data;
}

/** An integer id in a body, as the app sends it: a number or its digits. */
export const legacyIntId = z.union([
  z.int().min(1),
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
]);

/** DRF's 400 for required fields left out, all of them at once. */
export function requireFields(values: Record<string, unknown>): void {
  const missing: Record<string, string[]> = {};
  for (const [field, v] of Object.entries(values))
    if (v === undefined || v === null || v === '') missing[field] = ['This field is required.'];
  if (Object.keys(missing).length) throw new LegacyError(400, missing);
}

/** DRF's 400 for a related id that names nothing. */
export const invalidPk = (field: string, value: unknown) =>
  new LegacyError(400, { [field]: [`Invalid pk "${String(value)}" - object does not exist.`] });

/** Our domain's field names → the contract's, for errors raised by the domain services. */
const DOMAIN_FIELD_NAMES: Record<string, string> = {
  startsAt: 'start_time',
  endsAt: 'end_time',
  roomId: 'room',
  priceMinor: 'price',
  speakerName: 'speaker_name',
  speakerTitle: 'speaker_title',
  youtubeLiveUrl: 'youtube_live_url',
  sessionType: 'session_type',
  isPaid: 'is_paid',
  isActive: 'is_active',
  body: 'description',
  audience: 'target',
  text: 'question_text',
};

/**
 * Run a domain service call whose field errors should name the contract's fields (`names`: our
 * field → the app's), e.g. an event's `endsAt` is the app's `end_date`, a session's `end_time`.
 */
export async function withFieldNames<T>(names: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && err.statusCode === 400 && err.fields?.length) {
      const out: Record<string, string[]> = {};
      for (const f of err.fields) {
        const parts = f.field.split('.').filter((p) => p !== 'body' && p !== 'querystring');
        const key = parts.map((p) => names[p] ?? DOMAIN_FIELD_NAMES[p] ?? p).join('.') || 'non_field_errors';
        out[key] = [...(out[key] ?? []), f.reason];
      }
      throw new LegacyError(400, out);
    }
    throw err;
  }
}

/** Any error → the reply the original would give in its place (DRF shapes); a bug is still a 500. */
export function legacyErrorReply(err: unknown): { status: number; body: Record<string, unknown> } {
  if (err instanceof LegacyError) return { status: err.statusCode, body: err.body };
  if (err instanceof AppError) {
    if (err.statusCode === 400 && err.fields?.length) {
      const out: Record<string, string[]> = {};
      for (const f of err.fields) {
        const last = f.field.split('.').filter((p) => p !== 'body' && p !== 'querystring');
        const key = last.map((p) => DOMAIN_FIELD_NAMES[p] ?? p).join('.') || 'non_field_errors';
        out[key] = [...(out[key] ?? []), f.reason];
      }
      return { status: 400, body: out };
    }
    if (err.statusCode === 401) {
      if (err.code === 'token_not_valid' || err.code === 'token_expired') return legacyErrorReply(tokenNotValid());
      return { status: 401, body: { detail: err.message } };
    }
    if (err.statusCode === 404) return { status: 404, body: { detail: NOT_FOUND } };
    if (err.statusCode === 409) return { status: 400, body: { non_field_errors: [err.message] } };
    return { status: err.statusCode, body: { detail: err.message } };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const out: Record<string, string[]> = {};
    for (const v of err.validation) {
      const key = v.instancePath.split('/').filter(Boolean).join('.') || 'non_field_errors';
      out[key] = [...(out[key] ?? []), v.message ?? 'Invalid value.'];
    }
    return { status: 400, body: out };
  }
  const pgCode = (err as { code?: unknown }).code;
  if (typeof pgCode === 'string' && /^2[23]/.test(pgCode)) {
    return { status: 400, body: { non_field_errors: ['Invalid value.'] } };
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const text = fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? `Unsupported media type in request.` : fe.message;
    return { status: fe.statusCode, body: { detail: fe.code?.includes('JSON') ? `JSON parse error - ${text}` : text } };
  }
  return { status: 500, body: { detail: 'A server error occurred.' } };
}

/** Error handler, JSON body parser (an empty body is `{}`, as DRF reads it) and no-cache headers. */
export function registerLegacyHttp(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body } = legacyErrorReply(err);
    if (status >= 500) request.log.error({ err }, 'mobile API: unhandled error');
    void reply.status(status).send(body);
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (!text.trim()) return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new LegacyError(400, { detail: `JSON parse error - ${(e as Error).message}` }), undefined);
    }
  });
  // The original cached every GET for five minutes by URL alone, so one person's /auth/me/ reached
  // the next caller. Ours never caches: each answer is the caller's.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store, private');
    reply.header('Vary', 'Authorization');
    return payload;
  });
}

/** The caller's principal, or DRF's 401 bodies. Cash register logins have no place in the mobile app. */
export function legacyUser(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  const p = request.principal;
  if (!p) {
    if (request.authProblem) throw tokenNotValid();
    throw detail(401, NO_CREDENTIALS);
  }
  if (p.kind !== 'user') throw detail(403, NO_PERMISSION);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/**
 * DRF's PageNumberPagination object. The app reads only the first page and never follows `next`,
 * so a page holds up to 1000 records (everything the app lists); `?page=N` still pages.
 */
export const PAGE_SIZE = 1000;

export function pageNumber(query: unknown): number {
  const raw = (query as { page?: unknown } | undefined)?.page;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw detail(404, 'Invalid page.');
  return n;
}

export function paginate<T>(request: FastifyRequest, items: readonly T[]) {
  const pageNo = pageNumber(request.query);
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  if (pageNo > pages) throw detail(404, 'Invalid page.');
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  const link = (n: number) => {
    const u = new URL(url);
    if (n === 1) u.searchParams.delete('page');
    else u.searchParams.set('page', String(n));
    return u.toString();
  };
  return {
    count: items.length,
    next: pageNo < pages ? link(pageNo + 1) : null,
    previous: pageNo > 1 ? link(pageNo - 1) : null,
    results: items.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE),
  };
}

/** A path id that must be a UUID: anything else is DRF's 404 (never a 500). */
export function uuidParam(value: unknown): string {
  if (!isUuid(value)) throw detail(404, NOT_FOUND);
  return value.toLowerCase();
}

/** A path id that must be a positive integer (legacy ids). */
export function intParam(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw detail(404, NOT_FOUND);
  return n;
}

export type Reply = FastifyReply;
