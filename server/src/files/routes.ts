import {
  eventFileRecord,
  eventFileSlot,
  eventFileSlotKinds,
  eventFileSlots,
  eventRecord,
  sessionCoverRecord,
  uploadPurposeKinds,
} from '@makeplus/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../app';
import { requireAccess } from '../http/auth';
import { AppError, notFound } from '../http/errors';
import { errorBody, errorResponses } from '../http/openapi';
import { authenticate, component, guard, writeContextOf } from '../records/crud';
import { fileOwnerOf } from './service';

const slotParams = z.object({ eventId: z.uuid(), slot: eventFileSlot });
const eventParams = z.object({ eventId: z.uuid() });
const fileParams = z.object({ fileId: z.uuid() });
const uploadQuery = z.object({
  filename: z.string().max(255).optional().describe('the original file name (kept for downloads)'),
});
const eventFile = component('EventFile', () => eventFileRecord);
const uploadResult = component('EventFileUpload', () => z.object({ file: eventFileRecord, event: eventRecord }));
const sessionCover = component('SessionCover', () => sessionCoverRecord);
const uploadErrors = {
  ...errorResponses,
  413: errorBody.describe('The file is larger than UPLOAD_MAX_BYTES'),
  415: errorBody.describe('The file is not of a kind this slot takes (judged by its first bytes)'),
};
const accepted = eventFileSlots.map((s) => `\`${s}\`: ${eventFileSlotKinds[s].join('/')}`).join(', ');

/**
 * An event's files: upload into a slot (organizers), list, clear; and serving a stored file.
 * Uploads are the raw bytes as the request body (any Content-Type: the kind is read from the
 * bytes), streamed to the storage while checked, so a large upload never sits in memory.
 */
export function fileRoutes(services: Services): FastifyPluginAsyncZod {
  const { db, files } = services;
  return async (app) => {
    const tags = ['files'];
    // In this plugin only: every body is taken as a raw stream (the upload's bytes).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    app.put(
      '/events/:eventId/files/:slot',
      {
        schema: {
          tags,
          summary: 'Upload a file into one of the event’s slots (replaces the previous one)',
          description: `The request body is the file itself. Accepted kinds per slot, judged by the file's first bytes (not its name or Content-Type): ${accepted}. Larger than UPLOAD_MAX_BYTES: 413; wrong kind: 415; empty: 400. The event's field (\`logoUrl\`, \`bannerUrl\`, \`programmeUrl\`, \`guideUrl\`) then points at the file and reaches devices by sync.`,
          params: slotParams,
          querystring: uploadQuery,
          consumes: ['application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'],
          response: { ...uploadErrors, 201: uploadResult },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'event.manage'),
      },
      async (req, reply) => {
        const access = requireAccess(req);
        const length = req.headers['content-length'];
        const declaredSize = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
        const body = req.body as AsyncIterable<Uint8Array> | undefined;
        const result = await files.upload(
          fileOwnerOf(access),
          req.params.slot,
          body ?? new Uint8Array(),
          { filename: req.query.filename, declaredSize },
          writeContextOf(access, req.ip),
        );
        return reply.status(201).send(result);
      },
    );

    app.put(
      '/events/:eventId/session-covers',
      {
        schema: {
          tags,
          summary: 'Upload a session’s cover image (a new file each time)',
          description: `The request body is the image itself: ${uploadPurposeKinds.sessionCover.join('/')}, judged by its first bytes (not its name or Content-Type). Larger than UPLOAD_MAX_BYTES: 413; another kind: 415; empty: 400. The answer's \`url\` goes into the session's \`coverImageUrl\` (an edit of the session, synced or through the sessions API).`,
          params: eventParams,
          querystring: uploadQuery,
          consumes: ['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'],
          response: { ...uploadErrors, 201: sessionCover },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'sessions.manage'),
      },
      async (req, reply) => {
        const access = requireAccess(req);
        const length = req.headers['content-length'];
        const declaredSize = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
        const body = req.body as AsyncIterable<Uint8Array> | undefined;
        const file = await files.uploadSessionCover(fileOwnerOf(access), body ?? new Uint8Array(), {
          filename: req.query.filename,
          declaredSize,
        });
        return reply.status(201).send(file);
      },
    );

    app.get(
      '/events/:eventId/files',
      {
        schema: {
          tags,
          summary: 'The event’s stored files',
          params: eventParams,
          response: { ...errorResponses, 200: z.array(eventFile) },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'event.manage'),
      },
      async (req) => files.list(requireAccess(req).eventId),
    );

    app.delete(
      '/events/:eventId/files/:slot',
      {
        schema: {
          tags,
          summary: 'Remove the file of a slot (the event’s field becomes null)',
          params: slotParams,
          response: { ...errorResponses, 200: eventRecord },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'event.manage'),
      },
      async (req) => {
        const access = requireAccess(req);
        return files.clear(fileOwnerOf(access), req.params.slot, writeContextOf(access, req.ip));
      },
    );

    app.get(
      '/files/:fileId',
      {
        schema: {
          tags,
          summary: 'A stored file (its URL is the one in the event’s field)',
          description:
            'No token needed: as the media URLs of the original app, a file URL is a capability (a random id), given only to the people who can read the event. Served with its checksum as ETag and cached for good (a new upload gets a new URL). Files of a deleted event are gone (404).',
          params: fileParams,
          security: [],
          response: { 200: z.unknown().describe('the file'), 304: z.void(), 400: errorBody, 404: errorBody },
        },
      },
      async (req, reply) => {
        const found = await files.open(req.params.fileId);
        if (!found) throw notFound('File');
        const { file, body, size } = found;
        const etag = `"${file.sha256 || file.id}"`;
        reply
          .header('etag', etag)
          .header('cache-control', 'private, max-age=31536000, immutable')
          // Logos and banners may be shown by a client on another origin (CORS_ORIGINS).
          .header('cross-origin-resource-policy', 'cross-origin')
          .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .type(file.contentType);
        if (req.headers['if-none-match'] === etag) {
          body.destroy();
          return reply.status(304).send();
        }
        reply.header('content-length', size);
        return reply.send(body);
      },
    );

    app.addHook('onError', async (_req, _reply, err) => {
      // An upload refused mid-stream: the client may still be sending; close once answered.
      if (err instanceof AppError && (err.statusCode === 413 || err.statusCode === 415))
        _reply.header('connection', 'close');
    });
  };
}
