import {
  CLIENT_VERSION_HEADER,
  type CollectionName,
  collectionNames,
  DEVICE_ID_HEADER,
  isCollectionName,
  pullQuery,
  pushBody,
  SYNC_PROTOCOL_VERSION,
} from '@makeplus/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { requirePrincipal, resolveEventAccess } from '../http/auth';
import { AppError, invalidField } from '../http/errors';
import { errorResponses } from '../http/openapi';
import type { ChangeHub } from './changeHub';
import { LiveFeed, type LiveStream } from './liveFeed';
import { readableDeviceCollections, readScope, type SyncCaller } from './scope';
import { type SyncService, UpgradeRequired } from './service';

const collectionParam = z.object({ collection: z.string().max(64) });
const collectionsQuery = z.object({ collections: z.string().max(2000).optional() });
/** A stream whose client stopped reading is dropped once this much is waiting to be sent. */
const MAX_STREAM_BUFFER = 1024 * 1024;
const HEARTBEAT_MS = 15_000;
/** A stream with changes waiting whose reader does not drain its buffer for this long is dropped. */
const STALL_MS = 15_000;

function parseCollections(list: string | undefined, caller: SyncCaller): CollectionName[] {
  const names = list
    ? list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : readableDeviceCollections(caller.access);
  for (const n of names) if (!isCollectionName(n)) throw invalidField('collections', `unknown collection "${n}"`);
  return names as CollectionName[];
}

