import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthRateLimits } from '../accounts/rateLimits';
import type { Services } from '../app';
import { type Mailer, RecordingMailer } from '../mail/mailer';
import { registerLegacyHttp } from './http';
import { registerAbsoluteMediaUrls } from './mediaUrls';
import { legacyQueries } from './queries';
import { announcementRoutes } from './routes/announcements';
import { authRoutes } from './routes/auth';
import { exhibitorRoutes } from './routes/exhibitors';
import { peopleRoutes } from './routes/people';
import { programmeRoutes } from './routes/programme';
import { scanRoutes } from './routes/scans';
import { signupRoutes } from './routes/signup';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where verification codes are sent (the recording mailer in development and tests). */
    mailer: Mailer;
  }
}

export interface MobileApiOptions {
  /** Per-IP and per-account budgets of sign-in and password reset (accounts/rateLimits.ts). */
  loginRateLimit: AuthRateLimits;
  mailer?: Mailer;
  /** The server's public origin, for absolute media URLs (config PUBLIC_URL). */
  publicUrl?: string;
}

/**
 * The original MakePlus Flutter app's API (docs/mobile-api.md), served under /api next to our own
 * /api/v1: an adapter over our accounts, events, door-control, leads and cash-desk data. It keeps no
 * rules and no tables of its own (but for emailed signup codes): every write goes through the
 * record store and so syncs to the devices.
 */
export function mobileApi(services: Services, options: MobileApiOptions) {
  return fp(async (root: FastifyInstance) => {
    const mailer = options.mailer ?? new RecordingMailer(root.log);
    root.decorate('mailer', mailer);
    await root.register(
      async (api) => {
        registerLegacyHttp(api);
        registerAbsoluteMediaUrls(api, options.publicUrl);
        const q = legacyQueries(services.db);
        await api.register(authRoutes(services, q, options.loginRateLimit));
        await api.register(signupRoutes(services, q, mailer, options.loginRateLimit));
        await api.register(programmeRoutes(services, q));
        await api.register(
          peopleRoutes(services, q, {
            db: services.db,
            mailer,
            log: root.log,
            publicUrl: options.publicUrl,
            tokens: services.tokens,
          }),
        );
        await api.register(scanRoutes(services, q));
        await api.register(exhibitorRoutes(services, q));
        await api.register(announcementRoutes(services, q));
      },
      { prefix: '/api' },
    );
  });
}
