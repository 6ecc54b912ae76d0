import { z } from 'zod';
import { syncMetaShape } from '../sync/record';
import { patchInput } from '../validation/patchInput';

/**
 * How a room treats a second entry by the same badge:
 * - `reentry_allowed`: every entry is granted;
 * - `after_exit`: a new entry needs an exit scan first (the default);
 * - `once_per_session`: one entry per session, exits or not.
 */
export const reentryPolicies = ['reentry_allowed', 'after_exit', 'once_per_session'] as const;
export const reentryPolicy = z.enum(reentryPolicies);
export type ReentryPolicy = z.infer<typeof reentryPolicy>;

export const roomFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().max(5000).default(''),
  capacity: z.int().min(1).max(1_000_000),
  location: z.string().trim().max(200).default(''),
  isActive: z.boolean().default(true),
  reentryPolicy: reentryPolicy.default('after_exit'),
};

export const roomRecord = z.object({ ...syncMetaShape, ...roomFields });
export type RoomRecord = z.infer<typeof roomRecord>;
export const roomCreateInput = z.object(roomFields);
export const roomUpdateInput = patchInput(roomFields).extend({ rev: z.int().min(1).optional() });
