import { csvCell, type ExportColumn, exportColumns, type ParticipantRecord } from '@makeplus/shared';

/**
 * The participants page's export: the rows on screen, in their order (search, filters and sort as
 * set), made on this computer from its copy of the event, so it works offline too. The columns are
 * the participants dataset's (bilingual labels, as the Exports page writes them) with the allowed
 * rooms the page shows; the first check-in time is the server's (the Exports page has it).
 */
export const participantScreenColumns: readonly ExportColumn[] = [
  ...exportColumns.participants.filter((c) => c.key !== 'checkedInAt'),
  { key: 'rooms', label: 'Salles autorisées / Allowed rooms', type: 'text' },
];

const ALL_ROOMS = 'toutes / all';
const NO_ROOM = 'aucune / none';

/** One participant as the export's cells, keyed by column. */
export function participantExportRow(
  p: ParticipantRecord,
  roomName: ReadonlyMap<string, string>,
): Record<string, string> {
  return {
    lastName: p.lastName,
    firstName: p.firstName,
    email: p.email ?? '',
    phone: p.phone ?? '',
    organization: p.organization ?? '',
    category: p.category ?? '',
    source: p.source,
    registeredAt: p.createdAt,
    rooms:
      p.allowedRoomIds === null
        ? ALL_ROOMS
        : p.allowedRoomIds.map((id) => roomName.get(id) ?? id).join(', ') || NO_ROOM,
  };
}

/** The rows on screen as CSV (byte-order mark for Excel, CRLF, formula injection guarded). */
export function participantsCsv(rows: readonly ParticipantRecord[], roomName: ReadonlyMap<string, string>): string {
  const lines = [participantScreenColumns.map((c) => csvCell(c.label)).join(',')];
  for (const p of rows) {
    const cells = participantExportRow(p, roomName);
    lines.push(participantScreenColumns.map((c) => csvCell(cells[c.key] ?? '')).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
