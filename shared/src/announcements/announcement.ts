import { z } from 'zod';
import type { EventRole } from '../accounts/roles';
import { recordId, syncMetaShape } from '../sync/record';
import { patchInput } from '../validation/patchInput';

export const audiences = ['all', 'participants', 'exhibitors', 'controllers', 'room_managers'] as const;
export const audience = z.enum(audiences);
export type Audience = z.infer<typeof audience>;

export const announcementFields = {
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(20_000),
  audience: audience.default('all'),
};
export const announcementRecord = z.object({
  ...syncMetaShape,
  ...announcementFields,
  createdBy: recordId.nullable(),
  createdByName: z.string().max(300),
  legacyId: z.int().min(0),
});
export type AnnouncementRecord = z.infer<typeof announcementRecord>;
export const announcementCreateInput = z.object(announcementFields);
export const announcementUpdateInput = patchInput(announcementFields).extend({ rev: z.int().min(1).optional() });

/** Which audiences a role reads (organizers and committee read everything). */
export function audiencesFor(role: EventRole): readonly Audience[] {
  switch (role) {
    case 'participant':
      return ['all', 'participants'];
    case 'exhibitor':
      return ['all', 'exhibitors'];
    case 'badge_controller':
      return ['all', 'controllers'];
    case 'room_manager':
      return ['all', 'room_managers'];
    case 'cashier':
      return ['all'];
    default:
      return audiences;
  }
}
