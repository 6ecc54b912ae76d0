import type { Selectable } from 'kysely';
import type { UsersTable } from '../db/schema';
import type { Executor } from '../sync/recordStore';

/**
 * Changes to an account (profile, password, two-factor) belong to no event, so they are written
 * to the audit trail with no event id: same append-only table, never a secret in before/after.
 */
export async function recordAccountChange(
  db: Executor,
  user: Pick<Selectable<UsersTable>, 'id' | 'email'>,
  change: {
    field: 'password' | 'twoFactor' | 'recoveryCodes' | 'profile';
    before: unknown;
    after: unknown;
    at: string;
    ip?: string;
  },
): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      eventId: null,
      actorKind: 'user',
      actorId: user.id,
      actorLabel: user.email ?? '',
      deviceId: null,
      via: 'rest',
      action: 'update',
      collection: `users.${change.field}`,
      recordId: user.id,
      before: JSON.stringify(change.before),
      after: JSON.stringify(change.after),
      occurredAt: change.at,
      ip: change.ip ?? '',
    })
    .execute();
}
