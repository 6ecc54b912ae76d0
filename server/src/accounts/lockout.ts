import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { AppError } from '../http/errors';
import type { Clock } from './clock';

/**
 * Progressive sign-in lockout, kept in the database so every server instance sees it.
 * Failures (wrong password, unknown email, wrong 2FA code) count per account email and per IP
 * address. From `threshold` consecutive failures on, each new failure locks the key for
 * `baseSeconds`, doubling at each further failure, capped at `maxSeconds`. A success clears the
 * account's counter; counters also lapse after `forgetAfterSeconds` without a failure.
 * Per IP the threshold is higher: a venue puts hundreds of devices behind one address.
 */
export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetAfterSeconds: number;
}

export const ACCOUNT_LOCKOUT: LockoutPolicy = {
  threshold: 5,
  baseSeconds: 60,
  maxSeconds: 60 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
};
export const IP_LOCKOUT: LockoutPolicy = {
  threshold: 50,
  baseSeconds: 60,
  maxSeconds: 30 * 60,
  forgetAfterSeconds: 15 * 60,
};

/** How long the key is locked after its `failures`-th consecutive failure (0: not locked). */
export function lockSeconds(policy: LockoutPolicy, failures: number): number {
  if (failures < policy.threshold) return 0;
  return Math.min(policy.baseSeconds * 2 ** (failures - policy.threshold), policy.maxSeconds);
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** 429 with the wait, in the body (`retryAfterSeconds`) and the `Retry-After` header. */
export function lockedOut(retryAfterSeconds: number): AppError {
  return new AppError(
    429,
    'locked_out',
    `Too many failed attempts: try again in ${retryAfterSeconds} s. / Trop de tentatives échouées : réessayez dans ${retryAfterSeconds} s.`,
    undefined,
    { retryAfterSeconds },
  );
}

export function lockoutStore(db: Kysely<DB>, clock: Clock) {
  const policyOf = (key: string) => (key.startsWith('ip:') ? IP_LOCKOUT : ACCOUNT_LOCKOUT);

  return {
    /** Seconds to wait before any of these keys may try again (0: none is locked). */
    async retryAfter(keys: string[]): Promise<number> {
      const rows = await db
        .selectFrom('loginLockouts')
        .select(['lockedUntil'])
        .where('key', 'in', keys)
        .where('lockedUntil', 'is not', null)
        .execute();
      const now = clock();
      const waits = rows.map((r) => Math.ceil((Date.parse(r.lockedUntil ?? '') - now) / 1000)).filter((s) => s > 0);
      return waits.length ? Math.max(...waits) : 0;
    },

    /**
     * Count a failure on each key; returns the longest lock it started (0: none). The count is one
     * atomic upsert, so concurrent failures (several instances, parallel requests) all count.
     */
    async fail(keys: string[]): Promise<number> {
      const now = clock();
      const at = new Date(now).toISOString();
      let longest = 0;
      for (const key of keys) {
        const policy = policyOf(key);
        const forgetBefore = new Date(now - policy.forgetAfterSeconds * 1000).toISOString();
        const { failures } = await db
          .insertInto('loginLockouts')
          .values({ key, failures: 1, lastFailureAt: at, lockedUntil: null })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              failures: eb
                .case()
                .when('loginLockouts.lastFailureAt', '<', forgetBefore)
                .then(1)
                .else(eb('loginLockouts.failures', '+', 1))
                .end(),
              lastFailureAt: at,
            })),
          )
          .returning('failures')
          .executeTakeFirstOrThrow();
        const seconds = lockSeconds(policy, failures);
        if (seconds > 0) {
          await db
            .updateTable('loginLockouts')
            .set({ lockedUntil: new Date(now + seconds * 1000).toISOString() })
            .where('key', '=', key)
            .execute();
        }
        longest = Math.max(longest, seconds);
      }
      return longest;
    },

    /** A successful sign-in clears the account's counter (an IP's only lapses). */
    async succeed(key: string): Promise<void> {
      await db.deleteFrom('loginLockouts').where('key', '=', key).execute();
    },
  };
}
export type LockoutStore = ReturnType<typeof lockoutStore>;
