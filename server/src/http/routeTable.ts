import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Record every route the app registers (Fastify's `onRoute`, so routes of every plugin are seen,
 * whoever adds them). The authorization matrix test walks this table: a route without an
 * expectation there fails the test. Call before any route is registered.
 */
export function collectRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue; // Fastify's automatic HEAD twin of each GET
      table.push({ method, url: route.url });
    }
  });
}

/** The routes registered so far, in registration order. */
export function routeTableOf(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}
