import { passwordSchema } from '@makeplus/shared';
import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';

/**
 * The server's password policy: the shared rules (length, a digit, a few French weak ones the
 * device also checks) plus zxcvbn-ts's list of ~49,000 most common passwords, kept on the server
 * only (too large for the app). Applied on sign-up, change, reset and by the admin CLI.
 */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  // "password1234" and "Password2026!" are a common word with digits or a symbol stuck on.
  return COMMON.has(p) || COMMON.has(p.replace(/[\d\W_]+$/, ''));
}

export const TOO_COMMON = 'too common, choose another';

export const strongPasswordSchema = passwordSchema.refine((p) => !isCommonPassword(p), TOO_COMMON);
export const strongPasswordField = z.string({ error: 'This field is required.' }).pipe(strongPasswordSchema);
