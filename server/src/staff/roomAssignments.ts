import {
  type RoomAssignmentRecord,
  roomAssignmentCreateInput,
  roomAssignmentRoles,
  roomAssignmentUpdateInput,
  slotsOverlap,
} from '@makeplus/shared';
import { AppError, invalidField } from '../http/errors';
import type { HookContext, ResourceSpec } from '../records/crud';
import { staffQueries } from './queries';

type Slot = Pick<RoomAssignmentRecord, 'userId' | 'roomId' | 'startsAt' | 'endsAt' | 'isActive'>;

/** The person must be active staff of this event in a role that works in rooms; the slot takes that role. */
async function roleOfAssignee(ctx: HookContext, userId: string, asked: unknown) {
  const member = await staffQueries(ctx.trx).findMembershipDetails(ctx.access.eventId, userId);
  if (!member?.isActive) throw invalidField('body.userId', 'not active staff of this event');
  const role = member.role as (typeof roomAssignmentRoles)[number];
  if (!roomAssignmentRoles.includes(role))
    throw invalidField(
      'body.userId',
      `a ${member.role} is not assigned to rooms (room managers and badge controllers are)`,
    );
  if (asked !== undefined && asked !== role) throw invalidField('body.role', `this person is ${role} in this event`);
  return role;
}

/** One person is in one room at a time: an active slot may not overlap another of theirs. */
async function refuseOverlap(ctx: HookContext, slot: Slot, exceptId?: string) {
  if (!slot.isActive) return;
  const others = await staffQueries(ctx.trx).activeAssignmentsOf(ctx.access.eventId, slot.userId, exceptId);
  const clash = others.find((o) => slotsOverlap(o, slot));
  if (clash)
    throw new AppError(409, 'overlap', 'This person already has a room at that time', [
      { field: 'body.startsAt', reason: `overlaps the slot ${clash.startsAt} – ${clash.endsAt} (${clash.id})` },
    ]);
}

/**
 * Room assignments: which room manager or badge controller works in which room, and when (the
 * original's RoomAssignment). Devices of those roles receive their own slots by sync.
 */
export function roomAssignmentResource(): ResourceSpec {
  return {
    collection: 'roomAssignments',
    path: 'room-assignments',
    tag: 'staff',
    label: 'Room assignment',
    createInput: roomAssignmentCreateInput,
    updateInput: roomAssignmentUpdateInput,
    readPermission: 'staff.manage',
    writePermission: 'staff.manage',
    filters: { userId: 'uuid', roomId: 'uuid', role: 'string', isActive: 'boolean' },
    sortable: ['startsAt', 'endsAt', 'role', 'createdAt', 'updatedAt'],
    defaultSort: 'startsAt',
    search: ['role'],
    references: { roomId: 'rooms' },
    hooks: {
      async beforeCreate(ctx, input) {
        const slot = input as unknown as Slot & { role?: string };
        const role = await roleOfAssignee(ctx, slot.userId, slot.role);
        await refuseOverlap(ctx, slot);
        return { ...input, role };
      },
      async beforeUpdate(ctx, current, patch) {
        const next = { ...current, ...patch } as unknown as Slot & { id: string };
        if (Date.parse(next.endsAt) <= Date.parse(next.startsAt))
          throw invalidField(patch.endsAt !== undefined ? 'body.endsAt' : 'body.startsAt', 'must be after startsAt');
        if (patch.isActive === true || patch.startsAt !== undefined || patch.endsAt !== undefined)
          await refuseOverlap(ctx, next, current.id);
        return patch;
      },
    },
  };
}
