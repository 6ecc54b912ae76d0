/**
 * Finding a person at the desk as the cashier types, offline, among up to 100,000 participants.
 * The index is one pass over the records (lower-cased, accents removed), then a search is a scan
 * of flat strings, stopping at the first `limit` hits: a few milliseconds for 100,000 people.
 * An exact badge code (scanned or pasted) is a map lookup.
 */
export interface SearchableParticipant {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  organization: string;
  badgeCode: string;
  legacyBadgeId: string;
  deleted?: boolean;
}

export interface ParticipantSearchIndex<P extends SearchableParticipant> {
  people: P[];
  haystacks: string[];
  byCode: Map<string, P>;
}

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

export function buildSearchIndex<P extends SearchableParticipant>(records: Iterable<P>): ParticipantSearchIndex<P> {
  const people: P[] = [];
  const haystacks: string[] = [];
  const byCode = new Map<string, P>();
  for (const p of records) {
    if (p.deleted) continue;
    people.push(p);
    haystacks.push(
      fold(
        `${p.firstName} ${p.lastName}\u0001${p.lastName} ${p.firstName}\u0001${p.email}\u0001${p.organization}\u0001${p.legacyBadgeId}`,
      ),
    );
    if (p.badgeCode) byCode.set(p.badgeCode.trim(), p);
    if (p.legacyBadgeId) byCode.set(p.legacyBadgeId.toUpperCase(), p);
  }
  return { people, haystacks, byCode };
}

/** The person a scanned or pasted badge code belongs to, if this device knows them. */
export function findByCode<P extends SearchableParticipant>(index: ParticipantSearchIndex<P>, code: string): P | null {
  const c = code.trim();
  return index.byCode.get(c) ?? index.byCode.get(c.toUpperCase()) ?? null;
}

/**
 * People whose name, email, organization or badge id contain every word typed (in any order).
 * A whole badge code returns its holder alone.
 */
export function searchParticipants<P extends SearchableParticipant>(
  index: ParticipantSearchIndex<P>,
  query: string,
  limit = 20,
): P[] {
  const q = query.trim();
  if (!q) return [];
  const byCode = findByCode(index, q);
  if (byCode) return [byCode];
  const words = fold(q).split(/\s+/).filter(Boolean);
  const out: P[] = [];
  const { haystacks, people } = index;
  for (let i = 0; i < haystacks.length && out.length < limit; i++) {
    const h = haystacks[i]!;
    let all = true;
    for (const w of words) {
      if (!h.includes(w)) {
        all = false;
        break;
      }
    }
    if (all) out.push(people[i]!);
  }
  return out;
}