export function syncRoutes(db: Kysely<DB>, sync: SyncService, hub: ChangeHub) {
  async function caller(req: FastifyRequest): Promise<SyncCaller> {
    const protocol = req.headers[CLIENT_VERSION_HEADER];
    if (protocol !== undefined && String(protocol) !== String(SYNC_PROTOCOL_VERSION)) throw new UpgradeRequired();
    const principal = requirePrincipal(req);
    if (!principal.eventId) throw new AppError(400, 'event_required', 'Select an event first (no event in the token)');
    const deviceId = String(req.headers[DEVICE_ID_HEADER] ?? '');
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(deviceId))
      throw invalidField(`headers.${DEVICE_ID_HEADER}`, 'a device id of 8 to 64 letters, digits, - or _');
    const access = await resolveEventAccess(db, principal, principal.eventId);
    return { access, deviceId };
  }

  function collectionOf(name: string): CollectionName {
    if (!isCollectionName(name)) throw new AppError(404, 'not_found', `No synced collection "${name}"`);
    return name;
  }

  return async (app: FastifyInstance) => {
    const feed = new LiveFeed(db, hub, app.log);
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['sync'];

    r.get(
      '/info',
      {
        schema: {
          tags,
          summary: 'Protocol version, the event position, the collections this device keeps',
          response: errorResponses,
        },
      },
      async (req) => {
        const c = await caller(req);
        return {
          protocolVersion: SYNC_PROTOCOL_VERSION,
          eventId: c.access.eventId,
          role: c.access.role,
          seq: await sync.currentSeq(c.access.eventId),
          collections: readableDeviceCollections(c.access),
          permissions: [...c.access.permissions],
        };
      },
    );

    r.get(
      '/:collection/pull',
      {
        schema: {
          tags,
          summary: 'Documents after a checkpoint (change-sequence order)',
          params: collectionParam,
          querystring: pullQuery,
          response: errorResponses,
        },
      },
      async (req) => {
        const c = await caller(req);
        return sync.pull(collectionOf(req.params.collection), c, req.query.after, req.query.limit, req.query.upTo);
      },
    );

    r.post(
      '/:collection/push',
      {
        schema: {
          tags,
          summary: 'Rows of {newDocumentState, assumedMasterState}; answers the server state of each conflict',
          params: collectionParam,
          body: pushBody,
          response: errorResponses,
        },
        bodyLimit: 8 * 1024 * 1024,
      },
      async (req) => {
        const c = await caller(req);
        return sync.push(collectionOf(req.params.collection), c, req.body as never, req.ip);
      },
    );

    r.get(
      '/snapshot',
      {
        schema: {
          tags,
          summary: 'First sync: the event position and live-document counts per collection',
          querystring: collectionsQuery,
          response: errorResponses,
        },
      },
      async (req) => {
        const c = await caller(req);
        return sync.snapshot(parseCollections(req.query.collections, c), c);
      },
    );

    r.get(
      '/stream',
      {
        schema: {
          tags,
          summary: 'Server-sent events: changes per collection, or resync',
          querystring: collectionsQuery,
          response: errorResponses,
        },
      },
      async (req, reply) => {
        const c = await caller(req);
        const names = parseCollections(req.query.collections, c);
        for (const n of names) readScope(n, c.access);
        openStream(req, reply, c, names);
      },
    );

    /** Live changes for one device: per-collection cursors, fed by the instance's shared `LiveFeed`. */
    function openStream(req: FastifyRequest, reply: FastifyReply, c: SyncCaller, names: CollectionName[]) {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let closed = false;
      let stall: NodeJS.Timeout | undefined;
      /**
       * A client that stopped reading (half-open connection) must not grow our memory. The feed
       * writes changes only while less than half of MAX_STREAM_BUFFER waits to be sent (a large change
       * set goes out in messages of at most MAX_MESSAGE_BYTES as the reader takes them) and drops a
       * reader that leaves that half undrained for STALL_MS; any write finding more than the limit
       * waiting drops the stream at once. So the buffer never exceeds the limit plus one message.
       */
      const write = (text: string | Buffer): boolean => {
        if (closed) return false;
        if (raw.writableLength > MAX_STREAM_BUFFER) {
          close();
          return false;
        }
        raw.write(text);
        return true;
      };
      const stream: LiveStream = {
        caller: c,
        names,
        cursors: new Map(),
        dirty: new Set(),
        send: (event, data) => write(`event: ${event}\ndata: ${data}\n\n`),
        sendFrame: (frame) => write(frame),
        canWrite: () => !closed && raw.writableLength < MAX_STREAM_BUFFER / 2,
        defer: () => {
          if (closed || stall) return;
          // A reader that does not take the pending half of the buffer within STALL_MS is gone.
          stall = setTimeout(close, STALL_MS);
          raw.once('drain', () => {
            clearTimeout(stall);
            stall = undefined;
            feed.touch(stream);
          });
        },
        get closed() {
          return closed;
        },
      };
      const close = () => {
        if (closed) return;
        closed = true;
        remove();
        clearInterval(heartbeat);
        clearTimeout(expiry);
        clearTimeout(stall);
        raw.destroy();
      };
      const remove = feed.add(stream);
      const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
      // The stream ends when the access token does; the device reconnects with a fresh one.
      const exp = c.access.principal.tokenExp;
      const expiry = setTimeout(close, exp ? Math.max(1000, exp * 1000 - Date.now()) : 15 * 60_000);
      raw.on('close', close);
      raw.on('error', close);

      void sync.currentSeq(c.access.eventId).then(
        (seq) => {
          if (closed) return;
          for (const n of names) stream.cursors.set(n, seq);
          write(`event: hello\ndata: ${JSON.stringify({ seq, collections: names })}\n\n`);
          // Whatever happened while the device was not listening is fetched by a pull.
          stream.send('resync', '{}');
          // Changes noticed before the hello are past the cursor only if they committed after it.
          if (stream.dirty.size) feed.touch(stream);
        },
        (err) => {
          req.log.warn({ err }, 'stream start failed');
          close();
        },
      );
    }
  };
}

/** Any other protocol version in the path: the app is outdated. */
export function outdatedSyncRoutes() {
  return async (app: FastifyInstance) => {
    app.all('/sync/:version/*', { schema: { hide: true } }, async (req) => {
      const version = (req.params as { version: string }).version;
      if (version === `v${SYNC_PROTOCOL_VERSION}`)
        throw new AppError(404, 'not_found', `No route ${req.method} ${req.url.split('?')[0]}`);
      throw new UpgradeRequired();
    });
  };
}

export { collectionNames };
