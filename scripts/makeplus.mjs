#!/usr/bin/env node
// The two README commands land here: `npm start` / `npm test` (pnpm works too).
// It installs what a fresh Node 20 machine lacks (pnpm, the workspace's packages, a client build),
// then starts the app or runs every test suite and prints "N passed, N failed" last.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.split('@')[1];
const [command = 'start', ...args] = process.argv.slice(2);

function log(msg) {
  process.stdout.write(`\x1b[36m[makeplus]\x1b[0m ${msg}\n`);
}

function which(bin) {
  return spawnSync(process.platform === 'win32' ? 'where' : 'which', [bin], { stdio: 'ignore' }).status === 0;
}

/** pnpm as pinned in package.json: the installed one if it matches, else through npx. */
function pnpmCommand() {
  if (which('pnpm')) {
    const v = spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (v === pnpmVersion) return ['pnpm'];
  }
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}
const PNPM = pnpmCommand();

function run(cmd, cmdArgs, { env, ...opts } = {}) {
  return new Promise((resolve) => {
    // The child gets this process's environment (PATH…) plus the step's own variables.
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts, env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
const pnpm = (a, opts) => run(PNPM[0], [...PNPM.slice(1), ...a], opts);

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureInstalled() {
  const marker = path.join(root, 'node_modules', '.modules.yaml');
  const lock = path.join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log(`installing packages with pnpm ${pnpmVersion} …`);
  const code = await pnpm(['install', '--frozen-lockfile', '--prefer-offline']);
  if (code !== 0) process.exit(code);
}

async function ensureClientBuilt(force = false) {
  const index = path.join(root, 'client', 'dist', 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(root, 'client')), newestMtime(path.join(root, 'shared', 'src')));
  if (!force && built > sources) return;
  log('building the PWA (client) …');
  const code = await pnpm(['--filter', '@makeplus/client', 'build']);
  if (code !== 0) process.exit(code);
}

function postgresReachable(url) {
  let host = '127.0.0.1';
  let port = 5432;
  try {
    const u = new URL(url);
    host = u.hostname || host;
    port = Number(u.port || 5432);
  } catch {}
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1500 });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Counts from Vitest's and Playwright's JSON reports. */
function readCounts(file, kind) {
  if (!existsSync(file)) return null;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    if (kind === 'vitest')
      return {
        passed: r.numPassedTests ?? 0,
        failed: (r.numFailedTests ?? 0) + (r.numTotalTestSuites && r.success === false && !r.numFailedTests ? 1 : 0),
        skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
      };
    return {
      passed: (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0),
      failed: r.stats?.unexpected ?? 0,
      skipped: r.stats?.skipped ?? 0,
    };
  } catch {
    return null;
  }
}

