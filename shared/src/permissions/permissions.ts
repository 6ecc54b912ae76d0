import { z } from 'zod';
import { type EventRole, eventRoles } from '../accounts/roles';

/**
 * Everything a person can be allowed to do inside one event.
 * The server checks these in one place (its `authorize` guard); the client uses them to show or hide screens.
 */
export const permissions = [
  'event.read',
  'event.manage',
  'rooms.manage',
  'sessions.manage',
  'sessions.run',
  'participants.read',
  'participants.manage',
  'staff.manage',
  'scans.create',
  'scans.read',
  'sales.create',
  'sales.read',
  'cashRegisters.manage',
  'items.manage',
  'leads.capture',
  'announcements.read',
  'announcements.manage',
  'questions.ask',
  'questions.moderate',
  'stats.read',
  'flags.read',
  'flags.resolve',
  'audit.read',
  'exports.read',
] as const;
export const permission = z.enum(permissions);
export type Permission = z.infer<typeof permission>;

const everyone: Permission[] = ['event.read', 'announcements.read'];

/** The default role → permission matrix. An organizer may narrow or widen it per event within `grantableByRole`. */
export const defaultPermissionsByRole: Record<EventRole, readonly Permission[]> = {
  organizer: permissions,
  room_manager: [
    ...everyone,
    'sessions.run',
    'participants.read',
    'scans.create',
    'scans.read',
    'questions.moderate',
    'stats.read',
  ],
  badge_controller: [...everyone, 'participants.read', 'scans.create', 'scans.read'],
  cashier: [...everyone, 'participants.read', 'participants.manage', 'sales.create', 'sales.read'],
  exhibitor: [...everyone, 'leads.capture'],
  participant: [...everyone, 'questions.ask'],
  committee: [...everyone, 'participants.read', 'stats.read', 'questions.moderate'],
};

/**
 * Safe bounds for per-event adjustments: a role can never be given more than this.
 * Nothing here can reach another event: every permission is scoped to the event of the membership.
 */
export const grantableByRole: Record<EventRole, readonly Permission[]> = {
  organizer: permissions,
  room_manager: permissions.filter((p) => !['event.manage', 'staff.manage', 'audit.read'].includes(p)),
  badge_controller: [...defaultPermissionsByRole.badge_controller, 'stats.read', 'sessions.run'],
  cashier: [...defaultPermissionsByRole.cashier, 'stats.read', 'exports.read'],
  exhibitor: [...defaultPermissionsByRole.exhibitor, 'participants.read'],
  participant: defaultPermissionsByRole.participant,
  committee: [...defaultPermissionsByRole.committee, 'exports.read', 'flags.read'],
};

export type PermissionOverrides = Partial<Record<EventRole, readonly Permission[]>>;

/**
 * Powers only an organizer holds, whatever an event adjusts: running the event and its settings,
 * choosing its staff (and so their permissions), reading the audit trail.
 */
export const organizerOnlyPermissions: readonly Permission[] = ['event.manage', 'staff.manage', 'audit.read'];

/** Roles whose permissions an organizer may adjust (the organizer's own stay whole: nobody gets locked out). */
export const adjustableRoles: readonly EventRole[] = eventRoles.filter((r) => r !== 'organizer');

export interface OverrideIssue {
  role: string;
  permission?: string;
  reason: string;
}

/**
 * Why an adjustment of one role is refused (empty when it is within the safe bounds): the organizer
 * cannot be adjusted, and a role can only hold what `grantableByRole` allows, which never includes an
 * organizer-only power. No permission reaches another event: each is checked against the event of
 * the caller's own membership.
 */
export function overrideIssues(role: EventRole, wanted: readonly Permission[]): OverrideIssue[] {
  if (!adjustableRoles.includes(role))
    return [{ role, reason: 'the organizer keeps every permission; adjust the other roles' }];
  const allowed = new Set(grantableByRole[role]);
  return wanted
    .filter((p) => !allowed.has(p))
    .map((p) => ({
      role,
      permission: p,
      reason: organizerOnlyPermissions.includes(p)
        ? `${p} is reserved to organizers`
        : `${p} is outside what a ${role} may be given in an event`,
    }));
}

/** The permissions a role holds in an event, after the event's overrides, clamped to the safe bounds. */
export function permissionsFor(role: EventRole, overrides: PermissionOverrides = {}): ReadonlySet<Permission> {
  const wanted = overrides[role] ?? defaultPermissionsByRole[role];
  const allowed = new Set(grantableByRole[role]);
  return new Set(wanted.filter((p) => allowed.has(p)));
}

export function can(role: EventRole, perm: Permission, overrides?: PermissionOverrides): boolean {
  return permissionsFor(role, overrides).has(perm);
}
