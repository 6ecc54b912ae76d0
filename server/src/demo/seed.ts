import type { EventRecord, RoomRecord, SessionRecord } from '@makeplus/shared';
import { collectionNames } from '@makeplus/shared';
import { sql } from 'kysely';
import { hashPassword } from '../accounts/passwords';
import type { Services } from '../app';
import { syncSessionItem } from '../cashDesk/sessionItems';
import { insertRecord, insertRecords, systemContext, type WriteContext } from '../sync/recordStore';
import { attachDemoDocuments, removeDemoDocuments } from './demoDocuments';

export const DEMO_EVENT_ID = '0193a000-0000-7000-8000-00000000de00';
export const DEMO_PASSWORD = 'makeplus-demo';
export const DEMO_DOMAIN = 'demo.makeplus.local';
export const DEMO_ACCOUNTS = {
  organizer: `organizer@${DEMO_DOMAIN}`,
  manager: `manager@${DEMO_DOMAIN}`,
  controller: `controller@${DEMO_DOMAIN}`,
  cashier: `cashier@${DEMO_DOMAIN}`,
  exhibitor: `exhibitor@${DEMO_DOMAIN}`,
  participant: `participant@${DEMO_DOMAIN}`,
} as const;
export const DEMO_PARTICIPANT_COUNT = 300;

const FIRST = [
  'Amina',
  'Yacine',
  'Sara',
  'Karim',
  'Lina',
  'Mehdi',
  'Nour',
  'Walid',
  'Imane',
  'Rayan',
  'Samira',
  'Anis',
  'Feriel',
  'Sofiane',
  'Meriem',
  'Hamza',
  'Chaima',
  'Nassim',
  'Yasmine',
  'Adel',
  'Camille',
  'Louis',
  'Inès',
  'Hugo',
  'Léa',
];
const LAST = [
  'Benali',
  'Haddad',
  'Bouzid',
  'Mansouri',
  'Cherif',
  'Belkacem',
  'Saidi',
  'Rahmani',
  'Khelifi',
  'Ziani',
  'Boudiaf',
  'Amrani',
  'Kaci',
  'Meziane',
  'Hamidi',
  'Lefebvre',
  'Martin',
  'Bernard',
  'Dubois',
  'Moreau',
];
const ORGS = [
  'CHU Mustapha',
  'CHU Oran',
  'Clinique El Azhar',
  'Université d’Alger 1',
  'Institut Pasteur',
  'Saidal',
  'EHS Ben Aknoun',
  'Hôpital Parnet',
  '',
];

function at(day: number, hour: number, minute = 0): string {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + day);
  d.setUTCHours(hour, minute);
  return d.toISOString();
}

/** True when the demo event exists. */
export async function demoExists(services: Services): Promise<boolean> {
  const row = await services.db.selectFrom('events').select('id').where('id', '=', DEMO_EVENT_ID).executeTakeFirst();
  return !!row;
}

/**
 * Remove the demo event, its records and the demo accounts (the audit trail is kept). The event's
 * change sequence is kept so that the re-seeded demo's records sort after everything a device has
 * already pulled.
 */
export async function removeDemo(services: Services): Promise<void> {
  const { db } = services;
  await removeDemoDocuments(services, DEMO_EVENT_ID);
  await db.transaction().execute(async (trx) => {
    for (const table of collectionNames) {
      // biome-ignore lint/suspicious/noExplicitAny: every synced table has event_id
      await (trx as any).deleteFrom(table).where('eventId', '=', DEMO_EVENT_ID).execute();
    }
    // The change sequence is kept: the new demo continues it (see events/service.ts create).
    await trx.deleteFrom('devices').where('eventId', '=', DEMO_EVENT_ID).execute();
    const demoUsers = trx.selectFrom('users').select('id').where('email', 'like', `%@${DEMO_DOMAIN}`);
    await trx.deleteFrom('refreshTokens').where('subjectId', 'in', demoUsers).execute();
    await trx.deleteFrom('loginAttempts').where('email', 'like', `%@${DEMO_DOMAIN}`).execute();
    await sql`delete from users where email like ${`%@${DEMO_DOMAIN}`}
      and not exists (select 1 from participants p where p.user_id = users.id)
      and not exists (select 1 from memberships m where m.user_id = users.id)`.execute(trx);
  });
}

