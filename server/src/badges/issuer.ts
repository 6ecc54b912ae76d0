import { randomBytes } from 'node:crypto';
import { generateSigningKey, type SigningKeyPair, signBadge } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { type Executor, insertRecords, systemContext } from '../sync/recordStore';
import { nativeBadgeSigner } from './nativeSigner';

/**
 * The server's badge signing keys. Private keys stay in the database (shared by every instance);
 * public keys are published into each event's trust list (`badgeTrust`) so doors can verify offline.
 */
export function badgeIssuer(db: Kysely<DB>) {
  let active: SigningKeyPair | undefined;

  async function activeKey(): Promise<SigningKeyPair> {
    if (active) return active;
    const row = await db
      .selectFrom('serverKeys')
      .selectAll()
      .where('retiredAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .executeTakeFirst();
    if (row) {
      active = { keyId: row.id, secretKey: row.privateKey, publicKey: row.publicKey };
      return active;
    }
    return rotate();
  }

  /** Make a new active key, publish it to every event; older keys stay valid until revoked. */
  async function rotate(): Promise<SigningKeyPair> {
    const key = generateSigningKey(`S${randomBytes(4).toString('hex')}`);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('serverKeys')
        .values({ id: key.keyId, privateKey: key.secretKey, publicKey: key.publicKey, retiredAt: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const events = await trx.selectFrom('events').select('id').where('deleted', '=', false).execute();
      for (const e of events) await publishKeys(trx, e.id, [key]);
    });
    active = key;
    return key;
  }

  async function publishKeys(
    trx: Executor,
    eventId: string,
    keys: readonly Pick<SigningKeyPair, 'keyId' | 'publicKey'>[],
  ) {
    await insertRecords(
      trx,
      'badgeTrust',
      eventId,
      keys.map((k) => ({
        kind: 'signing_key',
        keyId: k.keyId,
        keyOwner: 'server',
        deviceId: null,
        publicKey: k.publicKey,
        badgeCode: '',
        participantId: null,
        revoked: false,
        reason: '',
      })),
      systemContext,
    );
  }

  return {
    activeKey,
    rotate,
    /** Publish every server key into a new event's trust list. */
    async publishServerKeysTo(trx: Executor, eventId: string) {
      await activeKey();
      const keys = await trx
        .selectFrom('serverKeys')
        .select(['id', 'publicKey'])
        .where('retiredAt', 'is', null)
        .execute();
      await publishKeys(
        trx,
        eventId,
        keys.map((k) => ({ keyId: k.id, publicKey: k.publicKey })),
      );
    },
    /** A person's permanent badge, valid in every event they attend. */
    async issuePersonBadge(personId: string, name: string): Promise<string> {
      const key = await activeKey();
      return signBadge({ p: personId, n: name.slice(0, 60), t: Math.floor(Date.now() / 1000) }, key, nativeBadgeSigner);
    },
  };
}
export type BadgeIssuer = ReturnType<typeof badgeIssuer>;
