import { describe, expect, it } from 'vitest';
import { leavesNoOrganizer, membershipEditIssues } from '../src/accounts/membershipEdits';
import { cashRegisterEditIssues, payableItemEditIssues } from '../src/cashDesk/catalogueEdits';

const item = {
  name: 'Dîner',
  priceMinor: 150_000,
  isActive: true,
  kind: 'dinner' as const,
  sessionId: null,
  deleted: false,
};
const workshop = {
  ...item,
  name: 'Atelier',
  kind: 'session' as const,
  sessionId: '0193a000-0000-7000-8000-000000000001',
};

describe('items on sale written by a device', () => {
  it('lets a dinner’s price, name and sale state change, and a new dinner be created', () => {
    expect(payableItemEditIssues(item, { ...item, priceMinor: 0, isActive: false, name: 'Gala' })).toEqual([]);
    expect(payableItemEditIssues(null, item)).toEqual([]);
  });
  it('refuses any change of a workshop’s item, its deletion, and a new workshop item', () => {
    expect(payableItemEditIssues(workshop, { ...workshop, priceMinor: 1 }).map((i) => i.field)).toEqual(['priceMinor']);
    expect(payableItemEditIssues(workshop, { ...workshop, deleted: true }).map((i) => i.field)).toEqual(['deleted']);
    expect(payableItemEditIssues(null, workshop).map((i) => i.field)).toEqual(['sessionId']);
    expect(payableItemEditIssues(null, { ...item, kind: 'session' }).map((i) => i.field)).toEqual(['kind']);
    expect(payableItemEditIssues(workshop, { ...workshop })).toEqual([]);
  });
  it('refuses linking an ordinary item to a session', () => {
    expect(payableItemEditIssues(item, { ...item, sessionId: workshop.sessionId }).map((i) => i.field)).toEqual([
      'sessionId',
    ]);
  });
});

describe('cash registers written by a device', () => {
  const register = { email: 'caisse@example.org', receiptPrefix: 'C1', deleted: false };
  it('lets the name and active state change (the rule does not look at them)', () => {
    expect(cashRegisterEditIssues(register, { ...register })).toEqual([]);
  });
  it('refuses a new register, a new email or prefix, and a deletion', () => {
    expect(cashRegisterEditIssues(null, register).map((i) => i.field)).toEqual(['id']);
    expect(
      cashRegisterEditIssues(register, { email: 'x@example.org', receiptPrefix: 'C2', deleted: true }).map(
        (i) => i.field,
      ),
    ).toEqual(['deleted', 'email', 'receiptPrefix']);
  });
});

describe('staff roles written by a device', () => {
  const member = {
    id: 'm1',
    userId: 'u1',
    userEmail: 'a@example.org',
    userFirstName: 'A',
    userLastName: 'B',
    assignedBy: null,
    role: 'badge_controller' as const,
    isActive: true,
    assignedRoomId: null,
    exhibitorId: null,
    deleted: false,
  };
  it('lets the role, the managed room and the active state change', () => {
    expect(membershipEditIssues(member, { ...member, role: 'room_manager', assignedRoomId: 'r1' })).toEqual([]);
    expect(membershipEditIssues(member, { ...member, isActive: false })).toEqual([]);
  });
  it('refuses a new membership, edits of the person’s copy, and a room for someone who is not a room manager', () => {
    expect(membershipEditIssues(null, member).map((i) => i.field)).toEqual(['id']);
    expect(
      membershipEditIssues(member, { ...member, userEmail: 'x@example.org', userId: 'u2' }).map((i) => i.field),
    ).toEqual(['userId', 'userEmail']);
    expect(membershipEditIssues(member, { ...member, assignedRoomId: 'r1' }).map((i) => i.field)).toEqual([
      'assignedRoomId',
    ]);
  });
  it('keeps one active organizer', () => {
    const org = { ...member, role: 'organizer' as const };
    expect(leavesNoOrganizer([org], org, { ...org, isActive: false })).toBe(true);
    expect(leavesNoOrganizer([org], org, { ...org, role: 'committee' })).toBe(true);
    expect(leavesNoOrganizer([org, { id: 'm2' }], org, { ...org, role: 'committee' })).toBe(false);
    expect(leavesNoOrganizer([org], org, { ...org })).toBe(false);
    expect(leavesNoOrganizer([], member, { ...member, isActive: false })).toBe(false);
  });
});
