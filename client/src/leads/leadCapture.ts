import type { LeadRecord, LeadScanRecord } from '@makeplus/shared';
import type { RxCollection, RxDocument } from 'rxdb';
import type { LocalDoc } from '../sync/database';
import { createRecord, type LocalStore, recordFact } from '../sync/localWrites';

export interface Visitor {
  id: string;
  firstName: string;
  lastName: string;
  organization: string;
  category: string;
  badgeCode: string;
}

export interface Capture {
  leadId: string;
  /** This visit's number at the stand (1 for a new lead). */
  visit: number;
  repeat: boolean;
}

/**
 * A badge read at the stand: the scan is always recorded (an append-only fact: repeat visits are
 * counted from these); the visitor's lead is opened if the stand already has one, created otherwise.
 * Both land in IndexedDB before this resolves, offline or not.
 */
export async function captureVisitor(
  store: LocalStore,
  stand: { id: string },
  visitor: Visitor,
  badgeCode: string,
  capturedBy: string | null,
): Promise<Capture> {
  const leads = store.db.collections.leads as RxCollection<LocalDoc> | undefined;
  const scans = store.db.collections.leadScans as RxCollection<LocalDoc> | undefined;
  if (!leads || !scans) throw new Error('this device does not keep leads');
  const existing = await leads.findOne({ selector: { participantId: visitor.id, exhibitorId: stand.id } }).exec();
  let leadId: string;
  if (existing) leadId = existing.id;
  else {
    const now = new Date().toISOString();
    const lead = await createRecord(store, 'leads', {
      exhibitorId: stand.id,
      participantId: visitor.id,
      notes: '',
      rating: null,
      answers: {},
      followUp: false,
      capturedBy,
      firstCapturedAt: now,
      visitorEmail: '',
      visitorPhone: '',
    });
    leadId = lead.id;
  }
  await recordFact(store, 'leadScans', {
    exhibitorId: stand.id,
    leadId,
    participantId: visitor.id,
    badgeCode: badgeCode.slice(0, 2048),
    capturedBy,
    notes: null,
    legacyId: 0,
  });
  const visit = (await scans.find({ selector: { participantId: visitor.id, exhibitorId: stand.id } }).exec()).length;
  return { leadId, visit, repeat: !!existing };
}

export type LeadDoc = RxDocument<LocalDoc>;
export const asLead = (d: LeadDoc) => d.toJSON() as unknown as LeadRecord & { seq: number };
export const asScan = (d: RxDocument<LocalDoc>) => d.toJSON() as unknown as LeadScanRecord & { seq: number };
