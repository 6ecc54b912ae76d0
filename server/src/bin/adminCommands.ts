import { randomInt } from 'node:crypto';
import { strongPasswordSchema } from '../accounts/passwordPolicy';
import { hashPassword } from '../accounts/passwords';
import { accountQueries } from '../accounts/queries';
import type { Services } from '../app';
import { demoCredentialsTable, ensureDemo } from '../demo/seed';
import { adminQueries } from './adminQueries';

/**
 * The admin CLI's commands (`pnpm --filter @makeplus/server admin <command>`), as functions over
 * the app's services so tests run them against a real database. `cli.ts` only opens the database
 * and prints.
 */

export class AdminError extends Error {}

export interface UserRow {
  email: string;
  name: string;
  legacyId: number;
  isPlatformAdmin: boolean;
  hasPassword: boolean;
  isActive: boolean;
  staffEvents: number;
  lastLoginAt: string | null;
}

export async function listUsers(services: Pick<Services, 'db'>, search?: string): Promise<UserRow[]> {
  const rows = await adminQueries(services.db).listUsers(search);
  return rows.map((r) => ({
    email: r.email,
    name: `${r.firstName} ${r.lastName}`.trim(),
    legacyId: r.legacyId,
    isPlatformAdmin: r.isPlatformAdmin,
    hasPassword: Boolean(r.hasPassword),
    isActive: r.isActive,
    staffEvents: Number(r.staffEvents ?? 0),
    lastLoginAt: r.lastLoginAt,
  }));
}

// No 0/O or 1/l/I: the password is read off a terminal and typed in.
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const DIGITS = '23456789';

/** A random password that satisfies the password rules: 16 characters, at least one digit. */
export function generatePassword(length = 16): string {
  const chars = Array.from({ length }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)] ?? 'x');
  chars[randomInt(length)] = DIGITS[randomInt(DIGITS.length)] ?? '7';
  // Random, but held to the same policy as a typed one (a weak list is the last line of defence).
  return strongPasswordSchema.parse(chars.join(''));
}

/** Give an account a new generated password and sign it out everywhere. */
export async function resetPassword(
  services: Pick<Services, 'db'>,
  email: string,
): Promise<{ email: string; password: string; signedOutSessions: number }> {
  const accounts = accountQueries(services.db);
  const user = await accounts.findUserByEmail(email.trim());
  if (!user) throw new AdminError(`No account with the email ${email}`);
  const password = generatePassword();
  await accounts.setPassword(user.id, await hashPassword(password));
  const revoked = await accounts.revokeAllOfSubject(user.id, 'password reset by an administrator');
  const signedOutSessions = revoked.reduce((n, r) => n + Number(r.numUpdatedRows), 0);
  return { email: user.email, password, signedOutSessions };
}

/** Let an account create events (users.is_platform_admin). */
export async function grantOrganizer(
  services: Pick<Services, 'db'>,
  email: string,
): Promise<{ email: string; alreadyGranted: boolean }> {
  const user = await accountQueries(services.db).findUserByEmail(email.trim());
  if (!user) throw new AdminError(`No account with the email ${email}; ask the person to register first`);
  if (!user.isPlatformAdmin) await adminQueries(services.db).setPlatformAdmin(user.id, true);
  return { email: user.email, alreadyGranted: user.isPlatformAdmin };
}

/** A new badge signing key, published to every event's trust list; older keys stay valid. */
export async function rotateBadgeKey(
  services: Pick<Services, 'db' | 'badges'>,
): Promise<{ keyId: string; publicKey: string; events: number }> {
  const key = await services.badges.rotate();
  const { n } = await adminQueries(services.db).countLiveEvents();
  return { keyId: key.keyId, publicKey: key.publicKey, events: Number(n) };
}

/** Delete the demo event and its accounts, then seed it again. */
export async function resetDemo(services: Services): Promise<'created' | 'reset'> {
  const outcome = await ensureDemo(services, { reset: true });
  return outcome === 'kept' ? 'reset' : outcome;
}

/** Commands that open the database. */
export const DATABASE_COMMANDS = ['list-users', 'reset-password', 'grant-organizer', 'rotate-badge-key', 'reset-demo'];

export const USAGE = `MakePlus admin CLI

Usage: pnpm --filter @makeplus/server admin <command> [arguments]

Commands:
  list-users [search] [--json]   every account, with its staff events and whether it may create events
  reset-password <email>         give an account a new generated password (printed) and sign it out everywhere
  grant-organizer <email>        let an account create events (sets users.is_platform_admin)
  rotate-badge-key               new badge signing key, published to every event (old badges stay valid)
  reset-demo                     delete the demo event and its accounts, and seed them again
  help                           this text

The database is the server's: DATABASE_URL (PostgreSQL) or the embedded one in DATA_DIR (default ./data).
With the embedded database, stop the server first: only one process may open it.`;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Run one command; returns the process exit code (0 done, 1 failed, 2 usage error). */
export async function runAdminCommand(argv: readonly string[], services: Services | null, io: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (!services && DATABASE_COMMANDS.includes(command ?? '')) throw new Error(`${command} needs the database`);
  const svc = services as Services;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const args = rest.filter((a) => !a.startsWith('--'));
  const needEmail = (): string | null => {
    const email = args[0];
    if (!email) io.err(`${command} needs an email: pnpm --filter @makeplus/server admin ${command} <email>`);
    return email ?? null;
  };
  try {
    switch (command) {
      case 'list-users': {
        const users = await listUsers(svc, args[0]);
        if (flags.has('--json')) {
          io.out(JSON.stringify(users, null, 2));
          return 0;
        }
        io.out(formatUsers(users));
        return 0;
      }
      case 'reset-password': {
        const email = needEmail();
        if (!email) return 2;
        const r = await resetPassword(svc, email);
        io.out(`New password for ${r.email}: ${r.password}`);
        io.out(
          `(${r.signedOutSessions} session(s) signed out; pass it on privately and ask for a change after sign-in)`,
        );
        return 0;
      }
      case 'grant-organizer': {
        const email = needEmail();
        if (!email) return 2;
        const r = await grantOrganizer(svc, email);
        io.out(
          r.alreadyGranted
            ? `${r.email} could already create events`
            : `${r.email} can now create events (POST /api/v1/events)`,
        );
        return 0;
      }
      case 'rotate-badge-key': {
        const r = await rotateBadgeKey(svc);
        io.out(`New badge signing key ${r.keyId}, published to ${r.events} event(s).`);
        io.out('Badges signed with older keys stay valid. Running servers sign with the new key after a restart.');
        return 0;
      }
      case 'reset-demo': {
        const outcome = await resetDemo(svc);
        io.out(`Demo event ${outcome}.`);
        io.out(demoCredentialsTable());
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof AdminError) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
}

function formatUsers(users: UserRow[]): string {
  if (users.length === 0) return 'No accounts.';
  const header = ['email', 'name', 'id', 'creates events', 'password', 'staff of', 'last sign-in'];
  const rows = users.map((u) => [
    u.email + (u.isActive ? '' : ' (disabled)'),
    u.name,
    String(u.legacyId),
    u.isPlatformAdmin ? 'yes' : 'no',
    u.hasPassword ? 'set' : 'none (invited)',
    `${u.staffEvents} event(s)`,
    u.lastLoginAt ? u.lastLoginAt.slice(0, 16).replace('T', ' ') : 'never',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), `${users.length} account(s)`].join(
    '\n',
  );
}
