import '@fastify/jwt';
import { existsSync } from 'node:fs';
import path from 'node:path';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { SYNC_BASE_PATH } from '@makeplus/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Clock } from './accounts/clock';
import { privacyRoutes } from './accounts/privacy';
import { profileRoutes } from './accounts/profile';
import { accountQueries } from './accounts/queries';
import type { AuthRateLimits } from './accounts/rateLimits';
import { accountRoutes } from './accounts/routes';
import { securityRoutes } from './accounts/securityRoutes';
import { accountService } from './accounts/service';
import { tokenService } from './accounts/tokens';
import { announcementResource } from './announcements/resource';
import { auditRoutes } from './audit/routes';
import { badgeIssuer } from './badges/issuer';
import { payableItemResource } from './cashDesk/items';
import { cashRegisterResource } from './cashDesk/registers';
import { cashDeskStatisticsRoutes } from './cashDesk/stats';
import type { AppConfig } from './config';
import { type Database, ping } from './db/database';
import { deviceRoutes } from './devices/routes';
import { presenceRoutes } from './doorControl/presence';
import { eventRoutes } from './events/routes';
import { eventService } from './events/service';
import { exportRoutes } from './exports/routes';
import { openFileStorage } from './files/openStorage';
import { fileRoutes } from './files/routes';
import { fileService } from './files/service';
import { registerAuth } from './http/auth';
import { registerErrorHandler } from './http/errors';
import { collectRoutes } from './http/routeTable';
import { leadRoutes } from './leads/routes';
import { mobileApi } from './legacyApi';
import type { Mailer } from './mail/mailer';
import { createMailer } from './mail/smtp';
import { participantImportRoutes } from './participants/importRoute';
import { participantResource } from './participants/resource';
import { permissionRoutes } from './permissions/routes';
import { reconciliationFlagResource } from './reconciliation/resource';
import { resourceRoutes } from './records/crud';
import { roomResource, sessionResource } from './rooms/resources';
import { membershipResource } from './staff/resource';
import { roomAssignmentResource } from './staff/roomAssignments';
import { statisticsRoutes } from './statistics/routes';
import { ChangeHub } from './sync/changeHub';
import { outdatedSyncRoutes, syncRoutes } from './sync/routes';
import { syncService } from './sync/service';

export interface AppDeps {
  config: AppConfig;
  database: Database;
  /** Where mail goes (invitations, signup codes); the recording mailer when not given. */
  mailer?: Mailer;
  /** The time for lockouts and 2FA codes; tests step it instead of sleeping. */
  clock?: Clock;
}

/** The services of one app instance, for routes, the demo seed, the CLI and tests. */
export type Services = Awaited<ReturnType<typeof buildServices>>;

export async function buildServices(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps.database;
  const badges = badgeIssuer(db);
  await badges.activeKey();
  const queries = accountQueries(db);
  const tokens = tokenService(app, deps.config, queries);
  const accounts = accountService(db, queries, tokens, badges, deps.clock);
  const events = eventService(db, badges);
  const sync = syncService(db);
  const files = fileService(db, openFileStorage(deps.config), { maxBytes: deps.config.uploadMaxBytes });
  const changeHub = new ChangeHub();
  await changeHub.start(deps.database);
  return { db, badges, accounts, tokens, events, sync, files, changeHub };
}

