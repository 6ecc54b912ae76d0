import {
  type CollectionName,
  type ParticipantRecord,
  type ScanRecord,
  type SessionRecord,
  stableId,
} from '@makeplus/shared';
import type { Transaction } from 'kysely';
import { syncSessionItem } from '../cashDesk/sessionItems';
import type { DB } from '../db/schema';
import { insertRecords, type WriteContext } from './recordStore';
import type { SyncCaller } from './scope';

type Trx = Transaction<DB>;
type Doc = Record<string, unknown> & { id: string; rev: number };

/**
 * What the server derives when documents arrive from devices, inside the push's transaction:
 * entitlements from sales, transaction status from cancellations, reconciliation flags for what
 * only shows once offline devices meet, payable items of paid sessions.
 */
export interface SyncHooks {
  beforeInsert?: Partial<
    Record<
      CollectionName,
      (trx: Trx, doc: Record<string, unknown>, caller: SyncCaller) => Promise<Record<string, unknown>>
    >
  >;
  afterFacts?: Partial<
    Record<CollectionName, (trx: Trx, inserted: Doc[], caller: SyncCaller, ctx: WriteContext) => Promise<void>>
  >;
  afterEdits?: Partial<
    Record<
      CollectionName,
      (trx: Trx, written: { record: Doc; before: Doc | null }[], caller: SyncCaller, ctx: WriteContext) => Promise<void>
    >
  >;
}

/** Deterministic flag ids make re-deriving idempotent: the same incident is flagged once. */
export async function raiseFlags(
  trx: Trx,
  eventId: string,
  flags: Record<string, unknown>[],
  ctx: WriteContext,
): Promise<void> {
  if (flags.length) await insertRecords(trx, 'reconciliationFlags', eventId, flags, ctx, { onConflictDoNothing: true });
}

export const syncHooks: SyncHooks = {
  beforeInsert: {
    // A walk-in registered on a cash desk is linked to the person's account when the email is known
    // and that person is not yet registered here (otherwise it stays a separate registration).
    async participants(trx, doc) {
      const p = doc as Partial<ParticipantRecord>;
      if (p.userId || !p.email) return doc;
      const user = await trx
        .selectFrom('users')
        .select(['id', 'legacyId', 'legacyBadgeId'])
        .where('email', '=', p.email.toLowerCase())
        .executeTakeFirst();
      if (!user) return doc;
      const taken = await trx
        .selectFrom('participants')
        .select('id')
        .where('eventId', '=', p.eventId as string)
        .where('userId', '=', user.id)
        .where('deleted', '=', false)
        .executeTakeFirst();
      if (taken) return doc;
      return { ...doc, userId: user.id, userLegacyId: user.legacyId, legacyBadgeId: user.legacyBadgeId };
    },
  },
  afterFacts: {
    // Admitted on a signature alone: an organizer reviews the badge after sync.
    async scans(trx, inserted, caller, ctx) {
      const offline = (inserted as unknown as ScanRecord[]).filter((s) => s.issuedOffline && s.granted);
      await raiseFlags(
        trx,
        caller.access.eventId,
        offline.map((s) => ({
          id: flagId('offline_badge', s.id),
          kind: 'offline_badge',
          status: 'open',
          subjectCollection: 'scans',
          subjectId: s.id,
          summary: 'Badge admitted on its signature alone (not yet known to the door)',
          details: {
            scanId: s.id,
            badgeCode: s.badgeCode,
            roomId: s.roomId,
            deviceId: s.deviceId,
            occurredAt: s.occurredAt,
          },
          resolution: null,
          resolvedBy: null,
          resolvedAt: null,
          deviceId: s.deviceId,
          occurredAt: s.occurredAt,
          receivedAt: new Date().toISOString(),
        })),
        ctx,
      );
    },
  },
  afterEdits: {
    async sessions(trx, written, _caller, ctx) {
      for (const w of written) await syncSessionItem(trx, w.record as unknown as SessionRecord, ctx);
    },
  },
};

/** One flag per incident: its id derives from the incident's key. */
export function flagId(kind: string, key: string): string {
  return stableId('flag', kind, key);
}
