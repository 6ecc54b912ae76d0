import { z } from 'zod';
import { isoDateTime, recordId } from '../sync/record';

/** Password rules: long enough, with a digit, and not a well-known weak password. */
export const PASSWORD_MIN_LENGTH = 10;
const WEAK_PASSWORDS = new Set([
  'password123',
  'motdepasse1',
  '1234567890',
  'azerty1234',
  'qwerty1234',
  'password1234',
  'makeplus123',
  'admin12345',
  '0123456789',
  'iloveyou123',
]);
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200)
  .refine((p) => /\d/.test(p), 'at least one digit')
  .refine((p) => !WEAK_PASSWORDS.has(p.toLowerCase()), 'too common, choose another');

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254));

export const userPublic = z.object({
  id: recordId,
  legacyId: z.int().min(1),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string(),
  locale: z.enum(['fr', 'en']),
  badgeCode: z.string(),
  legacyBadgeId: z.string(),
  totpEnabled: z.boolean(),
  isPlatformAdmin: z.boolean(),
  createdAt: isoDateTime,
});
export type UserPublic = z.infer<typeof userPublic>;

export const registerInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  firstName: z.string().trim().min(1).max(150),
  lastName: z.string().trim().max(150).default(''),
  locale: z.enum(['fr', 'en']).default('fr'),
  /**
   * The token of the invitation link (staff invitation or "a link was sent to you" mail): needed to
   * claim an account that is waiting for this email (made by an invitation or a participant import).
   */
  invitation: z.string().trim().min(10).max(2000).optional(),
});
export const loginInput = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
  totpCode: z.string().trim().max(20).optional(),
  deviceName: z.string().max(100).optional(),
});
export const refreshInput = z.object({ refreshToken: z.string().min(10).max(2000) });
export const changePasswordInput = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});
export const selectEventInput = z.object({ eventId: recordId });
