import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  JWT_SECRET: z.string().min(32).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: z.string().default('*'),
  PUBLIC_URL: z.string().optional(),
  CLIENT_DIST: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .default(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  DEMO: z.enum(['auto', 'off', 'reset']).default('auto'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional()
    .or(z.literal('')),
  MAIL_FROM: z.string().min(3).default('MakePlus <no-reply@makeplus.local>'),
  MAIL_OUTBOX_DIR: z.string().optional(),
  FILE_STORAGE: z.enum(['disk']).default('disk'),
  UPLOAD_DIR: z.string().optional(),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  FILE_GC_GRACE_DAYS: z.coerce.number().min(0).max(3650).default(7),
  FILE_GC_INTERVAL_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(6),
});

export interface AppConfig {
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  corsOrigins: string[] | '*';
  publicUrl: string | undefined;
  clientDist: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** Sign-in requests per account per minute (login, 2FA step, password reset). */
  rateLimitLoginPerMinute: number;
  /** Sign-in requests per IP address per minute; a venue puts many devices behind one address. */
  rateLimitLoginPerIpPerMinute: number;
  demo: 'auto' | 'off' | 'reset';
  /** Uploaded files: the backend (see files/storage.ts) and where the disk backend keeps them. */
  fileStorage: { kind: 'disk'; root: string };
  /** Largest accepted upload, in bytes (413 above it). */
  uploadMaxBytes: number;
  /**
   * Unreachable files (replaced or unused session covers, files of deleted events) are deleted once
   * older than this many days (FILE_GC_GRACE_DAYS), checked every FILE_GC_INTERVAL_HOURS (0: never).
   */
  fileGc: { graceDays: number; intervalHours: number };
  /** SMTP server for outgoing mail (SMTP_URL); absent: mail is written to the log (development). */
  smtpUrl: string | undefined;
  /** The From of outgoing mail (MAIL_FROM). */
  mailFrom: string;
  /**
   * Without SMTP: also write each message as a JSON file in this folder (MAIL_OUTBOX_DIR), for a
   * developer to open and for the browser tests to follow the links mailed.
   */
  mailOutboxDir: string | undefined;
}

/** Read once from the environment, validated, with safe defaults (embedded database, generated secret). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(overrides.dataDir ?? e.DATA_DIR);
  const jwtSecret = overrides.jwtSecret ?? e.JWT_SECRET ?? generatedSecret(dataDir);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir,
    jwtSecret,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS === '*' ? '*' : e.CORS_ORIGINS.split(',').map((s) => s.trim()),
    publicUrl: e.PUBLIC_URL,
    clientDist: e.CLIENT_DIST,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    rateLimitLoginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
    rateLimitLoginPerIpPerMinute:
      overrides.rateLimitLoginPerIpPerMinute ??
      e.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE ??
      Math.max(100, 10 * (overrides.rateLimitLoginPerMinute ?? e.RATE_LIMIT_LOGIN_PER_MINUTE)),
    demo: e.DEMO,
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    mailOutboxDir: e.MAIL_OUTBOX_DIR ? path.resolve(e.MAIL_OUTBOX_DIR) : undefined,
    fileStorage: { kind: e.FILE_STORAGE, root: path.resolve(e.UPLOAD_DIR ?? path.join(dataDir, 'uploads')) },
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    fileGc: { graceDays: e.FILE_GC_GRACE_DAYS, intervalHours: e.FILE_GC_INTERVAL_HOURS },
    ...overrides,
  };
}

/** A development secret generated once and kept in the data folder, never in the repository. */
function generatedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
