import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { requireAccess } from '../http/auth';
import { errorResponses } from '../http/openapi';
import { authenticate, component, guard, rejectNulCharacters, writeContextOf } from '../records/crud';
import { deviceService } from './service';

const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only (at most 64)');
/** A raw 32-byte Ed25519 public key in base64url (43 characters, no padding). */
const publicKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte Ed25519 public key in base64url');

const enrollBody = z.object({
  deviceId: deviceIdSchema,
  name: z.string().trim().min(1).max(100),
  publicKey: publicKeySchema,
});
const updateBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    revoked: z.literal(true).optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((b) => b.name !== undefined || b.revoked !== undefined, { message: 'send name or revoked' });

const params = z.object({ eventId: z.uuid() });
const deviceParams = z.object({ eventId: z.uuid(), deviceId: deviceIdSchema });

export function deviceRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  const service = deviceService(db);
  const device = component('Device', () =>
    z.object({
      deviceId: z.string(),
      name: z.string(),
      keyId: z.string(),
      publicKey: z.string(),
      subjectKind: z.enum(['user', 'cash_register']),
      subjectId: z.string(),
      enrolledAt: z.string(),
      revoked: z.boolean(),
      revokedAt: z.string().nullable(),
    }),
  );
  const tags = ['devices'];
  const base = '/events/:eventId/devices';
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      base,
      {
        schema: {
          tags,
          summary: 'List the devices enrolled in the event',
          params,
          response: { ...errorResponses, 200: z.array(device) },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'event.manage'),
      },
      async (req) => service.list(req.params.eventId),
    );
    r.post(
      base,
      {
        schema: {
          tags,
          summary: 'Enroll a device key (cash desk tablet) so doors accept the badges it signs offline',
          description:
            'Idempotent per deviceId: the same key again is a 200 with the enrolled device; a new device is a 201. The key is published in the event trust list (badgeTrust, keyOwner device).',
          params,
          body: enrollBody,
          response: { ...errorResponses, 200: device, 201: device },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'sales.create'),
        preHandler: rejectNulCharacters,
      },
      async (req, reply) => {
        const access = requireAccess(req);
        const out = await service.enroll(access, writeContextOf(access, req.ip), req.body);
        return reply.status(out.created ? 201 : 200).send(out.device);
      },
    );
    r.patch(
      `${base}/:deviceId`,
      {
        schema: {
          tags,
          summary: 'Rename a device or revoke its key (doors then refuse the badges it signed)',
          params: deviceParams,
          body: updateBody,
          response: { ...errorResponses, 200: device },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'event.manage'),
        preHandler: rejectNulCharacters,
      },
      async (req) => {
        const access = requireAccess(req);
        return service.update(access, writeContextOf(access, req.ip), req.params.deviceId, req.body);
      },
    );
  };
}
