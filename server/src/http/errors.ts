import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';

export interface FieldError {
  field: string;
  reason: string;
}

/** An error a client can act on: status, machine code, message, and the fields at fault. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: FieldError[]) => new AppError(400, 'bad_request', message, fields);
export const invalidField = (field: string, reason: string) =>
  new AppError(400, 'validation_failed', `${field}: ${reason}`, [{ field, reason }]);
export const unauthorized = (message = 'Authentication required', code = 'unauthorized') =>
  new AppError(401, code, message);
export const forbidden = (message = 'You do not have permission to do this') => new AppError(403, 'forbidden', message);
/**
 * A synced write the caller's role may never make (another event's document, a collection or row
 * outside its write scope). Its own code tells a device to set that write aside (reverted locally,
 * kept in the reconciliation log) rather than retry it; other 403s (no access to the event at all,
 * a deactivated register) keep the device's writes pending until access returns.
 */
export const writeRefused = (message: string, field?: string) =>
  new AppError(403, 'write_refused', message, field ? [{ field, reason: message }] : undefined);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, extra?: Record<string, unknown>) =>
  new AppError(409, 'conflict', message, undefined, extra);

export function zodFieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || (prefix ?? 'body'),
    reason: i.message,
  }));
}

export function validationError(fields: FieldError[]): AppError {
  const first = fields[0];
  return new AppError(400, 'validation_failed', first ? `${first.field}: ${first.reason}` : 'Invalid request', fields);
}

/** Parse with a zod schema or answer 400 naming each bad field. */
export function parseOr400<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } },
  value: unknown,
  prefix?: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(zodFieldErrors(r.error, prefix));
  return r.data;
}

const PG_ERROR_MAP: Record<string, { status: number; code: string; message: string }> = {
  '23505': { status: 409, code: 'duplicate', message: 'A record with these values already exists' },
  '23503': { status: 409, code: 'reference_missing', message: 'A referenced record does not exist' },
  '22P02': { status: 400, code: 'bad_request', message: 'Invalid value' },
  '22001': { status: 400, code: 'bad_request', message: 'Value too long' },
  '22003': { status: 400, code: 'bad_request', message: 'Number out of range' },
  '22007': { status: 400, code: 'bad_request', message: 'Invalid date' },
  '22008': { status: 400, code: 'bad_request', message: 'Date out of range' },
  '23514': { status: 400, code: 'bad_request', message: 'A value breaks a rule of this record' },
  '22021': { status: 400, code: 'bad_request', message: 'Text contains a character that cannot be stored (\\u0000)' },
  '22P05': { status: 400, code: 'bad_request', message: 'Text contains a character that cannot be stored (\\u0000)' },
};

export interface ErrorBody {
  error: string;
  message: string;
  fields?: FieldError[];
  [k: string]: unknown;
}

/** Turn any thrown error into a clear JSON reply; only a real bug gives 500. */
export function toErrorReply(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    return {
      status: err.statusCode,
      body: { error: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...err.extra },
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'body';
    const fields = err.validation.map((v) => ({
      field: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      reason: v.message ?? 'invalid',
    }));
    return {
      status: 400,
      body: { error: 'validation_failed', message: `${fields[0]?.field}: ${fields[0]?.reason}`, fields },
    };
  }
  if (err instanceof ZodError) {
    const e = validationError(zodFieldErrors(err));
    return toErrorReply(e);
  }
  const pgCode = (err as { code?: unknown }).code;
  if (typeof pgCode === 'string' && PG_ERROR_MAP[pgCode]) {
    const m = PG_ERROR_MAP[pgCode];
    return { status: m.status, body: { error: m.code, message: m.message } };
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      body: {
        error: fe.statusCode === 429 ? 'rate_limited' : (fe.code ?? 'bad_request').toLowerCase(),
        message:
          fe.statusCode === 429
            ? `Too many attempts: ${fe.message.replace(/^Rate limit exceeded, /, '')} / Trop de tentatives, réessayez plus tard.`
            : fe.message,
      },
    };
  }
  return { status: 500, body: { error: 'internal', message: 'Unexpected server error' } };
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toErrorReply(err);
    if (status >= 500) request.log.error({ err }, 'unhandled error');
    else request.log.debug({ err: { message: (err as Error).message } }, 'client error');
    // A lockout or rate limit says when to come back, in the body and as the standard header.
    if (typeof body.retryAfterSeconds === 'number') void reply.header('retry-after', String(body.retryAfterSeconds));
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` });
  });
}
