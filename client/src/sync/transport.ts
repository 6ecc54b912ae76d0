import { CLIENT_VERSION_HEADER, DEVICE_ID_HEADER, SYNC_PROTOCOL_VERSION } from '@makeplus/shared';

/** How the sync engine reaches the server: the app passes its authorized fetch (adds the token, refreshes on 401). */
export interface SyncTransport {
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's machine code (`validation_failed`, `last_organizer`…) and the fields at fault. */
    readonly code?: string,
    readonly fields?: readonly { field: string; reason: string }[],
  ) {
    super(message);
  }
}

/** A network failure (offline, server down) rather than a refusal. */
export function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof SyncHttpError && (err.status === 0 || err.status >= 502));
}

export function syncHeaders(deviceId: string, extra?: HeadersInit): Headers {
  const h = new Headers(extra);
  h.set(DEVICE_ID_HEADER, deviceId);
  h.set(CLIENT_VERSION_HEADER, String(SYNC_PROTOCOL_VERSION));
  return h;
}

export async function syncRequest<T>(
  transport: SyncTransport,
  deviceId: string,
  path: string,
  init: RequestInit = {},
): Promise<T> {
  const headers = syncHeaders(deviceId, init.headers);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await transport.fetch(path, { ...init, headers });
  if (!res.ok) {
    let body: { message?: string; error?: string; fields?: { field: string; reason: string }[] } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {}
    throw new SyncHttpError(res.status, body.message ?? res.statusText, body.error, body.fields);
  }
  return (await res.json()) as T;
}
