import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const serverDir = path.resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface ServerProcess {
  baseUrl: string;
  /** The running server's process id (changes after a restart; undefined when stopped). */
  readonly pid: number | undefined;
  kill(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  cleanup(): void;
}

/** The real server in its own process (for crash tests): PGlite in a temp folder, or a PostgreSQL URL. */
export async function serverProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'makeplus-fault-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const self: ServerProcess = {
    baseUrl,
    get pid() {
      return child && child.exitCode === null && !child.signalCode ? child.pid : undefined;
    },
    async start() {
      // SERVER_CPU_PROF_DIR=/some/dir: the server runs under `node --cpu-prof` (a .cpuprofile there
      // when it exits on SIGTERM), to see where a bench's time goes in the server.
      const profDir = process.env.SERVER_CPU_PROF_DIR;
      const [command, args] = profDir
        ? [process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, '--import', 'tsx', 'src/main.ts']]
        : [path.join(serverDir, 'node_modules/.bin/tsx'), ['src/main.ts']];
      child = spawn(command, args, {
        cwd: serverDir,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
          CLIENT_DIST: '/nonexistent',
          DATABASE_URL: '',
          JWT_SECRET: 'fault-test-secret-long-enough-for-hs256',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
        // Its own process group: tsx runs the server in a child process, and a signal must reach
        // that one too (a SIGKILL to tsx alone leaves the real server running as an orphan).
        detached: true,
      });
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        try {
          if ((await fetch(`${baseUrl}/health`)).ok) return;
        } catch {}
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('server did not become healthy');
    },
    async kill(signal = 'SIGKILL') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      if (c.pid) process.kill(-c.pid, signal);
      else c.kill(signal);
      await exited;
      // The server (tsx's child) may outlive the wrapper by a moment: wait until the group is gone.
      const deadline = Date.now() + 15_000;
      while (c.pid && groupAlive(c.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}
