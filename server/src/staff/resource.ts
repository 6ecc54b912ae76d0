import { type EventRole, membershipCreateInput, membershipUpdateInput } from '@makeplus/shared';
import type { Services } from '../app';
import { AppError, invalidField } from '../http/errors';
import type { HookContext, ResourceSpec } from '../records/crud';
import { type InvitationDeps, sendInvitation } from './invitation';
import { staffQueries } from './queries';

/**
 * Refuse a change that would leave the event without an active organizer. The organizers' rows
 * stay locked until commit, so two organizers demoting each other at once cannot both succeed.
 */
async function keepAnOrganizer(ctx: HookContext, current: Record<string, unknown>) {
  if (current.role !== 'organizer' || current.isActive !== true) return;
  if ((await staffQueries(ctx.trx).lockActiveOrganizers(ctx.access.eventId)).length <= 1) {
    throw new AppError(409, 'last_organizer', 'An event needs at least one active organizer; appoint another first');
  }
}

/**
 * Staff: a person's role in an event (memberships). Inviting by email creates a placeholder
 * account that its owner claims by registering with the same email; either way the person is told
 * by mail (when the app was given a mailer).
 */
export function membershipResource(services: Pick<Services, 'accounts'>, invitation?: InvitationDeps): ResourceSpec {
  return {
    collection: 'memberships',
    path: 'memberships',
    tag: 'staff',
    label: 'Membership',
    createInput: membershipCreateInput,
    updateInput: membershipUpdateInput,
    readPermission: 'staff.manage',
    writePermission: 'staff.manage',
    filters: { role: 'string', isActive: 'boolean', userId: 'uuid', assignedRoomId: 'uuid' },
    sortable: ['userLastName', 'userEmail', 'role', 'createdAt', 'updatedAt'],
    defaultSort: 'userLastName',
    search: ['userEmail', 'userFirstName', 'userLastName'],
    references: { assignedRoomId: 'rooms', exhibitorId: 'exhibitors' },
    hooks: {
      async beforeCreate(ctx, input) {
        const q = staffQueries(ctx.trx);
        let user = input.userId ? await q.findUserById(String(input.userId)) : undefined;
        if (input.userId && !user) throw invalidField('body.userId', 'no such user');
        if (!user && input.email) {
          user =
            (await q.findUserByEmail(String(input.email))) ??
            (await services.accounts.createUser(ctx.trx, {
              email: String(input.email),
              firstName: String(input.firstName ?? ''),
              lastName: String(input.lastName ?? ''),
              passwordHash: null,
            }));
        }
        if (!user) throw invalidField('body.email', 'userId or email is required');
        if (await q.findMembership(ctx.access.eventId, user.id)) {
          throw new AppError(409, 'duplicate', `${user.email} already has a role in this event`, [
            { field: input.userId ? 'body.userId' : 'body.email', reason: 'already a member' },
          ]);
        }
        const { email: _e, firstName: _f, lastName: _l, ...rest } = input;
        return {
          ...rest,
          userId: user.id,
          userEmail: user.email,
          userFirstName: user.firstName,
          userLastName: user.lastName,
          assignedBy: ctx.access.principal.kind === 'user' ? ctx.access.principal.userId : null,
        };
      },
      async beforeUpdate(ctx, current, patch) {
        const demotes = (patch.role !== undefined && patch.role !== 'organizer') || patch.isActive === false;
        if (demotes) await keepAnOrganizer(ctx, current);
        return patch;
      },
      async beforeDelete(ctx, current) {
        await keepAnOrganizer(ctx, current);
      },
      async afterCreateCommitted(access, record) {
        if (!invitation) return;
        await sendInvitation(invitation, access.eventId, {
          userId: String(record.userId),
          userEmail: String(record.userEmail),
          role: record.role as EventRole,
        });
      },
    },
  };
}