/** Build a server instance. Several can share one database (see docs/deployment.md). */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; services: Services }> {
  const { config, database } = deps;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: true,
    routerOptions: { ignoreTrailingSlash: true },
    // Generous: the mobile app's and devices' requests can be slow on venue networks.
    requestTimeout: 60_000,
  }).withTypeProvider<ZodTypeProvider>();
  collectRoutes(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        frameSrc: ["'self'", 'https://www.youtube.com', 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cors, {
    origin: config.corsOrigins === '*' ? true : config.corsOrigins,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  });
  await app.register(jwt, { secret: config.jwtSecret });
  await app.register(rateLimit, { global: false });
  registerAuth(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'MakePlus API',
        version: '1.0.0',
        description: 'Organizer REST API, sync protocol and the original mobile app API.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas registered with an id (`.meta({ id })`) become #/components/schemas entries.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const services = await buildServices(app, deps);
  const authLimits: AuthRateLimits = {
    perAccountPerMinute: config.rateLimitLoginPerMinute,
    perIpPerMinute: config.rateLimitLoginPerIpPerMinute,
  };
  const mailer = deps.mailer ?? createMailer(config, app.log);
  // Unreachable files are swept now and then (a first pass a minute after start), off the request path.
  const fileGcTimers: NodeJS.Timeout[] = [];
  if (config.fileGc.intervalHours > 0) {
    const sweep = () =>
      void services.files
        .collectUnused({ graceMs: config.fileGc.graceDays * 86_400_000 })
        .then((n) => n > 0 && app.log.info({ files: n }, 'unreachable files deleted'))
        .catch((err: unknown) => app.log.warn({ err }, 'file sweep failed'));
    fileGcTimers.push(setTimeout(sweep, 60_000).unref());
    fileGcTimers.push(setInterval(sweep, config.fileGc.intervalHours * 3_600_000).unref());
  }
  app.addHook('onClose', async () => {
    for (const timer of fileGcTimers) clearTimeout(timer);
    await services.changeHub.close();
  });

  // Graceful shutdown: a reply sent while closing also closes its keep-alive connection; otherwise
  // close() waits for the client's keep-alive timeout (and main.ts's forced exit ends it first).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.get('/health', { schema: { hide: true } }, async (_req, reply) => {
    const dbOk = await ping(database.db);
    return reply.status(dbOk ? 200 : 503).send({ status: dbOk ? 'ok' : 'degraded', database: database.kind, db: dbOk });
  });

  await app.register(
    async (api) => {
      await api.register(
        accountRoutes(services.accounts, authLimits, {
          mailer,
          publicUrl: config.publicUrl,
          tokens: services.tokens,
        }),
      );
      await api.register(
        securityRoutes({
          db: services.db,
          accounts: services.accounts,
          queries: accountQueries(services.db),
          limits: authLimits,
          clock: deps.clock ?? Date.now,
        }),
      );
      await api.register(eventRoutes(services));
      await api.register(fileRoutes(services));
      await api.register(auditRoutes(services.db));
      await api.register(permissionRoutes(services.db));
      await api.register(presenceRoutes(services.db));
      await api.register(resourceRoutes(services.db, reconciliationFlagResource()));
      for (const resource of [
        roomResource(),
        sessionResource(),
        participantResource(services),
        membershipResource(services, {
          db: services.db,
          mailer,
          log: app.log,
          publicUrl: config.publicUrl,
          tokens: services.tokens,
        }),
        roomAssignmentResource(),
        announcementResource(),
        cashRegisterResource(),
        payableItemResource(),
      ]) {
        await api.register(resourceRoutes(services.db, resource));
      }
      await api.register(cashDeskStatisticsRoutes(services.db));
      await api.register(deviceRoutes(services.db));
      await api.register(participantImportRoutes(services.db, services));
      await api.register(statisticsRoutes(services.db, services.changeHub));
      await api.register(leadRoutes(services.db));
      await api.register(exportRoutes(services.db));
      await api.register(privacyRoutes(services.db));
      await api.register(profileRoutes(services.db));
    },
    { prefix: '/api/v1' },
  );

  // The original Flutter app's API (/api/auth/token/, /api/sessions/, …), beside /api/v1.
  await app.register(mobileApi(services, { loginRateLimit: authLimits, mailer, publicUrl: config.publicUrl }));

  await app.register(syncRoutes(services.db, services.sync, services.changeHub), { prefix: SYNC_BASE_PATH });
  await app.register(outdatedSyncRoutes());

  await serveClient(app, config);
  return { app, services };
}

/** One process on one port: the server also serves the built PWA, with an SPA fallback. */
async function serveClient(app: FastifyInstance, config: AppConfig) {
  const dist = config.clientDist ?? path.resolve(import.meta.dirname, '../../client/dist');
  if (!existsSync(path.join(dist, 'index.html'))) return;
  await app.register(fastifyStatic, {
    root: dist,
    wildcard: false,
    setHeaders(res, filePath) {
      // The service worker and the HTML shell must be revalidated so updates reach devices.
      if (/(sw\.js|index\.html|manifest\.webmanifest)$/.test(filePath)) res.setHeader('Cache-Control', 'no-cache');
      else if (filePath.includes(`${path.sep}assets${path.sep}`))
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url.startsWith('/sync/') || path.extname(url)) {
      return reply.status(404).send({ error: 'not_found', message: `No route GET ${url}` });
    }
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}
