import { z } from 'zod';
import { isoDateTime, recordId, syncMetaShape } from '../sync/record';
import { eventRole } from './roles';

/** A user's role in one event (the original's UserEventAssignment). One per user and event. */
export const membershipRecord = z.object({
  ...syncMetaShape,
  userId: recordId,
  role: eventRole,
  isActive: z.boolean(),
  legacyId: z.int().min(0),
  /** Room of a room manager (the original's `metadata.assigned_room_id`). */
  assignedRoomId: recordId.nullable(),
  /** Stand shared by an exhibitor's staff. */
  exhibitorId: recordId.nullable(),
  /** Display copy of the user, so staff lists work offline. */
  userEmail: z.string().max(254),
  userFirstName: z.string().max(150),
  userLastName: z.string().max(150),
  assignedBy: recordId.nullable(),
});
export type MembershipRecord = z.infer<typeof membershipRecord>;

export const membershipCreateInput = z
  .object({
    /** Existing user, or an email to invite (a placeholder account is created). */
    userId: recordId.optional(),
    email: z.email().max(254).optional(),
    firstName: z.string().trim().max(150).default(''),
    lastName: z.string().trim().max(150).default(''),
    role: eventRole,
    isActive: z.boolean().default(true),
    assignedRoomId: recordId.nullable().default(null),
    exhibitorId: recordId.nullable().default(null),
  })
  .refine((v) => v.userId || v.email, { message: 'userId or email is required', path: ['email'] });
export const membershipUpdateInput = z.object({
  role: eventRole.optional(),
  isActive: z.boolean().optional(),
  assignedRoomId: recordId.nullable().optional(),
  exhibitorId: recordId.nullable().optional(),
  rev: z.int().min(1).optional(),
});

/** A staff member's time slot in a room (the original's RoomAssignment). */
export const roomAssignmentRecord = z.object({
  ...syncMetaShape,
  userId: recordId,
  roomId: recordId,
  role: z.enum(['room_manager', 'badge_controller']),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  isActive: z.boolean(),
  legacyId: z.int().min(0),
});
export type RoomAssignmentRecord = z.infer<typeof roomAssignmentRecord>;

export const roomAssignmentRoles = ['room_manager', 'badge_controller'] as const;
const roomAssignmentFields = {
  userId: recordId,
  roomId: recordId,
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  isActive: z.boolean().default(true),
};
const endsAfterStart = (v: { startsAt?: string | undefined; endsAt?: string | undefined }) =>
  !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);

/** A time slot for a staff member in a room; the role is the person's role in the event. */
export const roomAssignmentCreateInput = z
  .object({ ...roomAssignmentFields, role: z.enum(roomAssignmentRoles).optional() })
  .refine(endsAfterStart, { message: 'must be after startsAt', path: ['endsAt'] });
/** Move a slot, change its room, or deactivate it. The person stays the same (delete and create instead). */
export const roomAssignmentUpdateInput = z
  .object({
    roomId: recordId.optional(),
    startsAt: isoDateTime.optional(),
    endsAt: isoDateTime.optional(),
    isActive: z.boolean().optional(),
    rev: z.int().min(1).optional(),
  })
  .refine(endsAfterStart, { message: 'must be after startsAt', path: ['endsAt'] });

/** Is a slot in progress at `at` (ms)? */
export function assignmentIsCurrent(a: Pick<RoomAssignmentRecord, 'startsAt' | 'endsAt' | 'isActive'>, at: number) {
  return a.isActive && Date.parse(a.startsAt) <= at && at < Date.parse(a.endsAt);
}

/** Do two slots of one person overlap in time (touching ends do not)? */
export function slotsOverlap(a: { startsAt: string; endsAt: string }, b: { startsAt: string; endsAt: string }) {
  return Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);
}