async function test() {
  await ensureInstalled();
  const reports = path.join(root, '.tmp', 'reports');
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const lines = [];
  const only = args.filter((a) => !a.startsWith('-'));
  const wants = (name) => only.length === 0 || only.includes(name);

  async function step(name, fn) {
    if (!wants(name)) return;
    log(`── ${name}`);
    const started = Date.now();
    const res = await fn();
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    totals.passed += res.passed;
    totals.failed += res.failed;
    totals.skipped += res.skipped ?? 0;
    lines.push(
      `${res.failed ? '✗' : '✓'} ${name.padEnd(22)} ${res.passed} passed, ${res.failed} failed${res.skipped ? `, ${res.skipped} skipped` : ''} (${secs}s)`,
    );
  }
  const single = async (fn) => ((await fn()) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  const vitest = async (filter, name, env = {}) => {
    const out = path.join(reports, `${name}.json`);
    const code = await pnpm(
      [
        '--filter',
        filter,
        'exec',
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${out}`,
      ],
      { env },
    );
    const c = readCounts(out, 'vitest');
    if (!c) return { passed: 0, failed: 1 };
    return code !== 0 && c.failed === 0 ? { ...c, failed: 1 } : c;
  };

  await step('typecheck', () => single(() => pnpm(['-r', '--workspace-concurrency=1', 'typecheck'])));
  await step('lint', () => single(() => pnpm(['exec', 'biome', 'check', '.'])));
  await step('shared', () => vitest('@makeplus/shared', 'shared'));
  await step('client', () => vitest('@makeplus/client', 'client'));
  await step('server-pglite', () => vitest('@makeplus/server', 'server-pglite', { TEST_DB: 'pglite' }));
  const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (wants('server-postgres')) {
    if (await postgresReachable(pgUrl)) {
      await step('server-postgres', () =>
        vitest('@makeplus/server', 'server-postgres', { TEST_DB: 'postgres', TEST_DATABASE_URL: pgUrl }),
      );
    } else {
      lines.push(`- server-postgres        skipped: no PostgreSQL at ${pgUrl}`);
    }
  }
  if (wants('e2e')) {
    await ensureClientBuilt();
    await step('e2e', async () => {
      const out = path.join(reports, 'e2e.json');
      const code = await pnpm(['--filter', '@makeplus/e2e', 'exec', 'playwright', 'test'], {
        env: { PLAYWRIGHT_JSON_OUTPUT_NAME: out },
      });
      const c = readCounts(out, 'playwright');
      if (!c) return { passed: 0, failed: 1 };
      return code !== 0 && c.failed === 0 ? { ...c, failed: 1 } : c;
    });
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  process.stdout.write(
    `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`,
  );
  process.exit(totals.failed ? 1 : 0);
}

async function start() {
  await ensureInstalled();
  await ensureClientBuilt(args.includes('--rebuild'));
  const serverArgs = args.filter((a) => a !== '--rebuild');
  const tsx = path.join(root, 'server', 'node_modules', '.bin', 'tsx');
  const code = await run(tsx, [path.join('server', 'src', 'main.ts'), ...serverArgs]);
  process.exit(code);
}

async function dev() {
  await ensureInstalled();
  log('server on :8080, Vite dev server on :5173 (proxying /api and /sync)');
  const a = pnpm(['--filter', '@makeplus/server', 'dev']);
  const b = pnpm(['--filter', '@makeplus/client', 'dev']);
  process.exit(Math.max(await a, await b));
}

async function bench() {
  await ensureInstalled();
  await ensureClientBuilt();
  const started = Date.now();
  // Server-side figures (real server processes on a throwaway PostgreSQL database), then the
  // browser-side ones (Chromium); each writes its own table into docs/performance.md.
  const pgUrl =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  let server = 0;
  if (args.includes('--browser-only') || args.includes('--logic-only')) log('server bench skipped');
  else if (await postgresReachable(pgUrl)) {
    log('── server bench (PostgreSQL)');
    server = await pnpm(['--filter', '@makeplus/server', 'exec', 'tsx', 'bench/server.bench.ts'], {
      env: { BENCH_DATABASE_URL: pgUrl },
    });
  } else log(`server bench skipped: no PostgreSQL at ${pgUrl}`);
  let logic = 0;
  if (args.includes('--server-only') || args.includes('--browser-only')) log('client logic bench skipped');
  else {
    log('── client logic bench (Node)');
    logic = await pnpm(['--filter', '@makeplus/server', 'exec', 'tsx', '../client/bench/logic.bench.ts']);
  }
  let browser = 0;
  if (args.includes('--server-only') || args.includes('--logic-only')) log('browser bench skipped');
  else {
    log('── browser bench (Chromium)');
    browser = await pnpm([
      '--filter',
      '@makeplus/e2e',
      'bench',
      ...args.filter((a) => !a.startsWith('--') || a.startsWith('--grep')),
    ]);
  }
  log(`bench done in ${((Date.now() - started) / 60_000).toFixed(1)} min; figures in docs/performance.md`);
  process.exit(server || logic || browser);
}

const commands = { start, test, dev, bench };
if (!commands[command]) {
  process.stderr.write(`usage: node scripts/makeplus.mjs ${Object.keys(commands).join('|')}\n`);
  process.exit(2);
}
await commands[command]();
