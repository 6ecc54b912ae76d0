import { z } from 'zod';
import { factShape, isoDateTime, recordId, syncMetaShape } from '../sync/record';

/**
 * What only becomes visible after offline devices meet:
 * - `double_admission`: one badge admitted twice into a room by two doors;
 * - `oversold`: a workshop sold beyond its capacity by two registers;
 * - `conflicting_edit`: an offline edit that lost to a newer server version (kept, re-appliable);
 * - `refused_edit`: an offline edit the server refused for good (a rule it checks on its current state,
 *   e.g. a room deleted meanwhile, or the event's last organizer); reverted on the device, kept here
 *   with the server's reason;
 * - `offline_badge`: a badge admitted on its signature alone, to review;
 * - `receipt_collision`: two sales given the same receipt number (two tablets on one register offline);
 *   both sales are kept, the flag asks for one to be renumbered on paper.
 */
export const flagKinds = [
  'double_admission',
  'oversold',
  'conflicting_edit',
  'refused_edit',
  'offline_badge',
  'receipt_collision',
] as const;
export const flagKind = z.enum(flagKinds);
export type FlagKind = z.infer<typeof flagKind>;

export const reconciliationFlagRecord = z.object({
  ...syncMetaShape,
  ...factShape,
  kind: flagKind,
  status: z.enum(['open', 'resolved', 'dismissed']),
  /** Collection and id of the record the flag is about. */
  subjectCollection: z.string().max(64),
  subjectId: z.string().max(64),
  summary: z.string().max(1000),
  details: z.record(z.string(), z.unknown()),
  resolution: z.string().max(2000).nullable(),
  resolvedBy: recordId.nullable(),
  resolvedAt: isoDateTime.nullable(),
});
export type ReconciliationFlagRecord = z.infer<typeof reconciliationFlagRecord>;
