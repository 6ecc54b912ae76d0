import { z } from 'zod';
import { currencyCode } from '../money/money';
import { isoDateTime, syncMetaShape } from '../sync/record';
import { patchInput } from '../validation/patchInput';

export const eventStatuses = ['upcoming', 'active', 'completed', 'cancelled'] as const;
export const eventStatus = z.enum(eventStatuses);
export type EventStatus = z.infer<typeof eventStatus>;

const jsonObject = z.record(z.string(), z.unknown());
const fileUrl = z.string().max(1000).nullable();

/** Editable fields of an event (what the organizer's wizard and API accept). */
export const eventFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).default(''),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  venue: z.string().trim().max(200).default(''),
  locationUrl: z.url().max(1000).nullable().default(null),
  locationDetails: z.string().max(5000).default(''),
  timezone: z.string().min(1).max(64).default('Africa/Algiers'),
  logoUrl: fileUrl.default(null),
  bannerUrl: fileUrl.default(null),
  programmeUrl: fileUrl.default(null),
  guideUrl: fileUrl.default(null),
  primaryColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #9C27B0')
    .default('#9C27B0'),
  status: eventStatus.default('upcoming'),
  registrationEnabled: z.boolean().default(true),
  currency: currencyCode.default('DZD'),
  themes: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
  settings: jsonObject.default({}),
  metadata: jsonObject.default({}),
};

/** An event. Its `eventId` equals its `id`, so events scope like every other record. */
export const eventRecord = z.object({ ...syncMetaShape, ...eventFields });
export type EventRecord = z.infer<typeof eventRecord>;

const endsAfterStart = (v: { startsAt?: string; endsAt?: string }) =>
  !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);
const endsAfterStartIssue = { message: 'must be after startsAt', path: ['endsAt'] };

export const eventCreateInput = z.object(eventFields).refine(endsAfterStart, endsAfterStartIssue);
export const eventUpdateInput = patchInput(eventFields)
  .extend({ rev: z.int().min(1).optional() })
  .refine(endsAfterStart, endsAfterStartIssue);
export type EventCreateInput = z.infer<typeof eventCreateInput>;

/** What the original computes as `dynamic_status`: derived from the dates unless cancelled. */
export function dynamicEventStatus(event: Pick<EventRecord, 'status' | 'startsAt' | 'endsAt'>, now: Date): EventStatus {
  if (event.status === 'cancelled') return 'cancelled';
  const t = now.getTime();
  if (t < Date.parse(event.startsAt)) return 'upcoming';
  if (t > Date.parse(event.endsAt)) return 'completed';
  return 'active';
}
