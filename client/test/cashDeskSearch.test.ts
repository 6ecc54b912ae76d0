import { describe, expect, it } from 'vitest';
import { buildSearchIndex, findByCode, searchParticipants } from '../src/cashDesk/participantSearch';

const FIRST = ['Amel', 'Karim', 'Sara', 'Yanis', 'Lina', 'Mehdi', 'Nadia', 'Walid', 'Rym', 'Samir'];
const LAST = ['Haddad', 'Bouzid', 'Ziani', 'Cherif', 'Saïdi', 'Benali', 'Mansouri', 'Khelifi', 'Amrani', 'Djebbar'];

function people(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `p-${i}`,
    firstName: FIRST[i % 10]!,
    lastName: `${LAST[Math.floor(i / 10) % 10]!}${i}`,
    email: `person.${i}@example.org`,
    organization: i % 3 === 0 ? 'CHU Mustapha' : 'Clinique Éléonore',
    badgeCode: `MKPL1.code${i}.sig`,
    legacyBadgeId: i % 2 ? `USER-${i}-ABCDEF12` : '',
  }));
}

describe('cash desk participant search', () => {
  it('finds by name in any order and without accents, by email, by organization, by badge code', () => {
    const index = buildSearchIndex(people(1000));
    expect(searchParticipants(index, 'saidi amel').map((p) => p.id)).toContain('p-40');
    expect(searchParticipants(index, 'person.123@').map((p) => p.id)).toEqual(['p-123']);
    expect(searchParticipants(index, 'eleonore', 5)).toHaveLength(5);
    expect(searchParticipants(index, 'MKPL1.code77.sig').map((p) => p.id)).toEqual(['p-77']);
    expect(findByCode(index, 'user-77-abcdef12')?.id).toBe('p-77');
    expect(searchParticipants(index, 'nobody here')).toEqual([]);
    expect(searchParticipants(index, '   ')).toEqual([]);
  });

  it('leaves deleted registrations out', () => {
    const list = people(3);
    const index = buildSearchIndex([...list.slice(0, 2), { ...list[2]!, deleted: true }]);
    expect(searchParticipants(index, 'person.2@')).toEqual([]);
  });

  it('answers every prefix as the cashier types, with 100,000 participants (timed in pnpm bench)', () => {
    const index = buildSearchIndex(people(100_000));
    expect(searchParticipants(index, 'a', 12)).toHaveLength(12);
    expect(searchParticipants(index, 'amel djebbar99990', 12).map((p) => p.id)).toEqual(['p-99990']);
    const amelBen = searchParticipants(index, 'amel ben', 12);
    expect(amelBen).toHaveLength(12);
    expect(amelBen.every((p) => p.firstName === 'Amel' && p.lastName.startsWith('Benali'))).toBe(true);
    expect(searchParticipants(index, 'zzzz', 12)).toEqual([]);
    expect(searchParticipants(index, 'person.99999@', 12).map((p) => p.id)).toEqual(['p-99999']);
  });
});
