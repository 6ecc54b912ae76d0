import type { ScanReason } from '@makeplus/shared';
import type { PlainMessageKey } from '../i18n/i18n';

/** The short title of each verdict at the door (the longer message comes from the shared verdict). */
export const reasonTitle: Record<ScanReason, PlainMessageKey> = {
  unreadable: 'door.reason.unreadable',
  forged: 'door.reason.forged',
  revoked: 'door.reason.revoked',
  unknown_person: 'door.reason.unknown_person',
  not_registered: 'door.reason.not_registered',
  event_not_running: 'door.reason.event_not_running',
  room_not_allowed: 'door.reason.room_not_allowed',
  payment_required: 'door.reason.payment_required',
  already_inside: 'door.reason.already_inside',
  granted: 'door.reason.granted',
  exit: 'door.reason.exit',
};
