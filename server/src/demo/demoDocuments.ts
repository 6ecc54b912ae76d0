import type { Services } from '../app';
import { systemContext } from '../sync/recordStore';
import { type PdfLine, textPdf } from './pdfDocument';

const day = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'Africa/Algiers',
  }).format(new Date(iso));
const time = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Africa/Algiers' }).format(
    new Date(iso),
  );

/**
 * The demo event's programme and guide as real PDFs, made from its rooms and sessions and stored
 * through the file storage like an organizer's upload, so participants have documents to keep
 * for offline reading.
 */
export async function attachDemoDocuments(services: Services, eventId: string, organizerId: string): Promise<void> {
  const { db, files } = services;
  const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();
  const rooms = await db
    .selectFrom('rooms')
    .select(['id', 'name', 'location', 'capacity'])
    .where('eventId', '=', eventId)
    .where('deleted', '=', false)
    .orderBy('name')
    .execute();
  const sessions = await db
    .selectFrom('sessions')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('deleted', '=', false)
    .orderBy('startsAt')
    .orderBy('title')
    .execute();
  const roomName = new Map(rooms.map((r) => [r.id, r.name]));

  const programme: PdfLine[] = [
    { text: `Programme — ${event.name}`, style: 'title' },
    { text: `${event.venue}. ${day(event.startsAt)} – ${day(event.endsAt)}.`, style: 'muted' },
  ];
  let currentDay = '';
  for (const s of sessions) {
    const d = day(s.startsAt);
    if (d !== currentDay) {
      currentDay = d;
      programme.push({ text: d.charAt(0).toUpperCase() + d.slice(1), style: 'heading' });
    }
    const paid = s.isPaid ? ` · atelier payant (${(s.priceMinor / 100).toLocaleString('fr-FR')} DZD)` : '';
    programme.push({
      text: `${time(s.startsAt)}–${time(s.endsAt)}  ${s.title} — ${roomName.get(s.roomId) ?? ''}${paid}`,
    });
    if (s.speakerName)
      programme.push({ text: `    ${s.speakerName}${s.speakerTitle ? `, ${s.speakerTitle}` : ''}`, style: 'muted' });
  }

  const guide: PdfLine[] = [
    { text: `Guide du participant — ${event.name}`, style: 'title' },
    { text: 'Accès', style: 'heading' },
    { text: `${event.venue}. ${event.locationDetails}` },
    { text: `Plan : ${event.locationUrl ?? '—'}`, style: 'muted' },
    { text: 'Votre badge', style: 'heading' },
    {
      text: 'Votre badge QR est dans l’application, même sans réseau. Présentez-le à l’entrée de chaque salle ; les ateliers payants ne sont ouverts qu’aux personnes inscrites.',
    },
    { text: 'Salles', style: 'heading' },
    ...rooms.map((r) => ({ text: `${r.name} — ${r.location} (${r.capacity} places)` })),
    { text: 'Caisse et inscriptions', style: 'heading' },
    { text: 'La caisse à l’accueil vend les ateliers et les entrées sur place, en espèces.' },
    { text: 'Questions', style: 'heading' },
    { text: 'Posez vos questions aux intervenants depuis l’onglet Programme de l’application.' },
  ];

  const owner = { eventId, userId: organizerId };
  await files.upload(
    owner,
    'programme',
    textPdf(`Programme — ${event.name}`, programme),
    { filename: 'programme.pdf' },
    systemContext,
  );
  await files.upload(
    owner,
    'guide',
    textPdf(`Guide — ${event.name}`, guide),
    { filename: 'guide-participant.pdf' },
    systemContext,
  );
}

/** The demo's stored files, removed with it on reset. */
export async function removeDemoDocuments(services: Services, eventId: string): Promise<void> {
  const rows = await services.db
    .selectFrom('files')
    .select(['id', 'storageKey'])
    .where('eventId', '=', eventId)
    .execute();
  for (const r of rows) await services.files.storage.delete(r.storageKey);
  if (rows.length) await services.db.deleteFrom('files').where('eventId', '=', eventId).execute();
}
