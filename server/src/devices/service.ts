import type { BadgeTrustRecord } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import type { EventAccess } from '../accounts/principal';
import type { DB, DevicesTable } from '../db/schema';
import { AppError, notFound } from '../http/errors';
import { audit, insertRecord, updateRecord, type WriteContext } from '../sync/recordStore';
import { deviceQueries, deviceRowId } from './queries';

export interface EnrollInput {
  deviceId: string;
  name: string;
  publicKey: string;
}

export interface EnrolledDevice {
  deviceId: string;
  name: string;
  keyId: string;
  publicKey: string;
  subjectKind: 'user' | 'cash_register';
  subjectId: string;
  enrolledAt: string;
  revoked: boolean;
  revokedAt: string | null;
}

/**
 * The key id a device key is published under: derived from the public key itself, so two keys can
 * never share an id (a shared id with two public keys is a `key_conflict` at every door), and the
 * device learns it from the enrollment reply.
 */
export function deviceKeyId(publicKey: string): string {
  return `dev-${publicKey.slice(0, 22)}`;
}

function shape(
  row: Pick<DevicesTable, 'name' | 'keyId' | 'publicKey' | 'subjectKind' | 'subjectId' | 'revokedAt'> & {
    id: string;
    enrolledAt: unknown;
  },
): EnrolledDevice {
  const deviceId = row.id.slice(row.id.indexOf('/') + 1);
  return {
    deviceId,
    name: row.name,
    keyId: row.keyId ?? '',
    publicKey: row.publicKey ?? '',
    subjectKind: row.subjectKind,
    subjectId: row.subjectId,
    enrolledAt: new Date(row.enrolledAt as string).toISOString(),
    revoked: row.revokedAt !== null,
    revokedAt: row.revokedAt === null ? null : new Date(row.revokedAt).toISOString(),
  };
}

function subjectOf(access: EventAccess): { subjectKind: 'user' | 'cash_register'; subjectId: string } {
  const p = access.principal;
  return p.kind === 'cash_register'
    ? { subjectKind: 'cash_register', subjectId: p.cashRegisterId }
    : { subjectKind: 'user', subjectId: p.userId };
}

/**
 * Device keys for badges issued offline. A cash desk tablet keeps its Ed25519 secret key and enrolls
 * the public key once, online; the key goes into the event's trust list (`badgeTrust`, owner
 * `device`), which every door downloads, so a walk-in badge the tablet signs later, offline, is
 * accepted at every door before any sync. An organizer can revoke the key: doors then refuse what
 * it signed.
 */
export function deviceService(db: Kysely<DB>) {
  return {
    async list(eventId: string): Promise<EnrolledDevice[]> {
      return (await deviceQueries(db).list(eventId)).map(shape);
    },

    /**
     * Idempotent per device: the same key again changes nothing (200). A new key for a known device
     * (its storage was wiped) is published too; the old one stays trusted for the badges it signed.
     * A revoked device cannot enroll again under the same id.
     */
    async enroll(
      access: EventAccess,
      write: WriteContext,
      input: EnrollInput,
    ): Promise<{ created: boolean; device: EnrolledDevice }> {
      return db.transaction().execute(async (trx) => {
        const q = deviceQueries(trx);
        const eventId = access.eventId;
        const keyId = deviceKeyId(input.publicKey);
        const existing = await q.find(eventId, input.deviceId, true);
        if (existing?.revokedAt) {
          throw new AppError(
            409,
            'device_revoked',
            'This device was revoked by the organizer; it can no longer sign badges. Ask the organizer, or use another device.',
          );
        }
        if (existing && existing.publicKey === input.publicKey) return { created: false, device: shape(existing) };

        const trusted = await q.trustRecords(eventId, input.deviceId);
        if (!trusted.some((t) => t.keyId === keyId)) {
          const taken = await trx
            .selectFrom('badgeTrust')
            .select('id')
            .where('eventId', '=', eventId)
            .where('keyId', '=', keyId)
            .where('deleted', '=', false)
            .executeTakeFirst();
          if (taken) throw new AppError(409, 'duplicate', 'This public key is already enrolled for another device');
          await insertRecord<BadgeTrustRecord>(
            trx,
            'badgeTrust',
            eventId,
            {
              kind: 'signing_key',
              keyId,
              keyOwner: 'device',
              deviceId: input.deviceId,
              publicKey: input.publicKey,
              badgeCode: '',
              participantId: null,
              revoked: false,
              reason: `Clé de l'appareil « ${input.name} »`.slice(0, 500),
            },
            write,
          );
        }
        const subject = subjectOf(access);
        const row = existing
          ? await trx
              .updateTable('devices')
              .set({
                name: input.name,
                keyId,
                publicKey: input.publicKey,
                ...subject,
                lastSeenAt: new Date().toISOString(),
              })
              .where('id', '=', existing.id)
              .returningAll()
              .executeTakeFirstOrThrow()
          : await trx
              .insertInto('devices')
              .values({
                id: deviceRowId(eventId, input.deviceId),
                eventId,
                name: input.name,
                keyId,
                publicKey: input.publicKey,
                revokedAt: null,
                ...subject,
              })
              .returningAll()
              .executeTakeFirstOrThrow();
        await audit(
          trx,
          'devices',
          eventId,
          existing ? 'update' : 'create',
          [{ id: input.deviceId, before: existing ? shape(existing) : null, after: shape(row) }],
          write,
        );
        return { created: true, device: shape(row) };
      });
    },

    /** Rename a device, or revoke its keys: every door stops trusting what they signed. */
    async update(
      access: EventAccess,
      write: WriteContext,
      deviceId: string,
      patch: { name?: string; revoked?: true; reason?: string },
    ): Promise<EnrolledDevice> {
      return db.transaction().execute(async (trx) => {
        const q = deviceQueries(trx);
        const eventId = access.eventId;
        const existing = await q.find(eventId, deviceId, true);
        if (!existing) throw notFound('Device');
        let row = existing;
        if (patch.name !== undefined || (patch.revoked && !existing.revokedAt)) {
          row = await trx
            .updateTable('devices')
            .set({
              ...(patch.name !== undefined ? { name: patch.name } : {}),
              ...(patch.revoked && !existing.revokedAt ? { revokedAt: new Date().toISOString() } : {}),
            })
            .where('id', '=', existing.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(
            trx,
            'devices',
            eventId,
            'update',
            [{ id: deviceId, before: shape(existing), after: shape(row) }],
            write,
          );
        }
        if (patch.revoked) {
          for (const t of await q.trustRecords(eventId, deviceId)) {
            if (t.revoked) continue;
            await updateRecord(
              trx,
              'badgeTrust',
              eventId,
              t.id,
              { revoked: true, reason: (patch.reason ?? 'Appareil révoqué par l’organisateur').slice(0, 500) },
              write,
            );
          }
        }
        return shape(row);
      });
    },
  };
}
