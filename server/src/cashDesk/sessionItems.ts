import type { PayableItemRecord, SessionRecord } from '@makeplus/shared';
import { type Executor, insertRecord, toRecord, updateRecord, type WriteContext } from '../sync/recordStore';

const TYPE_LABEL: Record<SessionRecord['sessionType'], string> = {
  conference: 'Conférence',
  workshop: 'Atelier',
  communication: 'Communication',
  round_table: 'Table ronde',
  lunch_symposium: 'Lunch symposium',
  symposium: 'Symposium',
  photo_session: 'Session photo',
};

/**
 * Keep the payable item of a paid session in step with it (as the original's signal did):
 * created when the session becomes paid, renamed and repriced with it, deactivated when the
 * session becomes free, is cancelled or is deleted.
 */
export async function syncSessionItem(trx: Executor, session: SessionRecord, write: WriteContext): Promise<void> {
  const row = await trx
    .selectFrom('payableItems')
    .selectAll()
    .where('eventId', '=', session.eventId)
    .where('sessionId', '=', session.id)
    .where('deleted', '=', false)
    .executeTakeFirst();
  const existing = row ? toRecord<PayableItemRecord>('payableItems', row as Record<string, unknown>) : undefined;
  const wanted = session.isPaid && session.priceMinor > 0 && !session.deleted && session.status !== 'cancelled';
  const name = `${TYPE_LABEL[session.sessionType]} - ${session.title}`.slice(0, 200);
  const description =
    session.description || `${session.speakerName} - ${session.startsAt.slice(0, 16).replace('T', ' ')}`;
  if (!existing) {
    if (!wanted) return;
    await insertRecord(
      trx,
      'payableItems',
      session.eventId,
      {
        name,
        description: description.slice(0, 5000),
        kind: 'session',
        priceMinor: session.priceMinor,
        sessionId: session.id,
        isActive: true,
      },
      write,
    );
    return;
  }
  const patch = { name, description: description.slice(0, 5000), priceMinor: session.priceMinor, isActive: wanted };
  const same =
    existing.name === patch.name &&
    existing.description === patch.description &&
    existing.priceMinor === patch.priceMinor &&
    existing.isActive === patch.isActive;
  if (!same) await updateRecord(trx, 'payableItems', session.eventId, existing.id, patch, write);
}
