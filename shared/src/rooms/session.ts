import { z } from 'zod';
import { storedFilePath } from '../files/fileType';
import { minorUnits } from '../money/money';
import { isoDateTime, recordId, syncMetaShape } from '../sync/record';
import { patchInput } from '../validation/patchInput';

export const sessionTypes = [
  'conference',
  'workshop',
  'communication',
  'round_table',
  'lunch_symposium',
  'symposium',
  'photo_session',
] as const;
export const sessionType = z.enum(sessionTypes);
export type SessionType = z.infer<typeof sessionType>;

export const sessionStatuses = ['not_started', 'live', 'finished', 'cancelled'] as const;
export const sessionStatus = z.enum(sessionStatuses);
export type SessionStatus = z.infer<typeof sessionStatus>;

const optionalUrl = z.union([z.url().max(1000), z.literal('')]).default('');
/** An image: a web address, or a file uploaded to this server (`/api/v1/files/<id>`). */
const optionalMedia = z.union([z.url().max(1000), z.string().regex(storedFilePath), z.literal('')]).default('');

export const sessionFields = {
  roomId: recordId,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).default(''),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  speakerName: z.string().max(100).default(''),
  speakerTitle: z.string().max(100).default(''),
  speakerBio: z.string().max(10_000).default(''),
  speakerPhotoUrl: optionalUrl,
  coverImageUrl: optionalMedia,
  youtubeLiveUrl: optionalUrl,
  theme: z.string().max(100).default(''),
  sessionType: sessionType.default('conference'),
  status: sessionStatus.default('not_started'),
  isPaid: z.boolean().default(false),
  priceMinor: minorUnits.default(0),
  /** Seats for a paid workshop (null: limited only by the room). */
  capacity: z.int().min(1).max(1_000_000).nullable().default(null),
  sortOrder: z.int().min(0).max(1_000_000).default(0),
};

export const sessionRecord = z.object({ ...syncMetaShape, ...sessionFields });
export type SessionRecord = z.infer<typeof sessionRecord>;

const endsAfterStart = (v: { startsAt?: string; endsAt?: string }) =>
  !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);
const issue = { message: 'must be after startsAt', path: ['endsAt'] };
const paidHasPrice = (v: { isPaid?: boolean; priceMinor?: number }) =>
  !v.isPaid || v.priceMinor === undefined || v.priceMinor > 0;
const paidIssue = { message: 'a paid session needs a price above 0', path: ['priceMinor'] };

export const sessionCreateInput = z.object(sessionFields).refine(endsAfterStart, issue).refine(paidHasPrice, paidIssue);
export const sessionUpdateInput = patchInput(sessionFields)
  .extend({ rev: z.int().min(1).optional() })
  .refine(endsAfterStart, issue);

/** The session running in a room at `now` (the one a door scan applies to), if any. */
export function sessionRunningAt<
  S extends Pick<SessionRecord, 'roomId' | 'startsAt' | 'endsAt' | 'status' | 'deleted'>,
>(sessions: readonly S[], roomId: string, now: Date): S | undefined {
  const t = now.getTime();
  let best: S | undefined;
  for (const s of sessions) {
    if (s.deleted || s.roomId !== roomId || s.status === 'cancelled' || s.status === 'finished') continue;
    if (s.status === 'live') return s;
    if (Date.parse(s.startsAt) <= t && t < Date.parse(s.endsAt)) best = s;
  }
  return best;
}
