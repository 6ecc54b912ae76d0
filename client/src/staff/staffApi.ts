import type { EventRole, MembershipRecord, RoomAssignmentRecord } from '@makeplus/shared';
import { apiJson } from '../auth/session';
import { eventResourcePath, type Page } from '../organizer/eventApi';

/**
 * Staff writes go through the REST API, not the device's database: the server keeps its rules
 * there (an invitation creates or finds the account and mails the person, an event keeps an active
 * organizer, a person is in one room at a time). Reads of the team come from the device (synced).
 */
export interface InviteInput {
  email: string;
  firstName: string;
  lastName: string;
  role: EventRole;
  assignedRoomId: string | null;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export function inviteStaff(eventId: string, input: InviteInput): Promise<MembershipRecord> {
  return apiJson(eventResourcePath(eventId, 'memberships'), json('POST', input));
}

export function updateMembership(
  eventId: string,
  m: MembershipRecord,
  patch: Partial<Pick<MembershipRecord, 'role' | 'isActive' | 'assignedRoomId'>>,
): Promise<MembershipRecord> {
  return apiJson(eventResourcePath(eventId, `memberships/${m.id}`), json('PATCH', { ...patch, rev: m.rev }));
}

export interface AssignmentInput {
  userId: string;
  roomId: string;
  startsAt: string;
  endsAt: string;
}

/** Every room slot of the event (an event has tens of staff, not thousands: one page of 500). */
export async function listAssignments(eventId: string, signal?: AbortSignal): Promise<RoomAssignmentRecord[]> {
  const page = await apiJson<Page<RoomAssignmentRecord>>(
    eventResourcePath(eventId, 'room-assignments', { pageSize: 500, sort: 'startsAt' }),
    signal ? { signal } : {},
  );
  return page.items;
}

export function createAssignment(eventId: string, input: AssignmentInput): Promise<RoomAssignmentRecord> {
  return apiJson(eventResourcePath(eventId, 'room-assignments'), json('POST', input));
}

export function setAssignmentActive(
  eventId: string,
  a: RoomAssignmentRecord,
  isActive: boolean,
): Promise<RoomAssignmentRecord> {
  return apiJson(eventResourcePath(eventId, `room-assignments/${a.id}`), json('PATCH', { isActive, rev: a.rev }));
}

export function deleteAssignment(eventId: string, a: RoomAssignmentRecord): Promise<void> {
  return apiJson(eventResourcePath(eventId, `room-assignments/${a.id}`, { rev: a.rev }), { method: 'DELETE' });
}
