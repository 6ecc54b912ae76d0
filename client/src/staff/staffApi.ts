import type { EventRole, MembershipRecord, RoomAssignmentRecord } from '@makeplus/shared';
import { apiJson } from '../auth/session';
import { eventResourcePath, type Page } from '../organizer/eventApi';

/**
 * The staff writes that need the network: an invitation (the server finds or creates the account
 * and mails the person) and room slots (a person is in one room at a time, checked on the server).
 * Role changes and deactivations are written on the device and sync, offline too (StaffPage).
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
