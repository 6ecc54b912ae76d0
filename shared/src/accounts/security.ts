import { z } from 'zod';
import { type EventRole, eventRole, staffRoles } from './roles';

/**
 * Account security shapes both sides read: the sign-in's second step, login history, signed-in
 * devices, and an event's two-factor policy (which staff roles must have 2FA on before they get a
 * token for the event; kept in `events.settings.twoFactorRequiredRoles`).
 */
export const twoFactorChallenge = z.object({
  twoFactorRequired: z.literal(true),
  challengeToken: z.string(),
  expiresIn: z.int(),
});
export type TwoFactorChallenge = z.infer<typeof twoFactorChallenge>;

export const twoFactorLoginInput = z.object({
  challengeToken: z.string().min(10).max(2000),
  /** A 6-digit code from the authenticator app, or one of the recovery codes. */
  code: z.string().trim().min(6).max(20),
});

export const twoFactorCodeInput = z.object({ code: z.string().trim().min(6).max(20) });
export const passwordAndCodeInput = z.object({
  password: z.string().min(1).max(200),
  code: z.string().trim().min(6).max(20),
});
export const passwordInput = z.object({ password: z.string().min(1).max(200) });

export const loginHistoryEntry = z.object({
  at: z.string(),
  email: z.string(),
  subjectKind: z.enum(['user', 'cash_register']),
  subjectId: z.string().nullable(),
  ip: z.string(),
  userAgent: z.string(),
  success: z.boolean(),
  reason: z.string(),
});
export type LoginHistoryEntry = z.infer<typeof loginHistoryEntry>;

export const deviceSession = z.object({
  /** The refresh-token family: one per sign-in on one device, kept across refreshes. */
  id: z.string(),
  signedInAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  ip: z.string(),
  userAgent: z.string(),
  eventId: z.string().nullable(),
  current: z.boolean(),
});
export type DeviceSession = z.infer<typeof deviceSession>;

export const twoFactorStatus = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  pendingSetup: z.boolean(),
  recoveryCodesLeft: z.int(),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatus>;

export const twoFactorRequirableRoles: readonly EventRole[] = staffRoles;
export const twoFactorPolicy = z.object({
  requiredRoles: z
    .array(eventRole.refine((r) => r !== 'participant', 'participants are never required to use 2FA'))
    .max(staffRoles.length)
    .transform((roles) => [...new Set(roles)]),
});
export type TwoFactorPolicy = z.infer<typeof twoFactorPolicy>;

/** The staff roles an event requires 2FA of, read from its settings (unknown values ignored). */
export function twoFactorRequiredRoles(settings: unknown): EventRole[] {
  const raw = (settings as { twoFactorRequiredRoles?: unknown } | null | undefined)?.twoFactorRequiredRoles;
  if (!Array.isArray(raw)) return [];
  return staffRoles.filter((r) => raw.includes(r));
}

/** Whether a person in `role` must turn 2FA on before entering the event. */
export function mustEnrolTwoFactor(settings: unknown, role: EventRole, totpEnabled: boolean): boolean {
  return !totpEnabled && role !== 'participant' && twoFactorRequiredRoles(settings).includes(role);
}
