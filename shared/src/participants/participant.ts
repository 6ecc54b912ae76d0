import { z } from 'zod';
import { recordId, syncMetaShape } from '../sync/record';
import { patchInput } from '../validation/patchInput';

export const participantSources = ['admin', 'import', 'walk_in', 'registration', 'app'] as const;

export const participantFields = {
  firstName: z.string().trim().min(1).max(150),
  lastName: z.string().trim().max(150).default(''),
  email: z.union([z.email().max(254), z.literal('')]).default(''),
  phone: z.string().trim().max(40).default(''),
  organization: z.string().trim().max(200).default(''),
  category: z.string().trim().max(100).default(''),
  /** Rooms this person may enter; null means every room of the event. */
  allowedRoomIds: z.array(recordId).max(500).nullable().default(null),
};

/**
 * A person's registration in one event.
 * `badgeCode` is the person's permanent badge (the same in every event they attend);
 * `userLegacyId` is the integer user id the original QR codes carry (0 until the server assigns one).
 */
export const participantRecord = z.object({
  ...syncMetaShape,
  ...participantFields,
  userId: recordId.nullable(),
  userLegacyId: z.int().min(0),
  legacyId: z.int().min(0),
  badgeCode: z.string().min(1).max(1024),
  legacyBadgeId: z.string().max(64),
  source: z.enum(participantSources),
});
export type ParticipantRecord = z.infer<typeof participantRecord>;

export const participantCreateInput = z.object({
  ...participantFields,
  id: recordId.optional(),
});
export const participantUpdateInput = patchInput(participantFields).extend({ rev: z.int().min(1).optional() });

export function participantDisplayName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`.trim();
}

/** Initials shown on the door verdict when there is no photo. */
export function initials(p: { firstName: string; lastName: string }): string {
  return `${p.firstName.charAt(0)}${p.lastName.charAt(0)}`.toUpperCase();
}
