import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RealServer {
  baseUrl: string;
  dataDir: string;
  /** SIGKILL: no goodbye, as when a machine loses power. */
  kill(): void;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** The real MakePlus server in its own process (embedded PGlite in a temp folder, demo event seeded). */
export async function startRealServer(env: Record<string, string> = {}): Promise<RealServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'makeplus-client-test-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function launch() {
    child = spawn(path.join(root, 'server/node_modules/.bin/tsx'), ['server/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
        CLIENT_DIST: '/nonexistent',
        DATABASE_URL: '',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${baseUrl}/health`);
        if (r.ok) return;
      } catch {}
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('server did not become healthy');
  }
  await launch();

  const waitExit = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode) return resolve();
      child.once('exit', () => resolve());
    });

  return {
    baseUrl,
    dataDir,
    kill() {
      child?.kill('SIGKILL');
    },
    async stop() {
      child?.kill('SIGTERM');
      await waitExit();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await waitExit();
      await launch();
    },
  };
}
