import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/demo/seed';
import { freePort } from './serverProcess';
import { dbKind, postgresUrl } from './testApp';

/**
 * Shared pieces of the fault tests (server in its own process, killed, cut from its database,
 * flooded by an offline device): a throwaway database, a cuttable TCP proxy, devices that push
 * with retries as the app does, and the server's memory as the kernel reports it.
 */

/** A database of its own for a server process: a new PostgreSQL database (dropped after), or PGlite. */
export async function faultDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  if (dbKind !== 'postgres') return { url: undefined, drop: async () => {} };
  const name = `makeplus_fault_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Environment for `serverProcess` on that database (sign-ins are not rate limited in tests). */
export function faultServerEnv(databaseUrl: string | undefined): Record<string, string> {
  return { RATE_LIMIT_LOGIN_PER_MINUTE: '10000', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
}

/**
 * A loopback TCP proxy in front of PostgreSQL. `cut()` does to the server what a PostgreSQL restart
 * does: every open connection is closed at once and new ones are refused until `restore()`.
 */
export async function tcpProxy(target: { host: string; port: number }) {
  const port = await freePort();
  const open = new Set<net.Socket>();
  let up = true;
  let cuts = 0;
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    get connections() {
      return open.size / 2;
    },
    get cuts() {
      return cuts;
    },
    cut() {
      up = false;
      cuts++;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      up = true;
    },
    close() {
      for (const s of open) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A database URL whose host and port are replaced (to go through the proxy). */
export function viaPort(databaseUrl: string, port: number): string {
  const u = new URL(databaseUrl);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

export async function signInController(baseUrl: string): Promise<string> {
  const r = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_ACCOUNTS.controller, password: DEMO_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`sign-in: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { accessToken: string }).accessToken;
}

export function syncHeaders(token: string, deviceId: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-makeplus-device': deviceId };
}

/** One push of scans; the HTTP status, or 0 when the connection failed. */
export async function pushScans(baseUrl: string, token: string, deviceId: string, docs: unknown[]): Promise<number> {
  try {
    const r = await fetch(`${baseUrl}/sync/v1/scans/push`, {
      method: 'POST',
      headers: syncHeaders(token, deviceId),
      body: JSON.stringify(docs.map((d) => ({ newDocumentState: d }))),
    });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

/**
 * A device sending its outbox as the app does: batch after batch, each retried (after a pause) until
 * the server acknowledges it. Bounded by `deadline` (epoch ms): throws rather than loop forever.
 */
export async function pushOutbox(
  baseUrl: string,
  token: () => string,
  deviceId: string,
  batches: unknown[][],
  options: { deadline: number; retryMs?: number; onAck?: () => void; onFailure?: (status: number) => void },
): Promise<{ failures: number; statuses: Set<number> }> {
  let failures = 0;
  const statuses = new Set<number>();
  for (const batch of batches) {
    for (;;) {
      const status = await pushScans(baseUrl, token(), deviceId, batch);
      if (status === 200) break;
      failures++;
      statuses.add(status);
      options.onFailure?.(status);
      if (Date.now() > options.deadline) throw new Error(`${deviceId}: no acknowledgement before the deadline`);
      await new Promise((r) => setTimeout(r, options.retryMs ?? 100));
    }
    options.onAck?.();
  }
  return { failures, statuses };
}

/** How many times the server holds each scan id (read back through the sync pull, as a device would). */
export async function storedScans(baseUrl: string, token: string, deviceId: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let after = 0;
  for (;;) {
    const r = await fetch(`${baseUrl}/sync/v1/scans/pull?after=${after}&limit=5000`, {
      headers: syncHeaders(token, deviceId),
    });
    if (r.status !== 200) throw new Error(`pull: ${r.status} ${await r.text()}`);
    const body = (await r.json()) as { documents: { id: string }[]; checkpoint: { seq: number } | null };
    for (const d of body.documents) seen.set(d.id, (seen.get(d.id) ?? 0) + 1);
    if (body.documents.length < 5000) return seen;
    after = body.checkpoint?.seq ?? after;
  }
}

/**
 * Resident memory of the server as the kernel reports it: now and peak (VmRSS, VmHWM), in bytes.
 * `pid` is the process `serverProcess` started (tsx); the server runs in its child, measured instead.
 */
export function processMemory(pid: number): { rss: number; peak: number } {
  const child = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .find((d) => {
      try {
        // Fields after the command name: state, ppid, …
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
  const status = readFileSync(`/proc/${child ?? pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
