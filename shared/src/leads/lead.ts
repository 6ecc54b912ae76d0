import { z } from 'zod';
import { factShape, isoDateTime, recordId, syncMetaShape } from '../sync/record';

export const qualificationQuestion = z.object({
  id: z.string().min(1).max(40),
  label: z.string().trim().min(1).max(300),
  type: z.enum(['text', 'choice', 'yes_no']),
  options: z.array(z.string().max(200)).max(30).default([]),
});
export type QualificationQuestion = z.infer<typeof qualificationQuestion>;

/** An exhibitor's stand; its staff share its leads. */
export const exhibitorFields = {
  name: z.string().trim().min(1).max(200),
  stand: z.string().trim().max(50).default(''),
  description: z.string().max(5000).default(''),
  qualificationQuestions: z.array(qualificationQuestion).max(30).default([]),
};
export const exhibitorRecord = z.object({ ...syncMetaShape, ...exhibitorFields });
export type ExhibitorRecord = z.infer<typeof exhibitorRecord>;

export const leadRating = z.enum(['hot', 'warm', 'cold']);

/** One visitor as a stand sees them: editable notes, rating, answers. One per (stand, visitor). */
export const leadRecord = z.object({
  ...syncMetaShape,
  exhibitorId: recordId,
  participantId: recordId,
  notes: z.string().max(10_000),
  rating: leadRating.nullable(),
  answers: z.record(z.string(), z.union([z.string().max(2000), z.boolean()])),
  followUp: z.boolean(),
  capturedBy: recordId.nullable(),
  firstCapturedAt: isoDateTime,
  /** Contact details, filled by the server once the badge was scanned at this stand. */
  visitorEmail: z.string().max(254),
  visitorPhone: z.string().max(40),
});
export type LeadRecord = z.infer<typeof leadRecord>;

/** Each badge scan at a stand: an append-only fact (repeat visits are counted from these). */
export const leadScanRecord = z.object({
  ...syncMetaShape,
  ...factShape,
  exhibitorId: recordId,
  leadId: recordId,
  participantId: recordId,
  badgeCode: z.string().max(2048),
  capturedBy: recordId.nullable(),
  notes: z.string().max(10_000).nullable(),
  legacyId: z.int().min(0),
});
export type LeadScanRecord = z.infer<typeof leadScanRecord>;
