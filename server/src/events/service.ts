import { type EventCreateInput, type EventRecord, newId } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import type { EventAccess, Principal } from '../accounts/principal';
import type { BadgeIssuer } from '../badges/issuer';
import type { DB } from '../db/schema';
import { AppError, forbidden, invalidField, notFound } from '../http/errors';
import { findRecord, insertRecord, softDeleteRecord, updateRecord, type WriteContext } from '../sync/recordStore';
import { type EventListOptions, eventQueries } from './queries';

export function eventService(db: Kysely<DB>, badges: BadgeIssuer) {
  const queries = eventQueries(db);

  async function userOf(principal: Principal) {
    if (principal.kind !== 'user') throw forbidden('A cash register cannot create events');
    const user = await db.selectFrom('users').selectAll().where('id', '=', principal.userId).executeTakeFirst();
    if (!user) throw notFound('User');
    return user;
  }

  /** Platform admins and people who already organise an event may create events. */
  async function assertMayCreate(principal: Principal) {
    const user = await userOf(principal);
    if (!user.isPlatformAdmin && !(await queries.isOrganizerSomewhere(user.id))) {
      throw forbidden('Only organizers can create events; ask an administrator (admin CLI: grant-organizer)');
    }
    return user;
  }

  return {
    assertMayCreate,

    /** Events where the caller is active staff, with its role in each. */
    listForUser(userId: string, options: EventListOptions) {
      return queries.eventsOfUser(userId, options);
    },

    get(eventId: string) {
      return findRecord<EventRecord>(db, 'events', eventId, eventId).then((e) => {
        if (!e) throw notFound('Event');
        return e;
      });
    },

    /**
     * Create an event; its creator becomes its organizer. Allowed to platform admins and to
     * people who already organise an event (new organisers are created with the admin CLI).
     */
    async create(
      principal: Principal,
      input: EventCreateInput,
      write: WriteContext,
      options: { skipOrganizerCheck?: boolean; id?: string } = {},
    ): Promise<EventRecord> {
      const user = options.skipOrganizerCheck ? await userOf(principal) : await assertMayCreate(principal);
      const id = options.id ?? newId();
      return db.transaction().execute(async (trx) => {
        // An event re-created with its old id (the demo after a reset) keeps counting from where its
        // change sequence was, so devices holding a checkpoint still receive every new record.
        await trx
          .insertInto('eventSyncState')
          .values({ eventId: id, lastSeq: 0 })
          .onConflict((oc) => oc.column('eventId').doNothing())
          .execute();
        const event = await insertRecord<EventRecord>(trx, 'events', id, { ...input, id, createdBy: user.id }, write);
        await insertRecord(
          trx,
          'memberships',
          id,
          {
            userId: user.id,
            role: 'organizer',
            isActive: true,
            assignedRoomId: null,
            exhibitorId: null,
            userEmail: user.email,
            userFirstName: user.firstName,
            userLastName: user.lastName,
            assignedBy: user.id,
          },
          write,
        );
        await badges.publishServerKeysTo(trx, id);
        return event;
      });
    },

    async update(access: EventAccess, patch: Record<string, unknown>, write: WriteContext): Promise<EventRecord> {
      const { rev, ...fields } = patch;
      return db.transaction().execute(async (trx) => {
        const current = await findRecord<EventRecord>(trx, 'events', access.eventId, access.eventId, {
          forUpdate: true,
        });
        if (!current) throw notFound('Event');
        // The body alone is checked by its schema; one date against the stored other is checked here.
        const startsAt = (fields.startsAt as string | undefined) ?? current.startsAt;
        const endsAt = (fields.endsAt as string | undefined) ?? current.endsAt;
        if (Date.parse(endsAt) <= Date.parse(startsAt)) throw invalidField('body.endsAt', 'must be after startsAt');
        return updateRecord<EventRecord>(
          trx,
          'events',
          access.eventId,
          access.eventId,
          fields,
          write,
          rev as number | undefined,
        );
      });
    },

    /** Refused while sales exist, unless the event is archived (completed or cancelled). */
    async remove(access: EventAccess, write: WriteContext, rev?: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const event = await findRecord<EventRecord>(trx, 'events', access.eventId, access.eventId, { forUpdate: true });
        if (!event) throw notFound('Event');
        const sales = await queries.countSales(access.eventId, trx);
        if (sales > 0 && event.status !== 'completed' && event.status !== 'cancelled') {
          throw new AppError(
            409,
            'has_sales',
            `This event has ${sales} sale(s); mark it completed or cancelled before deleting it`,
          );
        }
        await softDeleteRecord(trx, 'events', access.eventId, access.eventId, write, rev);
      });
    },
  };
}
export type EventService = ReturnType<typeof eventService>;
