import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { emailSchema } from '@makeplus/shared';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordAccountChange } from '../../accounts/accountAudit';
import { strongPasswordField } from '../../accounts/passwordPolicy';
import { hashPassword } from '../../accounts/passwords';
import { accountQueries } from '../../accounts/queries';
import { type AuthRateLimits, authRateLimitHooks, bodyEmail } from '../../accounts/rateLimits';
import type { Services } from '../../app';
import type { Mailer } from '../../mail/mailer';
import { qrCodePayload } from '../context';
import { LegacyError } from '../http';
import type { LegacyQueries, VerificationCodesTable } from '../queries';
import { userBrief } from '../serializers';

/** As the original: a 6-digit code, valid 3 minutes, one resend per 3 minutes. */
const CODE_TTL_MS = 3 * 60_000;
const RESEND_COOLDOWN_MS = 3 * 60_000;
const MAX_ATTEMPTS = 5;

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const fail = (status: number, message: string, extra: Record<string, unknown> = {}) =>
  new LegacyError(status, { success: false, message, ...extra });

/** `{success:false, message}` bodies for every validation failure of these views. */
function parseFlat<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const messages = r.error.issues.map((i) => {
    const field = i.path.map(String).join('.');
    const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
    return field ? `${field}: ${missing ? 'This field is required.' : i.message}` : i.message;
  });
  throw fail(400, messages.join(' '));
}

const email = z.string({ error: 'This field is required.' }).max(254).pipe(emailSchema);
const newPassword = strongPasswordField;
const name = z.string({ error: 'This field is required.' }).trim().min(1, 'This field may not be blank.').max(150);
const signupBody = z.object({ email, first_name: name, last_name: name, password: newPassword });
const resetBody = z.object({ email, new_password: newPassword });
const verifyBody = z.object({ email, code: z.string({ error: 'This field is required.' }).trim().max(12) });

/**
 * The app's own signup and password reset with emailed codes (contract §3.7). These views ignore a
 * stale bearer token, as the original's did. The code travels only by email (see server/src/mail).
 */
