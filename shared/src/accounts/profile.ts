import { z } from 'zod';

/**
 * What a person may change of their own account (PATCH /api/v1/auth/me, and the mobile app's
 * PATCH /api/auth/me/ with its own field names). The email is the login: it is not edited here.
 * At least one field; an empty first name is refused (the badge shows it).
 */
export const PROFILE_NAME_MAX = 150;
export const profileUpdateInput = z
  .strictObject({
    firstName: z.string().trim().min(1, 'may not be empty').max(PROFILE_NAME_MAX, 'too long').optional(),
    lastName: z.string().trim().max(PROFILE_NAME_MAX, 'too long').optional(),
    phone: z
      .string()
      .trim()
      .max(40, 'too long')
      .regex(/^[+\d][\d\s().-]*$|^$/, 'digits, spaces, dots, dashes and an optional leading +')
      .optional(),
    locale: z.enum(['fr', 'en']).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'nothing to change');
export type ProfileUpdate = z.infer<typeof profileUpdateInput>;
