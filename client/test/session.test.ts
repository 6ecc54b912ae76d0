import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The session module against a fake of the server's auth API, reached through fetch (the only
 * thing replaced). It behaves like the real one: access tokens are checked on every request,
 * a refresh token is single-use, and spending one twice revokes its whole family.
 */
interface FakeEvent {
  id: string;
  name: string;
  role: 'organizer' | 'badge_controller';
  startsAt: string;
  endsAt: string;
  status: string;
  venue: string;
  primaryColor: string;
  logoUrl: null;
}

const EVENT_A: FakeEvent = {
  id: '0193a000-0000-7000-8000-0000000000a1',
  name: 'Congrès A',
  role: 'organizer',
  startsAt: '2026-11-22T07:00:00.000Z',
  endsAt: '2026-11-24T19:00:00.000Z',
  status: 'active',
  venue: 'Alger',
  primaryColor: '#9C27B0',
  logoUrl: null,
};
const EVENT_B: FakeEvent = { ...EVENT_A, id: '0193a000-0000-7000-8000-0000000000b2', name: 'Salon B' };
const USER = {
  id: '01a20125-2309-7825-a92a-1416160ab2cd',
  legacyId: 1,
  email: 'nadia@example.org',
  firstName: 'Nadia',
  lastName: 'Organisatrice',
  phone: '',
  locale: 'fr',
  badgeCode: 'MKPL1.x.y',
  legacyBadgeId: 'USER-1-160AB2CD',
  totpEnabled: false,
  isPlatformAdmin: false,
  createdAt: '2026-11-01T00:00:00.000Z',
};

class FakeAuthServer {
  events: FakeEvent[] = [EVENT_A];
  access = new Map<string, string | null>(); // token → event id
  refresh = new Map<string, { family: number; used: boolean; eventId: string | null }>();
  revokedFamilies = new Set<number>();
  calls: { path: string; method: string; auth: string | null; body: unknown }[] = [];
  /** Delay the refresh answer, so concurrent requests pile up behind it. */
  refreshDelayMs = 0;
  /** Make the refresh endpoint unreachable (fetch rejects, as offline). */
  refreshOffline = false;
  private n = 0;
  private families = 0;

  issue(eventId: string | null, family = ++this.families) {
    const access = `access-${++this.n}`;
    const refresh = `refresh-${this.n}`;
    this.access.set(access, eventId);
    this.refresh.set(refresh, { family, used: false, eventId });
    return { accessToken: access, refreshToken: refresh, expiresIn: 900 };
  }

  sessionPayload(eventId: string | null) {
    const event = this.events.find((e) => e.id === eventId) ?? (this.events.length === 1 ? this.events[0] : null);
    return {
      ...this.issue(event?.id ?? null),
      subject: 'user',
      user: USER,
      cashRegister: null,
      events: this.events,
      requiresEventSelection: !event && this.events.length > 1,
      event: event ?? null,
      role: event?.role ?? null,
    };
  }

  count(path: string) {
    return this.calls.filter((c) => c.path === path).length;
  }

  /** Expire every access token (as 15 minutes passing would). */
  expireAccessTokens() {
    this.access.clear();
  }

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const path = String(input);
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    this.calls.push({ path, method: init.method ?? 'GET', auth: headers.get('authorization'), body });
    const json = (status: number, payload?: unknown) =>
      new Response(payload === undefined ? null : JSON.stringify(payload), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    const bearer = headers.get('authorization')?.replace(/^Bearer /, '') ?? '';

    if (path === '/api/v1/auth/login') {
      if (body.password !== 'makeplus-demo') return json(401, { error: 'invalid_credentials', message: 'Wrong' });
      return json(200, this.sessionPayload(null));
    }
    if (path === '/api/v1/auth/refresh') {
      if (this.refreshOffline) throw new TypeError('Failed to fetch');
      if (this.refreshDelayMs) await new Promise((r) => setTimeout(r, this.refreshDelayMs));
      const row = this.refresh.get(body.refreshToken);
      if (!row || this.revokedFamilies.has(row.family)) return json(401, { error: 'token_not_valid', message: 'x' });
      if (row.used) {
        this.revokedFamilies.add(row.family);
        return json(401, { error: 'token_not_valid', message: 'reuse' });
      }
      row.used = true;
      const { accessToken, refreshToken, expiresIn } = this.issue(row.eventId, row.family);
      return json(200, { accessToken, refreshToken, expiresIn });
    }
    if (path === '/api/v1/auth/logout') {
      const row = this.refresh.get(body.refreshToken);
      if (row) this.revokedFamilies.add(row.family);
      return json(204);
    }
    if (!this.access.has(bearer)) return json(401, { error: 'token_expired', message: 'expired' });
    if (path === '/api/v1/auth/select-event') return json(200, this.sessionPayload(body.eventId));
    return json(200, { ok: true, token: bearer });
  };
}

