import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The repository root (e2e/ is one level down). */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const clientDist = path.join(repoRoot, 'client', 'dist');

export interface RunningServer {
  baseURL: string;
  port: number;
  dataDir: string;
  logFile: string;
  process: ChildProcess;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitForHealth(baseURL: string, child: ChildProcess, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The MakePlus server exited during start-up (code ${child.exitCode}).\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${baseURL}/health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The MakePlus server did not answer /health within ${timeoutMs / 1000} s.\n${tail(logFile)}`);
}

/**
 * Start the real server (tsx server/src/main.ts) on a free port with a fresh data folder: embedded
 * PGlite, the demo event seeded, the built client served with its SPA fallback.
 */
export async function startServer(options: { env?: Record<string, string>; timeoutMs?: number } = {}) {
  if (!existsSync(path.join(clientDist, 'index.html'))) {
    throw new Error(
      `client/dist is missing: build the PWA first with \`pnpm --filter @makeplus/client build\` (from ${repoRoot}).`,
    );
  }
  const tsx = path.join(repoRoot, 'server', 'node_modules', '.bin', 'tsx');
  if (!existsSync(tsx)) throw new Error(`${tsx} not found: run \`pnpm install\` at the repository root.`);

  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'makeplus-e2e-'));
  const logFile = path.join(dataDir, 'server.log');
  const log = createWriteStream(logFile);
  const child = spawn(tsx, ['server/src/main.ts'], {
    cwd: repoRoot,
    // Its own process group, so the teardown stops tsx and the node process it starts together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Every test signs in through the real login route; the production limit would trip.
      RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
      // Links in mails point here; each mail is also a file the tests read (support/mail.ts).
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MAIL_OUTBOX_DIR: path.join(dataDir, 'outbox'),
      ...options.env,
    },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const baseURL = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseURL, child, logFile, options.timeoutMs ?? 120_000);
  } catch (err) {
    await stopServer({ pid: child.pid, dataDir, keepData: true });
    throw err;
  }
  return { baseURL, port, dataDir, logFile, process: child } satisfies RunningServer;
}

function alive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop the server's process group (SIGTERM, then SIGKILL after 10 s) and remove its data folder. */
export async function stopServer({
  pid,
  dataDir,
  keepData = false,
}: {
  pid?: number;
  dataDir?: string;
  keepData?: boolean;
}) {
  if (pid) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }
  }
  if (dataDir && !keepData) rmSync(dataDir, { recursive: true, force: true });
}
