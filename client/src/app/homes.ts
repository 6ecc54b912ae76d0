import type { EventRole } from '@makeplus/shared';

/** Where each role lands after choosing an event. */
export const homePathByRole: Record<EventRole, string> = {
  organizer: '/organizer',
  room_manager: '/room',
  badge_controller: '/door',
  cashier: '/cash-desk',
  exhibitor: '/stand',
  participant: '/me',
  committee: '/committee',
};
