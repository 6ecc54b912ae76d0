import { z } from 'zod';

/** A person's role in one event. */
export const eventRoles = [
  'organizer',
  'room_manager',
  'badge_controller',
  'cashier',
  'exhibitor',
  'participant',
  'committee',
] as const;
export const eventRole = z.enum(eventRoles);
export type EventRole = z.infer<typeof eventRole>;

/** Staff roles: everyone but participants. */
export const staffRoles: readonly EventRole[] = eventRoles.filter((r) => r !== 'participant');

/**
 * The original MakePlus role strings (UserEventAssignment.role), used only at the
 * mobile-API edge. `cashier` has no mobile role: the original cash desk was a web app.
 */
export const legacyRoleByRole: Record<EventRole, string> = {
  organizer: 'event_owner',
  room_manager: 'gestionnaire_des_salles',
  badge_controller: 'controlleur_des_badges',
  cashier: 'participant',
  exhibitor: 'exposant',
  participant: 'participant',
  committee: 'committee',
};

export const roleByLegacyRole: Record<string, EventRole> = {
  event_owner: 'organizer',
  gestionnaire_des_salles: 'room_manager',
  controlleur_des_badges: 'badge_controller',
  exposant: 'exhibitor',
  participant: 'participant',
  committee: 'committee',
};
