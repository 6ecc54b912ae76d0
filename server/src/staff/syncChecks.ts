import { isActiveOrganizer, leavesNoOrganizer, type MembershipRecord, membershipEditIssues } from '@makeplus/shared';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { AppError, type FieldError } from '../http/errors';
import type { SyncCaller } from '../sync/scope';
import { staffQueries } from './queries';

type Doc = Record<string, unknown>;

/**
 * Staff rules on role changes that arrive by sync (the console edits roles and deactivates people
 * offline too): the person's copy and the invitation are the server's; a room manager's room is a
 * room of the event; the event keeps an active organizer (the organizers' rows stay locked until
 * commit, as on the REST path, so two consoles demoting each other cannot both succeed).
 */
export const staffSyncChecks = {
  async memberships(trx: Transaction<DB>, doc: Doc, current: Doc | null, caller: SyncCaller): Promise<FieldError[]> {
    const after = doc as MembershipRecord;
    const before = current as MembershipRecord | null;
    const issues = membershipEditIssues(before, after);
    if (issues.length || !before) return issues;
    const q = staffQueries(trx);
    if (
      after.assignedRoomId !== null &&
      after.assignedRoomId !== before.assignedRoomId &&
      !(await q.roomExists(caller.access.eventId, after.assignedRoomId))
    )
      return [{ field: 'assignedRoomId', reason: 'no such room in this event' }];
    if (
      isActiveOrganizer(before) &&
      leavesNoOrganizer(await q.lockActiveOrganizers(caller.access.eventId), before, after)
    )
      throw new AppError(409, 'last_organizer', 'An event needs at least one active organizer; appoint another first');
    return [];
  },
};
