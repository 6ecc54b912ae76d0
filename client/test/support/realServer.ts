import { afterAll, beforeAll } from 'vitest';
import { serverProcess } from '../../../server/test/support/serverProcess';

export interface RealServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The real MakePlus server in its own process (embedded PGlite in a temp folder, demo event seeded),
 * for client tests that sync against it. Same harness as the server's crash tests.
 */
export async function startRealServer(env: Record<string, string> = {}): Promise<RealServer> {
  const server = await serverProcess({ RATE_LIMIT_LOGIN_PER_MINUTE: '1000', ...env });
  return {
    baseUrl: server.baseUrl,
    async stop() {
      await server.kill('SIGTERM');
      server.cleanup();
    },
  };
}

/**
 * One real server for the whole test file: started before its tests, stopped after them. Its
 * `baseUrl` can be read from the tests (once `beforeAll` has run).
 */
export function realServerForFile(env: Record<string, string> = {}): { readonly baseUrl: string } {
  let server: RealServer | undefined;
  beforeAll(async () => {
    server = await startRealServer(env);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get baseUrl() {
      if (!server) throw new Error('the real server is not started yet');
      return server.baseUrl;
    },
  };
}

/** Every document of a collection as the demo organizer's device would pull it from the server. */
export async function organizerPull(baseUrl: string, collection: string): Promise<Record<string, unknown>[]> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'organizer@demo.makeplus.local', password: 'makeplus-demo' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const docs: Record<string, unknown>[] = [];
  for (let after = 0; ; ) {
    const r = await fetch(`${baseUrl}/sync/v1/${collection}/pull?after=${after}&limit=1000`, {
      headers: { authorization: `Bearer ${accessToken}`, 'x-makeplus-device': 'organizer-check-device' },
    });
    const body = (await r.json()) as { documents: Record<string, unknown>[]; checkpoint: { seq: number } | null };
    if (!r.ok) throw new Error(`pull ${collection}: ${r.status} ${JSON.stringify(body)}`);
    docs.push(...body.documents);
    if (body.documents.length < 1000) return docs;
    after = body.checkpoint?.seq ?? after;
  }
}