let server: FakeAuthServer;

async function freshModules() {
  vi.resetModules();
  const session = await import('../src/auth/session');
  const status = await import('../src/sync/status');
  return { ...session, ...status };
}

beforeEach(() => {
  localStorage.clear();
  server = new FakeAuthServer();
  vi.stubGlobal('fetch', server.fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sign-in and the stored session', () => {
  it('keeps the session on the device, so the app opens signed in after a restart', async () => {
    const first = await freshModules();
    const s = await first.login('Nadia@Example.org ', 'makeplus-demo');
    expect(s.event?.id).toBe(EVENT_A.id);
    expect(s.role).toBe('organizer');
    expect(s.email).toBe('nadia@example.org');

    // A restart: new modules, same localStorage, no network at all.
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
    const restarted = await freshModules();
    const again = restarted.getSession();
    expect(again?.user?.firstName).toBe('Nadia');
    expect(again?.event?.name).toBe('Congrès A');
    expect(again?.accessToken).toBe(s.accessToken);
  });

  it('reports a wrong password as an ApiError and stores nothing', async () => {
    const m = await freshModules();
    await expect(m.login('nadia@example.org', 'nope')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    });
    expect(m.getSession()).toBeNull();
    expect(localStorage.getItem(m.SESSION_STORAGE_KEY)).toBeNull();
  });

  it('asks for an event when there are several, then binds new tokens to the chosen one', async () => {
    server.events = [EVENT_A, EVENT_B];
    const m = await freshModules();
    const s = await m.login('nadia@example.org', 'makeplus-demo');
    expect(s.requiresEventSelection).toBe(true);
    expect(s.event).toBeNull();

    const seen: (string | undefined)[] = [];
    m.subscribeSession(() => seen.push(m.getSession()?.event?.id));
    const chosen = await m.selectEvent(EVENT_B.id);
    expect(chosen.event?.id).toBe(EVENT_B.id);
    expect(server.access.get(chosen.accessToken)).toBe(EVENT_B.id);
    expect(seen).toContain(EVENT_B.id);
    // The tokens of the previous choice are given back.
    await vi.waitFor(() => expect(server.count('/api/v1/auth/logout')).toBe(1));
    expect(server.calls.find((c) => c.path === '/api/v1/auth/logout')?.body).toEqual({
      refreshToken: s.refreshToken,
    });
  });

  it('signs out even offline, forgetting the session on the device', async () => {
    const m = await freshModules();
    await m.login('nadia@example.org', 'makeplus-demo');
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
    await m.logout();
    expect(m.getSession()).toBeNull();
    expect(localStorage.getItem(m.SESSION_STORAGE_KEY)).toBeNull();
  });
});

