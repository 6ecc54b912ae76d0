import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema';

export const CHANGES_CHANNEL = 'makeplus_changes';

/** PostgreSQL prints timestamptz as "2026-11-22 10:00:00.123+00"; records carry ISO-8601. */
export function pgTimestampToIso(value: string): string {
  // The form every connection here gets (TimeZone=UTC, ISO DateStyle): "YYYY-MM-DD HH:MM:SS+00" with
  // 0 to 6 digits of fraction. Rewritten directly, as the Date round trip below would (fraction
  // truncated to milliseconds): this runs for every timestamp of every row read, and the regular
  // expressions and Date of the general case were ~5 % of the server's CPU under load.
  const n = value.length;
  if (
    n >= 22 &&
    n <= 29 &&
    value.charCodeAt(4) === 45 && // -
    value.charCodeAt(10) === 32 && // space
    value.charCodeAt(n - 3) === 43 && // +
    value.charCodeAt(n - 2) === 48 && // 0
    value.charCodeAt(n - 1) === 48 && // 0
    (n === 22 || (n >= 24 && value.charCodeAt(19) === 46)) // no fraction, or "." and 1 to 6 digits
  ) {
    const fraction = `${value.slice(20, n - 3)}000`.slice(0, 3);
    return `${value.slice(0, 10)}T${value.slice(11, 19)}.${fraction}Z`;
  }
  const iso = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return new Date(iso).toISOString();
}
const INT8 = 20;
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const parsers: Record<number, (v: string) => unknown> = {
  // Sequence numbers and money stay far below 2^53: numbers are safe and simpler than bigint.
  [INT8]: (v) => Number(v),
  [TIMESTAMPTZ]: pgTimestampToIso,
  [TIMESTAMP]: (v) => pgTimestampToIso(`${v}+00`),
};

export interface Database {
  db: Kysely<DB>;
  kind: 'postgres' | 'pglite';
  /** Receive the payloads of `pg_notify(CHANGES_CHANNEL, …)` from every server instance on this database. */
  listen(onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` for an in-memory database (tests). */
  dataDir?: string;
  /** PostgreSQL schema to use (tests isolate runs this way). */
  schema?: string;
  /** Start PGlite from a data-dir dump (tests: much faster than a fresh init). */
  pgliteLoadDataDir?: Blob;
  poolSize?: number;
}

const kyselyPlugins = [new CamelCasePlugin({ maintainNestedObjectKeys: true })];

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? createPostgres(options.databaseUrl, options) : createPglite(options);
}

async function createPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const searchPath = options.schema ? `-c search_path=${options.schema}` : '';
  const clientConfig: pg.ClientConfig = {
    connectionString: url,
    options: `-c TimeZone=UTC ${searchPath}`.trim(),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
  if (options.schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    await admin.end();
  }
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
  // A dropped connection (e.g. PostgreSQL restarting) must not crash the process; the pool reconnects.
  pool.on('error', () => {});
  // The pool listens for errors only on idle clients. A connection lost while checked out (between
  // two queries of a transaction) would emit an unhandled 'error' and kill the process; the query
  // in progress fails instead, and the pool drops the dead client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: kyselyPlugins });
  return {
    db,
    kind: 'postgres',
    async listen(onPayload) {
      let client: pg.Client | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const connect = async () => {
        if (stopped) return;
        const c = new pg.Client(clientConfig);
        c.on('error', () => {});
        c.on('end', () => {
          // Reconnect after a database restart; subscribers get a RESYNC through `onPayload('*')`.
          if (!stopped) retry = setTimeout(() => void connect().catch(() => {}), 500);
        });
        c.on('notification', (n) => {
          if (n.channel === CHANGES_CHANNEL && n.payload) onPayload(n.payload);
        });
        try {
          await c.connect();
          await c.query(`LISTEN ${CHANGES_CHANNEL}`);
          client = c;
          onPayload('*');
        } catch {
          await c.end().catch(() => {});
        }
      };
      await connect();
      return async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        await client?.end().catch(() => {});
      };
    },
    async close() {
      await db.destroy();
    },
  };
}

async function createPglite(options: DatabaseOptions): Promise<Database> {
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(path.resolve(dataDir), { recursive: true });
  const pglite = await PGlite.create(dataDir.startsWith('memory://') ? undefined : dataDir, {
    parsers,
    ...(options.pgliteLoadDataDir ? { loadDataDir: options.pgliteLoadDataDir } : {}),
  });
  await pglite.exec("SET TIME ZONE 'UTC'");
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }), plugins: kyselyPlugins });
  return {
    db,
    kind: 'pglite',
    async listen(onPayload) {
      const unsubscribe = await pglite.listen(CHANGES_CHANNEL, onPayload);
      return async () => {
        // Like the PostgreSQL side: stopping after the database is gone is not an error.
        if (!pglite.closed) await unsubscribe();
      };
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export async function ping(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
