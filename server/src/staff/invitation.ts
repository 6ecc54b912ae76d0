import type { EventRole } from '@makeplus/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { TokenService } from '../accounts/tokens';
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
  /** Signs the link that lets a new person claim the account waiting for them (tokens.ts). */
  tokens: Pick<TokenService, 'signInvitation'>;
}

/**
 * The PWA's "create an account" screen with the email filled in and the invitation that proves the
 * address is the reader's. Without PUBLIC_URL the link is relative (development: the mail is in the log).
 */
export function signupLink(publicUrl: string | undefined, email: string, invitation: string): string {
  const query = new URLSearchParams({ email, invitation });
  return `${(publicUrl ?? '').replace(/\/$/, '')}/signup?${query}`;
}

/** The invitation mail: the role and event, and how to sign in (or the link that creates the account). */
export function invitationMessage(
  m: { userEmail: string; role: EventRole; hasPassword: boolean; invitation?: string },
  eventName: string,
  publicUrl: string | undefined,
) {
  const login = publicUrl ? `${publicUrl.replace(/\/$/, '')}/login` : undefined;
  const signup = m.invitation ? signupLink(publicUrl, m.userEmail, m.invitation) : login;
  const fr = m.hasPassword
    ? `Connectez-vous avec votre compte habituel${login ? ` sur ${login}` : ''}.`
    : `Créez votre compte avec cette adresse e-mail (${m.userEmail}) : le rôle vous attend.${
        signup
          ? ` Ouvrez ce lien (valable 30 jours ; ne le transmettez à personne, il crée le compte de cette adresse) :\n${signup}`
          : ''
      }`;
  const en = m.hasPassword
    ? `Sign in with your usual account${login ? ` at ${login}` : ''}.`
    : `Create your account with this email address (${m.userEmail}): the role is waiting for you.${
        signup
          ? ` Open this link (valid for 30 days; do not pass it on, it creates the account of this address):\n${signup}`
          : ''
      }`;
  return {
    to: m.userEmail,
    subject: `MakePlus : vous êtes ${roleFr[m.role]} pour « ${eventName} »`,
    text: `Bonjour,\n\nVous avez été ajouté(e) à l’équipe de « ${eventName} » comme ${roleFr[m.role]}. ${fr}\n\n—\n\nHello,\n\nYou have been added to the team of "${eventName}" as ${roleEn[m.role]}. ${en}\n`,
  };
}

/**
 * The link sent when someone tries to create an account for an address that already has one
 * waiting (an invitation or a participant import) without the invitation: the owner of the address
 * gets a fresh link; whoever typed the address gets nothing.
 */
export function claimLinkMessage(email: string, invitation: string, publicUrl: string | undefined) {
  const link = signupLink(publicUrl, email, invitation);
  return {
    to: email,
    subject: 'MakePlus : créez votre compte / create your account',
    text: `Bonjour,\n\nUn compte MakePlus vous attend à cette adresse (${email}) : une invitation ou une inscription à un événement. Pour le créer, ouvrez ce lien (valable 30 jours) :\n${link}\n\nSi vous n’avez rien demandé, ignorez ce message : sans ce lien, personne ne peut créer ce compte.\n\n—\n\nHello,\n\nA MakePlus account is waiting for this address (${email}): an invitation or an event registration. To create it, open this link (valid for 30 days):\n${link}\n\nIf you did not ask for this, ignore this message: without this link nobody can create this account.\n`,
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
      invitationMessage(
        {
          ...m,
          hasPassword: !!user?.passwordHash,
          ...(user && !user.passwordHash ? { invitation: deps.tokens.signInvitation(m.userId, m.userEmail) } : {}),
        },
        event?.name ?? '',
        deps.publicUrl,
      ),
    );
  } catch (err) {
    deps.log.warn({ err, to: m.userEmail }, 'staff invitation mail not sent');
  }
}
