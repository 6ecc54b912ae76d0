import type {
  EventCreateInput,
  EventFileSlot,
  EventRecord,
  EventRole,
  SessionCoverRecord,
  SessionPayload,
} from '@makeplus/shared';
import { apiErrorFrom } from '../api/apiError';
import { AUTH_PATHS, authorizedFetch, getSession, refreshSession } from '../auth/session';
import type { Page } from '../organizer/eventApi';

export type MyEvent = EventRecord & { role: EventRole };

/**
 * A token is bound to one event (the server refuses another event's token). To edit, upload to
 * or delete an event other than the one open on this device, the console asks select-event for a
 * token of that event, uses it, and revokes it when done: the device's own session never changes.
 */
const sideTokens = new Map<string, Promise<{ accessToken: string; refreshToken: string }>>();

async function tokenFor(eventId: string): Promise<string> {
  const session = getSession();
  if (session?.event?.id === eventId) {
    // Refresh ahead when close to expiry: an XHR upload cannot retry after a 401 like authorizedFetch.
    if (session.accessExpiresAt - 60_000 <= Date.now()) await refreshSession().catch(() => {});
    return getSession()?.accessToken ?? session.accessToken;
  }
  let pending = sideTokens.get(eventId);
  if (!pending) {
    pending = (async () => {
      const res = await authorizedFetch(AUTH_PATHS.selectEvent, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ eventId }),
      });
      if (!res.ok) throw await apiErrorFrom(res);
      const body = (await res.json()) as SessionPayload;
      return { accessToken: body.accessToken, refreshToken: body.refreshToken };
    })();
    sideTokens.set(eventId, pending);
    pending.catch(() => sideTokens.delete(eventId));
  }
  return (await pending).accessToken;
}

/** Revoke the tokens taken for other events (best effort; they expire anyway). */
export async function releaseEventTokens(): Promise<void> {
  const all = [...sideTokens.values()];
  sideTokens.clear();
  for (const p of all) {
    const t = await p.catch(() => null);
    if (!t) continue;
    await fetch(AUTH_PATHS.logout, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: t.refreshToken }),
    }).catch(() => {});
  }
}

async function eventJson<T>(eventId: string, path: string, init: RequestInit = {}): Promise<T> {
  const session = getSession();
  let res: Response;
  if (session?.event?.id === eventId) res = await authorizedFetch(path, init);
  else {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await tokenFor(eventId)}`);
    headers.set('accept', 'application/json');
    res = await fetch(path, { ...init, headers });
  }
  if (!res.ok) throw await apiErrorFrom(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const jsonInit = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The events where I am staff, newest first. */
export async function listMyEvents(signal?: AbortSignal): Promise<Page<MyEvent>> {
  const res = await authorizedFetch('/api/v1/events?pageSize=500&sort=-startsAt', signal ? { signal } : {});
  if (!res.ok) throw await apiErrorFrom(res);
  return (await res.json()) as Page<MyEvent>;
}

export const getEvent = (eventId: string) => eventJson<EventRecord>(eventId, `/api/v1/events/${eventId}`);

export async function createEvent(input: EventCreateInput): Promise<EventRecord> {
  const res = await authorizedFetch('/api/v1/events', jsonInit('POST', input));
  if (!res.ok) throw await apiErrorFrom(res);
  return (await res.json()) as EventRecord;
}

export const updateEvent = (eventId: string, patch: Partial<EventCreateInput> & { rev?: number }) =>
  eventJson<EventRecord>(eventId, `/api/v1/events/${eventId}`, jsonInit('PATCH', patch));

export const deleteEvent = (event: Pick<EventRecord, 'id' | 'rev'>) =>
  eventJson<void>(event.id, `/api/v1/events/${event.id}?rev=${event.rev}`, { method: 'DELETE' });

export const clearEventFile = (eventId: string, slot: EventFileSlot) =>
  eventJson<EventRecord>(eventId, `/api/v1/events/${eventId}/files/${slot}`, { method: 'DELETE' });

/**
 * PUT a file with XMLHttpRequest, the one browser API that reports upload progress, with a token
 * of that event. Resolves with the JSON answer; rejects with an ApiError (400, 413, 415 with the
 * server's reason) or a TypeError when the network fails.
 */
export async function putFileWithProgress<T>(
  eventId: string,
  path: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<T> {
  const token = await tokenFor(eventId);
  const res = await new Promise<Response>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `${path}?filename=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () =>
      resolve(
        new Response(xhr.responseText, {
          status: xhr.status,
          headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
        }),
      );
    xhr.onerror = () => reject(new TypeError('Failed to fetch'));
    xhr.send(file);
  });
  if (!res.ok) throw await apiErrorFrom(res);
  onProgress(file.size, file.size);
  return (await res.json()) as T;
}

/** Send a file into an event's slot; resolves with the event as it is after the upload. */
export async function uploadEventFile(
  eventId: string,
  slot: EventFileSlot,
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<EventRecord> {
  const answer = await putFileWithProgress<{ event: EventRecord }>(
    eventId,
    `/api/v1/events/${eventId}/files/${slot}`,
    file,
    onProgress,
  );
  return answer.event;
}

/** Send a session's cover image (a new file); resolves with its description and URL. */
export const uploadSessionCover = (
  eventId: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<SessionCoverRecord> =>
  putFileWithProgress<SessionCoverRecord>(eventId, `/api/v1/events/${eventId}/session-covers`, file, onProgress);
