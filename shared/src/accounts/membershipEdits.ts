import type { EditIssue } from '../cashDesk/catalogueEdits';
import type { MembershipRecord } from './membership';

/** The copy of the person on a membership: set by the server from the account, never by a device. */
const PERSON_FIELDS = ['userId', 'userEmail', 'userFirstName', 'userLastName', 'assignedBy'] as const;

type MembershipState = Pick<
  MembershipRecord,
  (typeof PERSON_FIELDS)[number] | 'role' | 'isActive' | 'assignedRoomId' | 'exhibitorId' | 'deleted'
>;

/**
 * What an organizer's device may write to a person's role in the event by sync (offline too): the
 * role, the room a room manager manages, the stand, and whether it is active. Inviting someone
 * creates an account and sends mail, so it is done online; the person's name and email are copies
 * of their account and do not change here.
 */
export function membershipEditIssues(before: MembershipState | null, after: MembershipState): EditIssue[] {
  if (before === null)
    return [{ field: 'id', reason: 'invite people online: the server finds or creates the account and mails them' }];
  const issues: EditIssue[] = [];
  for (const f of PERSON_FIELDS)
    if (before[f] !== after[f])
      issues.push({ field: f, reason: 'a copy of the person’s account; it cannot be edited' });
  if (after.assignedRoomId !== null && after.assignedRoomId !== before.assignedRoomId && after.role !== 'room_manager')
    issues.push({ field: 'assignedRoomId', reason: 'only a room manager manages a room' });
  return issues;
}

/** Is this membership one of the event's active organizers? */
export function isActiveOrganizer(m: Pick<MembershipRecord, 'role' | 'isActive' | 'deleted'>): boolean {
  return m.role === 'organizer' && m.isActive && !m.deleted;
}

/**
 * Would this change leave the event without an active organizer? `organizers` are the event's
 * active organizers as stored (before the change).
 */
export function leavesNoOrganizer(
  organizers: readonly Pick<MembershipRecord, 'id'>[],
  before: Pick<MembershipRecord, 'id' | 'role' | 'isActive' | 'deleted'>,
  after: Pick<MembershipRecord, 'role' | 'isActive' | 'deleted'>,
): boolean {
  if (!isActiveOrganizer(before) || isActiveOrganizer(after)) return false;
  return organizers.filter((o) => o.id !== before.id).length === 0;
}
