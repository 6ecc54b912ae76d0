import {
  roomCreateInput,
  roomUpdateInput,
  type SessionRecord,
  sessionCreateInput,
  sessionUpdateInput,
} from '@makeplus/shared';
import { syncSessionItem } from '../cashDesk/sessionItems';
import { AppError, invalidField } from '../http/errors';
import type { HookContext, ResourceSpec } from '../records/crud';
import { roomQueries } from './queries';

/** Room names are unique in an event, ignoring case: say so before the database index does. */
async function assertNameFree(ctx: HookContext, name: string, exceptId?: string) {
  const taken = await roomQueries(ctx.trx).findRoomNamed(ctx.access.eventId, name, exceptId);
  if (taken) {
    throw new AppError(409, 'duplicate', `A room named "${taken.name}" already exists in this event`, [
      { field: 'body.name', reason: 'already used by another room of this event' },
    ]);
  }
}

export function roomResource(): ResourceSpec {
  return {
    collection: 'rooms',
    path: 'rooms',
    tag: 'rooms',
    label: 'Room',
    createInput: roomCreateInput,
    updateInput: roomUpdateInput,
    readPermission: 'event.read',
    writePermission: 'rooms.manage',
    filters: { isActive: 'boolean' },
    sortable: ['name', 'capacity', 'createdAt', 'updatedAt'],
    defaultSort: 'name',
    search: ['name', 'location', 'description'],
    hooks: {
      async beforeCreate(ctx, input) {
        await assertNameFree(ctx, String(input.name));
        return input;
      },
      async beforeUpdate(ctx, current, patch) {
        if (typeof patch.name === 'string') await assertNameFree(ctx, patch.name, current.id);
        return patch;
      },
      async beforeDelete(ctx, room) {
        const sessions = await roomQueries(ctx.trx).countLiveSessions(ctx.access.eventId, room.id);
        if (sessions > 0)
          throw new AppError(
            409,
            'has_sessions',
            `This room still has ${sessions} session(s); move or delete them first`,
          );
      },
    },
  };
}

export function sessionResource(): ResourceSpec {
  return {
    collection: 'sessions',
    path: 'sessions',
    tag: 'sessions',
    label: 'Session',
    createInput: sessionCreateInput,
    updateInput: sessionUpdateInput,
    readPermission: 'event.read',
    writePermission: 'sessions.manage',
    filters: { roomId: 'uuid', status: 'string', sessionType: 'string', isPaid: 'boolean', theme: 'string' },
    sortable: ['startsAt', 'endsAt', 'title', 'createdAt', 'updatedAt', 'sortOrder'],
    defaultSort: 'startsAt',
    search: ['title', 'speakerName', 'description', 'theme'],
    references: { roomId: 'rooms' },
    hooks: {
      async beforeUpdate(_ctx, current, patch) {
        const startsAt = (patch.startsAt as string | undefined) ?? (current.startsAt as string);
        const endsAt = (patch.endsAt as string | undefined) ?? (current.endsAt as string);
        if (Date.parse(endsAt) <= Date.parse(startsAt)) throw invalidField('body.endsAt', 'must be after startsAt');
        const isPaid = (patch.isPaid as boolean | undefined) ?? (current.isPaid as boolean);
        const price = (patch.priceMinor as number | undefined) ?? (current.priceMinor as number);
        if (isPaid && price <= 0) throw invalidField('body.priceMinor', 'a paid session needs a price above 0');
        return patch;
      },
      // A paid session is sold through a payable item that mirrors it (name, price, active).
      async afterWrite(ctx, session) {
        await syncSessionItem(ctx.trx, session as unknown as SessionRecord, ctx.write);
      },
    },
  };
}
