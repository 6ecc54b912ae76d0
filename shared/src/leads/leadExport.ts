import type { ExhibitorRecord, LeadRecord, LeadScanRecord, QualificationQuestion } from './lead';

/**
 * The lead export, one table for the device (CSV from local data, offline) and the server (CSV and
 * Excel): every field of the lead, one column per qualification question, and the visits counted
 * from the stand's scan facts. Columns are bilingual so the file reads in either language.
 */

export interface LeadVisitor {
  firstName: string;
  lastName: string;
  organization: string;
}

export interface LeadExportInput {
  exhibitors: readonly Pick<ExhibitorRecord, 'id' | 'name' | 'stand' | 'qualificationQuestions'>[];
  leads: readonly Pick<
    LeadRecord,
    | 'id'
    | 'exhibitorId'
    | 'participantId'
    | 'notes'
    | 'rating'
    | 'answers'
    | 'followUp'
    | 'firstCapturedAt'
    | 'visitorEmail'
    | 'visitorPhone'
    | 'deleted'
  >[];
  scans: readonly Pick<LeadScanRecord, 'exhibitorId' | 'participantId' | 'occurredAt' | 'deleted'>[];
  visitors: ReadonlyMap<string, LeadVisitor>;
}

export interface LeadExportTable {
  header: string[];
  rows: (string | number)[][];
}

const RATING_LABEL = { hot: 'chaud / hot', warm: 'tiède / warm', cold: 'froid / cold' } as const;

export function answerText(q: QualificationQuestion, value: string | boolean | undefined): string {
  if (value === undefined || value === '') return '';
  if (q.type === 'yes_no' || typeof value === 'boolean') return value === true ? 'oui / yes' : 'non / no';
  return value;
}

/** A visitor's key at a stand: visits and leads are one per (stand, person). */
export function standVisitorKey(exhibitorId: string, participantId: string): string {
  return `${exhibitorId}\u0000${participantId}`;
}

/** Visits per (stand, visitor) and the last one, from the scan facts. */
export function visitsByVisitor(scans: LeadExportInput['scans']): Map<string, { count: number; last: string }> {
  const out = new Map<string, { count: number; last: string }>();
  for (const s of scans) {
    if (s.deleted) continue;
    const key = standVisitorKey(s.exhibitorId, s.participantId);
    const v = out.get(key);
    if (!v) out.set(key, { count: 1, last: s.occurredAt });
    else {
      v.count += 1;
      if (s.occurredAt > v.last) v.last = s.occurredAt;
    }
  }
  return out;
}

export function leadExportTable(input: LeadExportInput): LeadExportTable {
  const several = input.exhibitors.length > 1;
  const questions = input.exhibitors.flatMap((e) =>
    e.qualificationQuestions.map((q) => ({ exhibitorId: e.id, q, label: several ? `${e.name}: ${q.label}` : q.label })),
  );
  const standName = new Map(input.exhibitors.map((e) => [e.id, e.stand ? `${e.name} (${e.stand})` : e.name]));
  const visits = visitsByVisitor(input.scans);
  const header = [
    'Stand',
    'Prénom / First name',
    'Nom / Last name',
    'Organisation / Organization',
    'Email',
    'Téléphone / Phone',
    'Note / Rating',
    'À relancer / Follow-up',
    'Remarques / Notes',
    'Première visite / First visit',
    'Dernière visite / Last visit',
    'Visites / Visits',
    ...questions.map((q) => q.label),
  ];
  const rows = input.leads
    .filter((l) => !l.deleted)
    .slice()
    .sort((a, b) => (a.firstCapturedAt < b.firstCapturedAt ? -1 : a.firstCapturedAt > b.firstCapturedAt ? 1 : 0))
    .map((l) => {
      const v = input.visitors.get(l.participantId);
      const seen = visits.get(standVisitorKey(l.exhibitorId, l.participantId));
      return [
        standName.get(l.exhibitorId) ?? '',
        v?.firstName ?? '',
        v?.lastName ?? '',
        v?.organization ?? '',
        l.visitorEmail,
        l.visitorPhone,
        l.rating ? RATING_LABEL[l.rating] : '',
        l.followUp ? 'oui / yes' : 'non / no',
        l.notes,
        l.firstCapturedAt,
        seen?.last ?? l.firstCapturedAt,
        seen?.count ?? 1,
        ...questions.map((q) => (q.exhibitorId === l.exhibitorId ? answerText(q.q, l.answers[q.q.id]) : '')),
      ];
    });
  return { header, rows };
}

/** RFC 4180 CSV with a BOM (Excel opens accents correctly) and formula-injection guarding. */
export function toCsv(table: LeadExportTable): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [table.header, ...table.rows].map((r) => r.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
