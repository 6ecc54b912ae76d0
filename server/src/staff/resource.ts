import { membershipCreateInput, membershipUpdateInput } from '@makeplus/shared';
import type { Services } from '../app';
import { AppError, invalidField, notFound } from '../http/errors';
import type { ResourceSpec } from '../records/crud';
import { staffQueries } from './queries';

/**
 * Staff: a person's role in an event (memberships). Inviting by email creates a placeholder
 * account that its owner claims by registering with the same email.
 */
export function membershipResource(services: Pick<Services, 'accounts'>): ResourceSpec {
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
        if (input.userId && !user) throw invalidField('userId', 'no such user');
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
        if (!user) throw invalidField('email', 'userId or email is required');
        if (await q.findMembership(ctx.access.eventId, user.id)) {
          throw new AppError(409, 'duplicate', `${user.email} already has a role in this event`, [
            { field: 'email', reason: 'already a member' },
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
        const demotes =
          current.role === 'organizer' && ((patch.role && patch.role !== 'organizer') || patch.isActive === false);
        if (demotes && (await staffQueries(ctx.trx).countOrganizers(ctx.access.eventId)) <= 1) {
          throw new AppError(409, 'last_organizer', 'An event needs at least one active organizer');
        }
        return patch;
      },
      async beforeDelete(ctx, current) {
        if (current.role === 'organizer' && (await staffQueries(ctx.trx).countOrganizers(ctx.access.eventId)) <= 1) {
          throw new AppError(409, 'last_organizer', 'An event needs at least one active organizer');
        }
        if (!current) throw notFound('Membership');
      },
    },
  };
}
