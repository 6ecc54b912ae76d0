import { type ParticipantRecord, participantRecord } from '@makeplus/shared';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { participantScreenColumns, participantsCsv } from '../src/participants/participantsExport';

const E = '0193a000-0000-7000-8000-0000000000e0';
const roomA = '0193a000-0000-7000-8000-0000000000a1';
let n = 0;
function person(fields: Partial<ParticipantRecord>): ParticipantRecord {
  n += 1;
  const at = new Date(Date.UTC(2026, 11, 1, 8, n)).toISOString();
  return participantRecord.parse({
    id: `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    eventId: E,
    seq: n,
    rev: 1,
    createdAt: at,
    updatedAt: at,
    deleted: false,
    legacyId: 0,
    userId: null,
    userLegacyId: 0,
    legacyBadgeId: '',
    badgeCode: `B${n}`,
    source: 'admin',
    firstName: 'Prénom',
    lastName: 'Nom',
    ...fields,
  });
}

describe('the participants page export (the rows on screen)', () => {
  it('keeps the order it is given and writes the screen’s columns with bilingual labels', () => {
    const rows = [
      person({ lastName: 'Zidane', firstName: 'Yasmine', email: 'z@example.org', category: 'Médecin' }),
      person({ lastName: 'Ait', firstName: 'Élise', organization: 'CHU Oran', allowedRoomIds: [roomA] }),
      person({ lastName: 'Bey', firstName: 'Omar', allowedRoomIds: [] }),
    ];
    const csv = participantsCsv(rows, new Map([[roomA, 'Auditorium A']]));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, ...body] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(header).toEqual(participantScreenColumns.map((c) => c.label));
    expect(header).not.toContain('Arrivé le / Checked in at');
    expect(body.map((r) => r[0])).toEqual(['Zidane', 'Ait', 'Bey']);
    const col = (label: string) => header!.indexOf(label);
    expect(body[0]![col('Catégorie / Category')]).toBe('Médecin');
    expect(body[1]![col('Organisme / Organization')]).toBe('CHU Oran');
    expect(body.map((r) => r[col('Salles autorisées / Allowed rooms')])).toEqual([
      'toutes / all',
      'Auditorium A',
      'aucune / none',
    ]);
    expect(body[0]![col('Inscrit le / Registered at')]).toBe(rows[0]!.createdAt);
  });

  it('guards cells that a spreadsheet would run as a formula', () => {
    const csv = participantsCsv([person({ lastName: '=HYPERLINK("x")', organization: '+33 Labo' })], new Map());
    const [, row] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(row![0]).toBe('\'=HYPERLINK("x")');
    expect(row![4]).toBe("'+33 Labo");
  });

  it('an empty list exports its header alone', () => {
    expect(participantsCsv([], new Map()).trim().split('\r\n')).toHaveLength(1);
  });
});
