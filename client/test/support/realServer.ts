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