/**
 * The demo event: rooms, sessions (paid workshops among them), payable items, a cash register,
 * an exhibitor stand, 300 participants and one account per role, all with password `makeplus-demo`.
 */
export async function seedDemo(services: Services, options: { participants?: number } = {}): Promise<EventRecord> {
  const { db, accounts, events } = services;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const write: WriteContext = systemContext;

  const person = async (email: string, firstName: string, lastName: string) =>
    (await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()) ??
    accounts.createUser(db, { email, firstName, lastName, passwordHash });

  const organizer = await person(DEMO_ACCOUNTS.organizer, 'Nadia', 'Organisatrice');
  const manager = await person(DEMO_ACCOUNTS.manager, 'Mourad', 'Gestionnaire');
  const controller = await person(DEMO_ACCOUNTS.controller, 'Samir', 'Contrôleur');
  const exhibitorUser = await person(DEMO_ACCOUNTS.exhibitor, 'Leila', 'Exposante');
  const participantUser = await person(DEMO_ACCOUNTS.participant, 'Yanis', 'Participant');

  await events.create(
    {
      kind: 'user',
      userId: organizer.id,
      userLegacyId: organizer.legacyId,
      email: organizer.email,
      displayName: '',
      isPlatformAdmin: false,
      eventId: null,
      tokenId: '',
      tokenExp: 0,
    },
    {
      name: 'Congrès MakePlus 2026 (démo)',
      description: 'Événement de démonstration : trois jours de conférences, ateliers payants et exposition.',
      startsAt: at(0, 7),
      endsAt: at(2, 19),
      venue: 'Centre International de Conférences, Alger',
      locationUrl: 'https://maps.google.com/?q=CIC+Alger',
      locationDetails: 'Entrée principale, niveau 0',
      timezone: 'Africa/Algiers',
      logoUrl: null,
      bannerUrl: null,
      programmeUrl: null,
      guideUrl: null,
      primaryColor: '#9C27B0',
      status: 'active',
      registrationEnabled: true,
      currency: 'DZD',
      themes: ['Cardiologie', 'Intelligence artificielle', 'Santé publique'],
      settings: {},
      metadata: { demo: true },
    },
    write,
    { skipOrganizerCheck: true, id: DEMO_EVENT_ID },
  );
  const eventId = DEMO_EVENT_ID;

  await db.transaction().execute(async (trx) => {
    const rooms = await insertRecords<RoomRecord>(
      trx,
      'rooms',
      eventId,
      [
        { name: 'Auditorium A', capacity: 500, location: 'Niveau 0', reentryPolicy: 'after_exit' },
        { name: 'Salle B', capacity: 120, location: 'Niveau 1', reentryPolicy: 'after_exit' },
        { name: 'Atelier 1', capacity: 30, location: 'Niveau 1', reentryPolicy: 'once_per_session' },
        { name: 'Atelier 2', capacity: 25, location: 'Niveau 2', reentryPolicy: 'once_per_session' },
        { name: 'Hall d’exposition', capacity: 1000, location: 'Niveau -1', reentryPolicy: 'reentry_allowed' },
      ],
      write,
    );
    const [audA, salleB, atelier1, atelier2] = rooms as [RoomRecord, RoomRecord, RoomRecord, RoomRecord, RoomRecord];
    const sessionRows: Record<string, unknown>[] = [
      {
        roomId: audA.id,
        title: 'Ouverture du congrès',
        startsAt: at(0, 8),
        endsAt: at(0, 9),
        speakerName: 'Pr. Nadia Organisatrice',
        sessionType: 'conference',
      },
      {
        roomId: audA.id,
        title: 'L’IA au service du diagnostic',
        startsAt: at(0, 9, 30),
        endsAt: at(0, 11),
        speakerName: 'Dr. Karim Haddad',
        speakerTitle: 'CHU Mustapha',
        sessionType: 'conference',
        theme: 'Intelligence artificielle',
        youtubeLiveUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      },
      {
        roomId: salleB.id,
        title: 'Table ronde : santé publique',
        startsAt: at(0, 11),
        endsAt: at(0, 12, 30),
        speakerName: 'Collectif',
        sessionType: 'round_table',
        theme: 'Santé publique',
      },
      {
        roomId: audA.id,
        title: 'Lunch symposium Saidal',
        startsAt: at(0, 12, 30),
        endsAt: at(0, 14),
        speakerName: 'Saidal',
        sessionType: 'lunch_symposium',
      },
      {
        roomId: atelier1.id,
        title: 'Atelier échographie cardiaque',
        startsAt: at(0, 8),
        endsAt: at(0, 18),
        speakerName: 'Dr. Sara Bouzid',
        sessionType: 'workshop',
        theme: 'Cardiologie',
        isPaid: true,
        priceMinor: 200_000,
        capacity: 30,
      },
      {
        roomId: atelier2.id,
        title: 'Atelier IA pratique',
        startsAt: at(0, 8),
        endsAt: at(0, 18),
        speakerName: 'Dr. Mehdi Ziani',
        sessionType: 'workshop',
        theme: 'Intelligence artificielle',
        isPaid: true,
        priceMinor: 150_000,
        capacity: 25,
      },
      {
        roomId: salleB.id,
        title: 'Communications libres',
        startsAt: at(0, 14),
        endsAt: at(0, 16),
        speakerName: 'Divers',
        sessionType: 'communication',
      },
      {
        roomId: audA.id,
        title: 'Symposium cardiologie',
        startsAt: at(1, 9),
        endsAt: at(1, 11),
        speakerName: 'Pr. Lina Cherif',
        sessionType: 'symposium',
        theme: 'Cardiologie',
      },
      {
        roomId: atelier1.id,
        title: 'Atelier ECG avancé',
        startsAt: at(1, 9),
        endsAt: at(1, 12),
        speakerName: 'Dr. Walid Saidi',
        sessionType: 'workshop',
        isPaid: true,
        priceMinor: 250_000,
        capacity: 20,
      },
      {
        roomId: salleB.id,
        title: 'Session photo des posters',
        startsAt: at(1, 14),
        endsAt: at(1, 15),
        speakerName: '',
        sessionType: 'photo_session',
      },
      {
        roomId: audA.id,
        title: 'Clôture et remise des prix',
        startsAt: at(2, 16),
        endsAt: at(2, 18),
        speakerName: 'Comité scientifique',
        sessionType: 'conference',
      },
    ];
    const sessions = await insertRecords<SessionRecord>(trx, 'sessions', eventId, sessionRows, write);
    for (const s of sessions) await syncSessionItem(trx, s, write);
    await insertRecords(
      trx,
      'payableItems',
      eventId,
      [
        { name: 'Dîner de gala', kind: 'dinner', priceMinor: 350_000, description: 'Jour 2, 20 h' },
        { name: 'Pass accès exposition', kind: 'access', priceMinor: 100_000 },
        { name: 'Sacoche du congrès', kind: 'other', priceMinor: 50_000 },
      ],
      write,
    );
    await insertRecord(
      trx,
      'cashRegisters',
      eventId,
      { name: 'Caisse principale', email: DEMO_ACCOUNTS.cashier, passwordHash, isActive: true, receiptPrefix: 'C1' },
      write,
    );
    const stand = await insertRecord<{ id: string }>(
      trx,
      'exhibitors',
      eventId,
      {
        name: 'MedTech Algérie',
        stand: 'B12',
        description: 'Dispositifs médicaux',
        qualificationQuestions: [
          {
            id: 'interest',
            label: 'Produit qui intéresse',
            type: 'choice',
            options: ['Échographe', 'ECG', 'Logiciel'],
          },
          { id: 'budget', label: 'Budget validé ?', type: 'yes_no', options: [] },
          { id: 'project', label: 'Projet / délai', type: 'text', options: [] },
        ],
      },
      write,
    );
    const member = (user: typeof manager, role: string, extra: Record<string, unknown> = {}) => ({
      userId: user.id,
      role,
      isActive: true,
      assignedRoomId: null,
      exhibitorId: null,
      userEmail: user.email,
      userFirstName: user.firstName,
      userLastName: user.lastName,
      assignedBy: organizer.id,
      ...extra,
    });
    await insertRecords(
      trx,
      'memberships',
      eventId,
      [
        member(manager, 'room_manager', { assignedRoomId: audA.id }),
        member(controller, 'badge_controller'),
        member(exhibitorUser, 'exhibitor', { exhibitorId: stand.id }),
      ],
      write,
    );
    await insertRecord(
      trx,
      'roomAssignments',
      eventId,
      {
        userId: controller.id,
        roomId: audA.id,
        role: 'badge_controller',
        startsAt: at(0, 7),
        endsAt: at(2, 19),
        isActive: true,
      },
      write,
    );

    // Participants: the demo participant account plus generated attendees (placeholder accounts).
    const count = options.participants ?? DEMO_PARTICIPANT_COUNT;
    const people: { email: string; firstName: string; lastName: string; organization: string; category: string }[] = [
      {
        email: participantUser.email,
        firstName: participantUser.firstName,
        lastName: participantUser.lastName,
        organization: 'CHU Oran',
        category: 'Médecin',
      },
    ];
    for (let i = 1; i < count; i++) {
      const firstName = FIRST[i % FIRST.length] ?? 'Alex';
      const lastName = LAST[(i * 7) % LAST.length] ?? 'Martin';
      people.push({
        email: `${firstName}.${lastName}.${i}@${DEMO_DOMAIN}`
          .toLowerCase()
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, ''),
        firstName,
        lastName,
        organization: ORGS[i % ORGS.length] ?? '',
        category: i % 5 === 0 ? 'Étudiant' : i % 3 === 0 ? 'Pharmacien' : 'Médecin',
      });
    }
    const rows: Record<string, unknown>[] = [];
    for (const p of people) {
      const user =
        (await trx.selectFrom('users').selectAll().where('email', '=', p.email).executeTakeFirst()) ??
        (await accounts.createUser(trx, {
          email: p.email,
          firstName: p.firstName,
          lastName: p.lastName,
          passwordHash: null,
        }));
      rows.push({
        ...p,
        phone: '',
        allowedRoomIds: null,
        userId: user.id,
        userLegacyId: user.legacyId,
        badgeCode: user.badgeCode,
        legacyBadgeId: user.legacyBadgeId,
        source: 'import',
      });
    }
    await insertRecords(trx, 'participants', eventId, rows, write);
    await insertRecords(
      trx,
      'announcements',
      eventId,
      [
        {
          title: 'Bienvenue au congrès',
          body: 'Retirez votre badge à l’accueil, niveau 0. Bon congrès !',
          audience: 'all',
          createdBy: organizer.id,
          createdByName: 'Nadia Organisatrice',
        },
        {
          title: 'Ateliers : dernières places',
          body: 'Il reste quelques places pour l’atelier IA pratique, à la caisse.',
          audience: 'participants',
          createdBy: organizer.id,
          createdByName: 'Nadia Organisatrice',
        },
        {
          title: 'Contrôle d’accès',
          body: 'Les ateliers payants ne sont ouverts qu’aux personnes inscrites.',
          audience: 'controllers',
          createdBy: organizer.id,
          createdByName: 'Nadia Organisatrice',
        },
      ],
      write,
    );
    return (await trx
      .selectFrom('events')
      .selectAll()
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow()) as unknown as EventRecord;
  });
  // The programme and guide PDFs, for participants to keep offline.
  await attachDemoDocuments(services, eventId, organizer.id);
  return events.get(eventId);
}

export async function ensureDemo(
  services: Services,
  options: { reset?: boolean } = {},
): Promise<'created' | 'kept' | 'reset'> {
  const exists = await demoExists(services);
  if (exists && !options.reset) return 'kept';
  if (exists) await removeDemo(services);
  await seedDemo(services);
  return exists ? 'reset' : 'created';
}

export function demoCredentialsTable(): string {
  const rows = [
    ['Organisateur / organizer', DEMO_ACCOUNTS.organizer],
    ['Gestionnaire de salle / room manager', DEMO_ACCOUNTS.manager],
    ['Contrôleur de badges / badge controller', DEMO_ACCOUNTS.controller],
    ['Caisse / cash register', DEMO_ACCOUNTS.cashier],
    ['Exposant / exhibitor', DEMO_ACCOUNTS.exhibitor],
    ['Participant', DEMO_ACCOUNTS.participant],
  ];
  const w = Math.max(...rows.map((r) => r[0]?.length ?? 0));
  return [
    `Demo accounts (password: ${DEMO_PASSWORD})`,
    ...rows.map(([role, email]) => `  ${role?.padEnd(w)}  ${email}`),
  ].join('\n');
}