describe('authorizedFetch and the refresh', () => {
  it('adds the Bearer token', async () => {
    const m = await freshModules();
    const s = await m.login('nadia@example.org', 'makeplus-demo');
    const res = await m.authorizedFetch('/api/v1/events/x/rooms');
    expect(res.status).toBe(200);
    expect(server.calls.at(-1)?.auth).toBe(`Bearer ${s.accessToken}`);
  });

  it('refreshes once for many requests that meet a 401 together, and retries them all', async () => {
    const m = await freshModules();
    const s = await m.login('nadia@example.org', 'makeplus-demo');
    server.expireAccessTokens();
    server.refreshDelayMs = 30;

    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => m.authorizedFetch(`/api/v1/events/x/rooms?page=${i + 1}`)),
    );

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(server.count('/api/v1/auth/refresh')).toBe(1);
    expect(server.revokedFamilies.size).toBe(0);
    const now = m.getSession();
    expect(now?.accessToken).not.toBe(s.accessToken);
    expect(now?.refreshToken).not.toBe(s.refreshToken);
    const tokens = new Set((await Promise.all(responses.map((r) => r.json()))).map((b) => b.token));
    expect([...tokens]).toEqual([now?.accessToken]);
    // The new pair is what a restart would find.
    expect(JSON.parse(localStorage.getItem(m.SESSION_STORAGE_KEY) ?? '{}').refreshToken).toBe(now?.refreshToken);
  });

  it('shares one refresh between direct refreshSession() callers too', async () => {
    const m = await freshModules();
    await m.login('nadia@example.org', 'makeplus-demo');
    server.refreshDelayMs = 20;
    const outcomes = await Promise.all([m.refreshSession(), m.refreshSession(), m.refreshSession()]);
    expect(outcomes).toEqual(['refreshed', 'refreshed', 'refreshed']);
    expect(server.count('/api/v1/auth/refresh')).toBe(1);
    // A later call is a new refresh with the new (unspent) token.
    expect(await m.refreshSession()).toBe('refreshed');
    expect(server.count('/api/v1/auth/refresh')).toBe(2);
    expect(server.revokedFamilies.size).toBe(0);
  });

  it('refreshes before sending when the access token is known to be expired', async () => {
    const m = await freshModules();
    await m.login('nadia@example.org', 'makeplus-demo');
    const stored = JSON.parse(localStorage.getItem(m.SESSION_STORAGE_KEY) ?? '{}');
    localStorage.setItem(m.SESSION_STORAGE_KEY, JSON.stringify({ ...stored, accessExpiresAt: Date.now() - 1000 }));
    const restarted = await freshModules();
    server.expireAccessTokens();
    const res = await restarted.authorizedFetch('/api/v1/events/x/rooms');
    expect(res.status).toBe(200);
    expect(server.calls.map((c) => c.path).slice(-2)).toEqual(['/api/v1/auth/refresh', '/api/v1/events/x/rooms']);
  });

  it('when the refresh is refused: keeps everything, flags needs-sign-in, and returns the 401', async () => {
    const m = await freshModules();
    const s = await m.login('nadia@example.org', 'makeplus-demo');
    server.expireAccessTokens();
    server.revokedFamilies.add(server.refresh.get(s.refreshToken)?.family ?? -1);

    const res = await m.authorizedFetch('/api/v1/events/x/rooms');
    expect(res.status).toBe(401);

    const kept = m.getSession();
    expect(kept).toMatchObject({
      needsSignIn: true,
      accessToken: s.accessToken,
      refreshToken: s.refreshToken,
      user: { id: USER.id },
      event: { id: EVENT_A.id },
      role: 'organizer',
    });
    expect(m.getSyncStatus().needsSignIn).toBe(true);
    expect(JSON.parse(localStorage.getItem(m.SESSION_STORAGE_KEY) ?? '{}').needsSignIn).toBe(true);

    // No more refresh attempts with a token the server refused.
    const refreshes = server.count('/api/v1/auth/refresh');
    expect((await m.authorizedFetch('/api/v1/events/x/rooms')).status).toBe(401);
    expect(await m.refreshSession()).toBe('refused');
    expect(server.count('/api/v1/auth/refresh')).toBe(refreshes);

    // After a restart the device still knows it must sign in again.
    const restarted = await freshModules();
    expect(restarted.getSession()?.needsSignIn).toBe(true);
    expect(restarted.getSyncStatus().needsSignIn).toBe(true);
  });

  it('signing in again as the same account clears the flag and returns to the event that was open', async () => {
    server.events = [EVENT_A, EVENT_B];
    const m = await freshModules();
    await m.login('nadia@example.org', 'makeplus-demo');
    const bound = await m.selectEvent(EVENT_B.id);
    server.expireAccessTokens();
    server.revokedFamilies.add(server.refresh.get(bound.refreshToken)?.family ?? -1);
    await m.authorizedFetch('/api/v1/events/x/rooms');
    expect(m.getSession()?.needsSignIn).toBe(true);

    const seen: (string | null | undefined)[] = [];
    m.subscribeSession(() => seen.push(m.getSession()?.event?.id ?? null));
    const back = await m.login('nadia@example.org', 'makeplus-demo');
    // The open screen never sees a session without its event (which would send it to the event choice).
    expect(seen).toEqual([EVENT_B.id]);
    expect(back.needsSignIn).toBe(false);
    expect(back.event?.id).toBe(EVENT_B.id);
    expect(server.access.get(back.accessToken)).toBe(EVENT_B.id);
    expect(m.getSyncStatus().needsSignIn).toBe(false);
    expect((await m.authorizedFetch('/api/v1/events/x/rooms')).status).toBe(200);
  });

  it('does not take a network failure during the refresh for a refusal', async () => {
    const m = await freshModules();
    await m.login('nadia@example.org', 'makeplus-demo');
    server.expireAccessTokens();
    server.refreshOffline = true;
    await expect(m.authorizedFetch('/api/v1/events/x/rooms')).rejects.toBeInstanceOf(TypeError);
    expect(m.getSession()?.needsSignIn).toBe(false);
    expect(m.getSyncStatus().needsSignIn).toBe(false);

    server.refreshOffline = false;
    expect((await m.authorizedFetch('/api/v1/events/x/rooms')).status).toBe(200);
  });

  it('refuses to send without a session', async () => {
    const m = await freshModules();
    await expect(m.authorizedFetch('/api/v1/auth/me')).rejects.toBeInstanceOf(m.NotSignedInError);
  });
});
