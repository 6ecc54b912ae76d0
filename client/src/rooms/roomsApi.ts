import type { ReentryPolicy, RoomRecord } from '@makeplus/shared';
import { apiJson } from '../auth/session';
import { eventResourcePath, type Page } from '../organizer/eventApi';

export interface RoomInput {
  name: string;
  location: string;
  capacity: number | undefined;
  description: string;
  reentryPolicy: ReentryPolicy;
  isActive: boolean;
}

export const ROOMS_PAGE_SIZE = 50;

export function listRooms(eventId: string, q: string, page: number, signal?: AbortSignal): Promise<Page<RoomRecord>> {
  const query: Record<string, string | number> = { page, pageSize: ROOMS_PAGE_SIZE, sort: 'name' };
  if (q.trim()) query.q = q.trim();
  return apiJson<Page<RoomRecord>>(eventResourcePath(eventId, 'rooms', query), signal ? { signal } : {});
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export function createRoom(eventId: string, input: RoomInput): Promise<RoomRecord> {
  return apiJson<RoomRecord>(eventResourcePath(eventId, 'rooms'), json('POST', input));
}

/** Send only what changed, with the revision edited, so a concurrent change is detected (409). */
export function updateRoom(eventId: string, room: RoomRecord, patch: Partial<RoomInput>): Promise<RoomRecord> {
  return apiJson<RoomRecord>(
    eventResourcePath(eventId, `rooms/${room.id}`),
    json('PATCH', { ...patch, rev: room.rev }),
  );
}

export function deleteRoom(eventId: string, room: RoomRecord): Promise<void> {
  return apiJson<void>(eventResourcePath(eventId, `rooms/${room.id}`, { rev: room.rev }), { method: 'DELETE' });
}
