import type { EventRole } from '@makeplus/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Mailer } from '../mail/mailer';

const roleFr: Record<EventRole, string> = {
  organizer: 'organisateur',
  room_manager: 'gestionnaire de salle',
  badge_controller: 'contrôleur de badges',
  cashier: 'caissier',
  exhibitor: 'exposant',
  participant: 'participant',
  committee: 'membre du comité',
};
const roleEn: Record<EventRole, string> = {
  organizer: 'organizer',
  room_manager: 'room manager',
  badge_controller: 'badge controller',
  cashier: 'cashier',
  exhibitor: 'exhibitor',
  participant: 'participant',
  committee: 'committee member',
};

export interface InvitationDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  log: Pick<FastifyBaseLogger, 'warn'>;
  /** Where the app is served (PUBLIC_URL), for the link in the mail. */
  publicUrl: string | undefined;
}

/** The invitation mail: the role and event, and how to sign in (or create the account with this email). */
export function invitationMessage(
  m: { userEmail: string; role: EventRole; hasPassword: boolean },
  eventName: string,
  publicUrl: string | undefined,
) {
  const link = publicUrl ? `${publicUrl.replace(/\/$/, '')}/login` : undefined;
  const fr = m.hasPassword
    ? `Connectez-vous avec votre compte habituel${link ? ` sur ${link}` : ''}.`
    : `Créez votre compte avec cette adresse e-mail (${m.userEmail})${link ? ` sur ${link}` : ''} : le rôle vous attend.`;
  const en = m.hasPassword
    ? `Sign in with your usual account${link ? ` at ${link}` : ''}.`
    : `Create your account with this email address (${m.userEmail})${link ? ` at ${link}` : ''}: the role is waiting for you.`;
  return {
    to: m.userEmail,
    subject: `MakePlus : vous êtes ${roleFr[m.role]} pour « ${eventName} »`,
    text: `Bonjour,\n\nVous avez été ajouté(e) à l’équipe de « ${eventName} » comme ${roleFr[m.role]}. ${fr}\n\n—\n\nHello,\n\nYou have been added to the team of "${eventName}" as ${roleEn[m.role]}. ${en}\n`,
  };
}

/**
 * Send the invitation once the membership is stored. Mail is the edge of the world: when it fails,
 * the role stays (the organizer sees the person in the staff list) and the failure is logged.
 */
export async function sendInvitation(
  deps: InvitationDeps,
  eventId: string,
  m: { userId: string; userEmail: string; role: EventRole },
): Promise<void> {
  try {
    const [event, user] = await Promise.all([
      deps.db.selectFrom('events').select('name').where('id', '=', eventId).executeTakeFirst(),
      deps.db.selectFrom('users').select('passwordHash').where('id', '=', m.userId).executeTakeFirst(),
    ]);
    await deps.mailer.send(
      invitationMessage({ ...m, hasPassword: !!user?.passwordHash }, event?.name ?? '', deps.publicUrl),
    );
  } catch (err) {
    deps.log.warn({ err, to: m.userEmail }, 'staff invitation mail not sent');
  }
}
