import { z } from 'zod';

export const errorBody = z
  .object({
    error: z.string().describe('machine-readable code'),
    message: z.string().describe('what went wrong, for people'),
    fields: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  })
  .loose();

/** The error replies every route may give, for the OpenAPI document. */
export const errorResponses = {
  200: z.unknown().describe('OK'),
  201: z.unknown().describe('Created'),
  204: z.void().describe('Done, nothing to return'),
  400: errorBody.describe('Invalid input: each field at fault with its reason'),
  401: errorBody.describe('Not signed in, or the token expired'),
  403: errorBody.describe('Signed in but not allowed'),
  404: errorBody.describe('No such record in this event'),
  409: errorBody.describe('Conflict with the current state (e.g. a stale revision)'),
};

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  q: z.string().trim().max(200).optional().describe('full-text search'),
  sort: z.string().max(60).optional().describe('field to sort by; prefix with - for descending'),
});
export type PageQuery = z.infer<typeof pageQuery>;

export function page<T>(items: T[], total: number, q: PageQuery) {
  return { items, total, page: q.page, pageSize: q.pageSize, pages: Math.max(1, Math.ceil(total / q.pageSize)) };
}
