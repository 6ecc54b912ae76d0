import { participantCreateInput, participantUpdateInput, signBadge } from '@makeplus/shared';
import type { Transaction } from 'kysely';
import type { Services } from '../app';
import { nativeBadgeSigner } from '../badges/nativeSigner';
import type { DB } from '../db/schema';
import { AppError } from '../http/errors';
import type { ResourceSpec } from '../records/crud';
import { participantQueries } from './queries';

/**
 * Participants: a person's registration in one event. A participant with an email is linked to
 * that person's account (created as a placeholder when new) and carries the person's permanent
 * badge; one without an email gets a badge of its own, signed by the server for this event.
 */
export function participantResource(services: Pick<Services, 'accounts' | 'badges'>): ResourceSpec {
  async function identity(
    trx: Transaction<DB>,
    eventId: string,
    participantId: string,
    input: Record<string, unknown>,
  ) {
    const email = String(input.email ?? '').toLowerCase();
    const firstName = String(input.firstName ?? '');
    const lastName = String(input.lastName ?? '');
    if (!email) {
      const key = await services.badges.activeKey();
      const badgeCode = signBadge(
        {
          p: participantId,
          e: eventId,
          n: `${firstName} ${lastName}`.trim().slice(0, 60),
          t: Math.floor(Date.now() / 1000),
        },
        key,
        nativeBadgeSigner,
      );
      return { userId: null, userLegacyId: 0, badgeCode, legacyBadgeId: '' };
    }
    const q = participantQueries(trx);
    let user = await q.findUserByEmail(email);
    if (!user) {
      user = await services.accounts.createUser(trx, {
        email,
        firstName,
        lastName,
        phone: String(input.phone ?? ''),
        passwordHash: null,
      });
    }
    if (await q.findParticipantOfUser(eventId, user.id)) {
      throw new AppError(409, 'duplicate', `${email} is already registered for this event`, [
        { field: 'body.email', reason: 'already registered' },
      ]);
    }
    return {
      userId: user.id,
      userLegacyId: user.legacyId,
      badgeCode: user.badgeCode ?? '',
      legacyBadgeId: user.legacyBadgeId,
    };
  }

  return {
    collection: 'participants',
    path: 'participants',
    tag: 'participants',
    label: 'Participant',
    createInput: participantCreateInput,
    updateInput: participantUpdateInput,
    readPermission: 'participants.read',
    writePermission: 'participants.manage',
    filters: { category: 'string', organization: 'string', source: 'string', userLegacyId: 'int' },
    sortable: ['lastName', 'firstName', 'email', 'organization', 'createdAt', 'updatedAt', 'legacyId'],
    defaultSort: 'lastName',
    search: 'tsvector',
    references: { allowedRoomIds: 'rooms' },
    hooks: {
      async beforeCreate(ctx, input) {
        const id = (input.id as string | undefined) ?? crypto.randomUUID();
        return { ...input, id, source: 'admin', ...(await identity(ctx.trx, ctx.access.eventId, id, input)) };
      },
      async beforeUpdate(ctx, current, patch) {
        if (typeof patch.email !== 'string') return patch;
        // A participant without an account gets linked once an email is known.
        if (!current.userId) {
          if (!patch.email) return patch;
          return { ...patch, ...(await identity(ctx.trx, ctx.access.eventId, current.id, { ...current, ...patch })) };
        }
        // A linked participant's email is its account's: changing it would hand the registration
        // (and its badge) to another person.
        if (patch.email.toLowerCase() !== String(current.email).toLowerCase()) {
          throw new AppError(
            409,
            'linked_account',
            `This participant is linked to the account ${String(current.email)}; delete it and register the other person instead`,
            [{ field: 'body.email', reason: 'belongs to the linked account' }],
          );
        }
        return patch;
      },
    },
  };
}
