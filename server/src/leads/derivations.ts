import type { LeadRecord } from '@makeplus/shared';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { allocateSeq, audit, softDeleteRecord, toRecord, updateRecord, type WriteContext } from '../sync/recordStore';
import type { SyncCaller } from '../sync/scope';

type Trx = Transaction<DB>;
type Doc = Record<string, unknown> & { id: string; rev: number };

/**
 * What the server derives for lead capture (registered in sync/derivations.ts):
 *
 * - Contact details: a visitor's email and phone reach a stand only on that stand's lead, and only
 *   once a scan of the visitor's badge at that stand is on the server. The device never sends them
 *   (whatever it sends is replaced); the exhibitor's device never receives them any other way (its
 *   participants are the "visitors" projection, without contact details).
 * - Duplicates: two devices of one stand that scanned the same visitor offline each created a lead.
 *   When they meet on the server, the earliest lead (first captured, then smallest id) is kept and the
 *   other is merged into it and deleted (the deletion replicates): notes are appended (each device's
 *   text kept, separated by a line), the rating is the kept one's unless it has none, answers are
 *   united (the kept lead's answer wins where both answered), the follow-up flag is set if either set
 *   it. Scan facts are never rewritten: visits are counted per (stand, visitor), not per lead id.
 * Both are idempotent: running them again changes nothing.
 */

function serverContext(ctx: WriteContext): WriteContext {
  return { ...ctx, actor: { kind: 'system', id: null, label: 'derivation' }, deviceId: 'server' };
}

const NOTE_SEPARATOR = '\n— — —\n';

/** The merged lead's changed fields (what `keep` becomes once `others` are folded into it). */
export function mergeLeads(
  keep: Pick<LeadRecord, 'notes' | 'rating' | 'answers' | 'followUp'>,
  others: readonly Pick<LeadRecord, 'notes' | 'rating' | 'answers' | 'followUp'>[],
): Pick<LeadRecord, 'notes' | 'rating' | 'answers' | 'followUp'> {
  let notes = keep.notes;
  let rating = keep.rating;
  let answers = { ...keep.answers };
  let followUp = keep.followUp;
  for (const o of others) {
    const text = o.notes.trim();
    if (text && !notes.includes(text)) notes = notes.trim() ? `${notes}${NOTE_SEPARATOR}${text}` : text;
    rating = rating ?? o.rating;
    answers = { ...o.answers, ...answers };
    followUp = followUp || o.followUp;
  }
  return { notes: notes.slice(0, 10_000), rating, answers, followUp };
}

async function contactOf(trx: Trx, eventId: string, exhibitorId: string, participantId: string) {
  const scanned = await trx
    .selectFrom('leadScans')
    .select('id')
    .where('eventId', '=', eventId)
    .where('exhibitorId', '=', exhibitorId)
    .where('participantId', '=', participantId)
    .where('deleted', '=', false)
    .limit(1)
    .executeTakeFirst();
  if (!scanned) return { visitorEmail: '', visitorPhone: '' };
  const p = await trx
    .selectFrom('participants')
    .select(['email', 'phone'])
    .where('eventId', '=', eventId)
    .where('id', '=', participantId)
    .executeTakeFirst();
  return { visitorEmail: p?.email ?? '', visitorPhone: p?.phone ?? '' };
}

/**
 * Contact details are server-owned fields of an editable record: refreshing them must not move the
 * lead's revision, or the stand's next offline edit (which assumed that revision) would lose to it as
 * a conflict. So the row gets a new change sequence (devices pull it) but keeps its revision; a device
 * edit that still carries the old values is accepted and the values are put back in the same push.
 */
async function refreshContact(
  trx: Trx,
  eventId: string,
  leadId: string,
  previous: { visitorEmail: string; visitorPhone: string },
  contact: { visitorEmail: string; visitorPhone: string },
  ctx: WriteContext,
): Promise<void> {
  const seq = await allocateSeq(trx, eventId, 1, 'leads');
  await audit(trx, 'leads', eventId, 'update', [{ id: leadId, before: previous, after: contact }], ctx);
  await trx
    .updateTable('leads')
    .set({ ...contact, seq, updatedAt: new Date().toISOString() })
    .where('eventId', '=', eventId)
    .where('id', '=', leadId)
    .execute();
}

/** Merge duplicates and settle contact details for these (stand, visitor) pairs. */
export async function settleStandVisitors(
  trx: Trx,
  eventId: string,
  pairs: readonly { exhibitorId: string; participantId: string }[],
  ctx: WriteContext,
): Promise<void> {
  const server = serverContext(ctx);
  const unique = new Map(pairs.map((p) => [`${p.exhibitorId}/${p.participantId}`, p]));
  for (const { exhibitorId, participantId } of unique.values()) {
    const rows = await trx
      .selectFrom('leads')
      .selectAll()
      .where('eventId', '=', eventId)
      .where('exhibitorId', '=', exhibitorId)
      .where('participantId', '=', participantId)
      .where('deleted', '=', false)
      .orderBy('firstCapturedAt')
      .orderBy('id')
      .forUpdate()
      .execute();
    const leads = rows.map((r) => toRecord<LeadRecord>('leads', r as Record<string, unknown>));
    const [keep, ...others] = leads;
    if (!keep) continue;
    const patch: Record<string, unknown> = {};
    if (others.length) {
      const merged = mergeLeads(keep, others);
      for (const [k, v] of Object.entries(merged))
        if (JSON.stringify(v) !== JSON.stringify(keep[k as keyof LeadRecord])) patch[k] = v;
      for (const o of others) await softDeleteRecord(trx, 'leads', eventId, o.id, server);
    }
    const contact = await contactOf(trx, eventId, exhibitorId, participantId);
    const contactChanged = contact.visitorEmail !== keep.visitorEmail || contact.visitorPhone !== keep.visitorPhone;
    if (Object.keys(patch).length) {
      await updateRecord(trx, 'leads', eventId, keep.id, { ...patch, ...contact }, server);
    } else if (contactChanged) {
      await refreshContact(
        trx,
        eventId,
        keep.id,
        { visitorEmail: keep.visitorEmail, visitorPhone: keep.visitorPhone },
        contact,
        server,
      );
    }
  }
}

/** Sync hooks of lead capture (see sync/derivations.ts). */
export const leadDerivations = {
  /** A new lead gets the contact details now if its visitor's scan is already here (no extra revision). */
  async beforeInsertLead(trx: Trx, doc: Record<string, unknown>, caller: SyncCaller) {
    const contact = await contactOf(trx, caller.access.eventId, doc.exhibitorId as string, doc.participantId as string);
    return { ...doc, ...contact };
  },
  async afterLeadScans(trx: Trx, inserted: Doc[], caller: SyncCaller, ctx: WriteContext) {
    await settleStandVisitors(
      trx,
      caller.access.eventId,
      inserted.map((s) => ({ exhibitorId: s.exhibitorId as string, participantId: s.participantId as string })),
      ctx,
    );
  },
  async afterLeadEdits(trx: Trx, written: { record: Doc }[], caller: SyncCaller, ctx: WriteContext) {
    await settleStandVisitors(
      trx,
      caller.access.eventId,
      written.map((w) => ({
        exhibitorId: w.record.exhibitorId as string,
        participantId: w.record.participantId as string,
      })),
      ctx,
    );
  },
};
