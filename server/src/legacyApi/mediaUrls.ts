import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The contract's media fields (§2.2): Django gave absolute URLs, and the app loads them as they are. */
const MEDIA_FIELDS = new Set([
  'logo',
  'banner',
  'programme_file',
  'guide_file',
  'cover_image_url',
  'speaker_photo_url',
]);

/**
 * Our records keep uploaded files as server-relative paths (`/api/v1/files/<id>`), valid behind any
 * host name; the app cannot resolve those, so the adapter's edge makes them absolute from the
 * request's own origin (`PUBLIC_URL` when set, for servers behind a proxy that rewrites the host).
 */
export function registerAbsoluteMediaUrls(api: FastifyInstance, publicUrl: string | undefined) {
  api.addHook('preSerialization', async (request: FastifyRequest, _reply, payload: unknown) => {
    const origin = (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
    return absolutize(payload, origin);
  });
}

function absolutize(value: unknown, origin: string): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = absolutize(value[i], origin);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    if (MEDIA_FIELDS.has(key) && typeof v === 'string' && v.startsWith('/')) record[key] = origin + v;
    else if (v !== null && typeof v === 'object') record[key] = absolutize(v, origin);
  }
  return record;
}