export function signupRoutes(services: Services, q: LegacyQueries, mailer: Mailer, limits: AuthRateLimits) {
  const accountsSql = accountQueries(services.db);

  async function sendCode(
    purpose: VerificationCodesTable['purpose'],
    to: string,
    payload: Record<string, unknown>,
    options: { resend: boolean },
  ) {
    const existing = await q.verificationCode(purpose, to);
    if (options.resend && existing) {
      const wait = Date.parse(existing.sentAt) + RESEND_COOLDOWN_MS - Date.now();
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw fail(400, `Veuillez patienter ${seconds} secondes avant de renvoyer un code.`, { wait_seconds: seconds });
      }
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = Date.now();
    await q.putVerificationCode({
      purpose,
      email: to,
      codeHash: sha256(code),
      payload,
      sentAt: new Date(now).toISOString(),
      expiresAt: new Date(now + CODE_TTL_MS).toISOString(),
    });
    const what = purpose === 'signup' ? 'la création de votre compte' : 'la réinitialisation de votre mot de passe';
    await mailer.send({
      to,
      subject: `MakePlus : votre code de vérification ${code}`,
      text: `Votre code pour ${what} est ${code}. Il expire dans 3 minutes.\n\nYour MakePlus verification code is ${code}. It expires in 3 minutes.`,
    });
  }

  /** Check a code; on success returns the stored payload (the row is consumed by the caller). */
  async function checkCode(purpose: VerificationCodesTable['purpose'], to: string, code: string) {
    const row = await q.verificationCode(purpose, to);
    if (!row || Date.parse(row.expiresAt) < Date.now() || row.attempts >= MAX_ATTEMPTS)
      throw fail(400, 'Code invalide ou expiré');
    const a = Buffer.from(sha256(code));
    const b = Buffer.from(row.codeHash);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      await q.countVerificationAttempt(purpose, to);
      throw fail(400, 'Code invalide ou expiré');
    }
    return row.payload as Record<string, unknown>;
  }

  return async (app: FastifyInstance) => {
    const signupRequest = (resend: boolean) => async (request: { body: unknown }) => {
      const body = parseFlat(signupBody, request.body);
      const existing = await q.userByEmail(body.email);
      if (existing?.passwordHash) throw fail(400, 'Cet email est déjà utilisé par un compte existant');
      await sendCode(
        'signup',
        body.email,
        { firstName: body.first_name, lastName: body.last_name, passwordHash: await hashPassword(body.password) },
        { resend },
      );
      return { success: true, message: 'Code de vérification envoyé à votre email', email: body.email };
    };
    app.post('/auth/signup/request', signupRequest(false));
    app.post('/auth/signup/resend', signupRequest(true));

    app.post('/auth/signup/verify', async (request, reply) => {
      const body = parseFlat(verifyBody, request.body);
      const payload = await checkCode('signup', body.email, body.code);
      const firstName = String(payload.firstName ?? '');
      const lastName = String(payload.lastName ?? '');
      const passwordHash = String(payload.passwordHash ?? '');
      const user = await services.db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('users').selectAll().where('email', '=', body.email).executeTakeFirst();
        if (existing?.passwordHash) throw fail(400, 'Cet email est déjà utilisé par un compte existant');
        await q.deleteVerificationCode('signup', body.email, trx);
        // A placeholder account (registered by staff, no password yet) is claimed by its owner.
        if (existing) return q.updateUser(existing.id, { firstName, lastName, passwordHash, isActive: true }, trx);
        return services.accounts.createUser(trx, { email: body.email, firstName, lastName, passwordHash });
      });
      // No event claim: the app sends the new account to the login screen.
      const pair = await services.tokens.issue({
        kind: 'user',
        subjectId: user.id,
        userLegacyId: user.legacyId,
        eventId: null,
        ip: request.ip,
        userAgent: String(request.headers['user-agent'] ?? ''),
      });
      return reply.status(201).send({
        success: true,
        message: 'Account created successfully',
        access: pair.access,
        refresh: pair.refresh,
        user: userBrief(user),
        qr_code: await qrCodePayload(services, q, user, null),
      });
    });

    const resetRequest = (resend: boolean) => async (request: { body: unknown }) => {
      const body = parseFlat(resetBody, request.body);
      const user = await q.userByEmail(body.email);
      if (!user?.passwordHash || !user.isActive) throw fail(400, 'Aucun compte trouvé avec cet email');
      await sendCode('password_reset', body.email, { passwordHash: await hashPassword(body.new_password) }, { resend });
      return { success: true, message: 'Code de vérification envoyé à votre email' };
    };
    // Password reset is a way in: the same per-IP and per-account budgets as sign-in.
    const resetLimits = { preHandler: authRateLimitHooks(app, limits, 'password-reset', bodyEmail) };
    app.post('/auth/password-reset/request', resetLimits, resetRequest(false));
    app.post('/auth/password-reset/resend', resetLimits, resetRequest(true));

    app.post('/auth/password-reset/verify', resetLimits, async (request) => {
      const body = parseFlat(verifyBody, request.body);
      const payload = await checkCode('password_reset', body.email, body.code);
      const user = await q.userByEmail(body.email);
      if (!user?.passwordHash) throw fail(400, 'Aucun compte trouvé avec cet email');
      await services.db.transaction().execute(async (trx) => {
        await q.updateUser(user.id, { passwordHash: String(payload.passwordHash ?? '') }, trx);
        await q.deleteVerificationCode('password_reset', body.email, trx);
        await recordAccountChange(trx, user, {
          field: 'password',
          before: { changed: false },
          after: { changed: true, via: 'mobile password reset' },
          at: new Date().toISOString(),
          ip: request.ip,
        });
      });
      // Whoever knew the old password is signed out everywhere.
      await accountsSql.revokeAllOfSubject(user.id, 'password reset');
      return { success: true, message: 'Mot de passe réinitialisé avec succès' };
    });
  };
}
