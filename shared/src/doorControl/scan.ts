import { z } from 'zod';
import { factShape, recordId, syncMetaShape } from '../sync/record';

/** Every reason a door can give, in the order the verdict checks them. */
export const scanReasons = [
  'unreadable',
  'forged',
  'revoked',
  'unknown_person',
  'not_registered',
  'event_not_running',
  'room_not_allowed',
  'payment_required',
  'already_inside',
  'granted',
  'exit',
] as const;
export const scanReason = z.enum(scanReasons);
export type ScanReason = z.infer<typeof scanReason>;

export const scanDirection = z.enum(['in', 'out']);
export type ScanDirection = z.infer<typeof scanDirection>;

/**
 * One badge presented at a door: an append-only fact, granted or denied.
 * `roomId` null means an event-level check (the original's ControllerScan).
 */
export const scanRecord = z.object({
  ...syncMetaShape,
  ...factShape,
  participantId: recordId.nullable(),
  badgeCode: z.string().max(2048),
  roomId: recordId.nullable(),
  sessionId: recordId.nullable(),
  direction: scanDirection,
  granted: z.boolean(),
  reason: scanReason,
  /** Admitted on a valid signature alone (the badge was not yet on the device). */
  issuedOffline: z.boolean(),
  operatorId: recordId.nullable(),
});
export type ScanRecord = z.infer<typeof scanRecord>;

/**
 * The door's trust list for badges, one collection for both kinds of entry:
 * - `signing_key`: a public key whose signatures make a badge genuine (the server's key, or an
 *   enrolled device's key: a cash register that registers a walk-in offline signs that badge);
 * - `revoked_badge`: a badge refused even when its signature is valid.
 */
export const badgeTrustRecord = z.object({
  ...syncMetaShape,
  kind: z.enum(['signing_key', 'revoked_badge']),
  /** Key id (signing_key) as it appears in badge codes. */
  keyId: z.string().max(64),
  keyOwner: z.enum(['server', 'device', 'none']),
  deviceId: z.string().max(64).nullable(),
  /** Raw Ed25519 public key, base64url (signing_key). */
  publicKey: z.string().max(64),
  /** The refused badge code (revoked_badge). */
  badgeCode: z.string().max(2048),
  participantId: recordId.nullable(),
  revoked: z.boolean(),
  reason: z.string().max(500),
});
export type BadgeTrustRecord = z.infer<typeof badgeTrustRecord>;
