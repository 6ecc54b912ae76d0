import { createHash, randomInt } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { generateSecret, generateURI, verify } from 'otplib';
import type { DB, UsersTable } from '../db/schema';
import { AppError, conflict, invalidField, notFound } from '../http/errors';
import { recordAccountChange } from './accountAudit';
import type { Clock } from './clock';
import { verifyPassword } from './passwords';

/**
 * Two-factor authentication with TOTP (RFC 6238: SHA-1, 30-second steps, 6 digits), as every
 * authenticator app reads it. A code is accepted one step either side of the server's clock, and
 * never twice (the last accepted step is kept). Ten single-use recovery codes are given when 2FA is
 * turned on; only their SHA-256 is stored (they are random, 50 bits each: a slow hash adds nothing).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** ±1 step: a phone whose clock is up to 30 s off still works. */
export const TOTP_TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
export const RECOVERY_CODE_COUNT = 10;
export const TOTP_ISSUER = 'MakePlus';

// No 0/o, 1/l/i: read off paper and typed in.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export type SecondFactor = 'totp' | 'recovery_code';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

export function recoveryCodes(): { plain: string[]; hashed: string[] } {
  const plain = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { plain, hashed: plain.map((c) => sha256(normalizeRecovery(c))) };
}

const wrongCode = () => invalidField('code', 'wrong or expired code');

export function twoFactorService(db: Kysely<DB>, clock: Clock) {
  async function userOrThrow(userId: string) {
    const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user?.isActive) throw notFound('User');
    return user;
  }

  async function checkPassword(user: Selectable<UsersTable>, password: string) {
    if (!(await verifyPassword(user.passwordHash, password))) throw invalidField('password', 'incorrect password');
  }

  /** The TOTP step the code matches now (±1 step), or null. */
  async function matchTotp(secret: string, code: string): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    const epoch = Math.floor(clock() / 1000);
    const result = await verify({
      secret,
      token: code,
      epoch,
      period: TOTP_PERIOD_SECONDS,
      digits: TOTP_DIGITS,
      epochTolerance: TOTP_TOLERANCE_SECONDS,
    });
    return result.valid ? Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta : null;
  }

  /**
   * Check a second factor (a TOTP code or a recovery code) and spend it: the TOTP step is recorded
   * so the same code cannot be replayed, a recovery code is removed. Null when it is wrong.
   */
  async function consume(userId: string, rawCode: string): Promise<SecondFactor | null> {
    const code = rawCode.trim().replace(/\s/g, '');
    return db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
      if (!user?.totpSecret) return null;
      const step = await matchTotp(user.totpSecret, code);
      if (step !== null) {
        if (user.totpLastStep !== null && step <= user.totpLastStep) return null;
        await trx.updateTable('users').set({ totpLastStep: step }).where('id', '=', userId).execute();
        return 'totp';
      }
      if (!user.totpEnabled) return null;
      const hash = sha256(normalizeRecovery(code));
      const left = user.totpRecoveryCodes;
      if (!left.includes(hash)) return null;
      await trx
        .updateTable('users')
        .set({ totpRecoveryCodes: JSON.stringify(left.filter((h) => h !== hash)) })
        .where('id', '=', userId)
        .execute();
      return 'recovery_code';
    });
  }

  return {
    consume,

    async status(userId: string) {
      const user = await userOrThrow(userId);
      return {
        enabled: user.totpEnabled,
        enabledAt: user.totpEnabledAt,
        pendingSetup: !user.totpEnabled && user.totpSecret !== null,
        recoveryCodesLeft: user.totpEnabled ? user.totpRecoveryCodes.length : 0,
      };
    },

    /** Start enrolment: a new secret, shown once as a QR code (otpauth URI) and as text. */
    async setup(userId: string, password: string) {
      const user = await userOrThrow(userId);
      await checkPassword(user, password);
      if (user.totpEnabled) throw conflict('Two-factor authentication is already on; turn it off first');
      const secret = generateSecret();
      await db
        .updateTable('users')
        .set({ totpSecret: secret, totpLastStep: null, updatedAt: new Date(clock()).toISOString() })
        .where('id', '=', userId)
        .execute();
      return {
        secret,
        otpauthUri: generateURI({
          issuer: TOTP_ISSUER,
          label: user.email,
          secret,
          period: TOTP_PERIOD_SECONDS,
          digits: TOTP_DIGITS,
        }),
        period: TOTP_PERIOD_SECONDS,
        digits: TOTP_DIGITS,
      };
    },

    /** Finish enrolment with a code from the app: 2FA is on, and the ten recovery codes are shown once. */
    async confirm(userId: string, code: string) {
      const user = await userOrThrow(userId);
      if (user.totpEnabled) throw conflict('Two-factor authentication is already on');
      if (!user.totpSecret) throw new AppError(409, 'no_setup', 'Start the setup first (no secret to confirm)');
      if ((await consume(userId, code)) !== 'totp') throw wrongCode();
      const codes = recoveryCodes();
      const at = new Date(clock()).toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({
            totpEnabled: true,
            totpEnabledAt: at,
            totpRecoveryCodes: JSON.stringify(codes.hashed),
            updatedAt: at,
          })
          .where('id', '=', userId)
          .execute();
        await recordAccountChange(trx, user, {
          field: 'twoFactor',
          before: { enabled: false },
          after: { enabled: true },
          at,
        });
      });
      return { recoveryCodes: codes.plain };
    },

    /** Turn 2FA off: the password and a current code (or a recovery code) are both needed. */
    async disable(userId: string, password: string, code: string) {
      const user = await userOrThrow(userId);
      await checkPassword(user, password);
      if (!user.totpEnabled) throw conflict('Two-factor authentication is not on');
      if (!(await consume(userId, code))) throw wrongCode();
      const at = new Date(clock()).toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({
            totpEnabled: false,
            totpSecret: null,
            totpEnabledAt: null,
            totpLastStep: null,
            totpRecoveryCodes: '[]',
            updatedAt: at,
          })
          .where('id', '=', userId)
          .execute();
        await recordAccountChange(trx, user, {
          field: 'twoFactor',
          before: { enabled: true },
          after: { enabled: false },
          at,
        });
      });
    },

    /** Ten new recovery codes; the old ones stop working. */
    async regenerateRecoveryCodes(userId: string, password: string, code: string) {
      const user = await userOrThrow(userId);
      await checkPassword(user, password);
      if (!user.totpEnabled) throw conflict('Two-factor authentication is not on');
      if ((await consume(userId, code)) !== 'totp') throw wrongCode();
      const codes = recoveryCodes();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ totpRecoveryCodes: JSON.stringify(codes.hashed) })
          .where('id', '=', userId)
          .execute();
        // Only the fact of the renewal is kept, never the codes or their hashes.
        await recordAccountChange(trx, user, {
          field: 'recoveryCodes',
          before: { renewed: false },
          after: { renewed: true },
          at: new Date(clock()).toISOString(),
        });
      });
      return { recoveryCodes: codes.plain };
    },
  };
}
export type TwoFactorService = ReturnType<typeof twoFactorService>;
