import {
  type CashRegisterSummary,
  DEVICE_ID_HEADER,
  type EventRole,
  type EventSummary,
  type SessionPayload,
  type TwoFactorChallenge,
  type UserPublic,
} from '@makeplus/shared';
import { useSyncExternalStore } from 'react';
import { ApiError, apiErrorFrom, NotSignedInError } from '../api/apiError';
import { deviceId } from '../sync/device';
import { updateSyncStatus } from '../sync/status';

export type { CashRegisterSummary, EventSummary, SessionPayload };

/**
 * What this device remembers of a sign-in. Kept in localStorage so the app opens signed in after a
 * restart without network; nothing in it is wiped when the server refuses a refresh.
 */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since the epoch, by this device's clock). */
  accessExpiresAt: number;
  subject: 'user' | 'cash_register';
  user: UserPublic | null;
  cashRegister: CashRegisterSummary | null;
  events: EventSummary[];
  event: EventSummary | null;
  role: EventRole | null;
  requiresEventSelection: boolean;
  /** The sign-in email (prefilled, and locked, when signing in again). */
  email: string;
  /** The server refused the refresh token: the person must sign in again. Local data is kept. */
  needsSignIn: boolean;
}

export type RefreshOutcome = 'refreshed' | 'refused';

export const SESSION_STORAGE_KEY = 'makeplus.session';
const REFRESH_LOCK = 'makeplus.session.refresh';
/** Refresh a little before the access token expires rather than spend a request on a 401. */
const EXPIRY_MARGIN_MS = 30_000;
const LOGOUT_TIMEOUT_MS = 5_000;

export const AUTH_PATHS = {
  login: '/api/v1/auth/login',
  register: '/api/v1/auth/register',
  refresh: '/api/v1/auth/refresh',
  logout: '/api/v1/auth/logout',
  selectEvent: '/api/v1/auth/select-event',
  twoFactor: '/api/v1/auth/login/2fa',
} as const;

/** The password was right and the account has 2FA: `completeTwoFactor` with a code finishes. */
export class TwoFactorRequiredError extends Error {
  constructor(
    readonly email: string,
    readonly challengeToken: string,
  ) {
    super('Two-factor code required');
    this.name = 'TwoFactorRequiredError';
  }
}

let current: Session | null = readStored();
let refreshInFlight: Promise<RefreshOutcome> | null = null;
const listeners = new Set<() => void>();

if (current?.needsSignIn) updateSyncStatus({ needsSignIn: true });

function readStored(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.accessToken !== 'string' || typeof s.refreshToken !== 'string' || !Array.isArray(s.events))
      return null;
    return s as Session;
  } catch {
    return null;
  }
}

function write(next: Session | null): void {
  current = next;
  try {
    if (next) localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage full or blocked (private mode): the session still lives in memory.
  }
  for (const l of listeners) l();
}

/** Same account (person or cash register), whatever its tokens. */
function sameIdentity(a: Session, b: Session): boolean {
  if (a.subject !== b.subject) return false;
  return a.subject === 'user' ? a.user?.id === b.user?.id : a.cashRegister?.id === b.cashRegister?.id;
}

function fromPayload(p: SessionPayload, email: string): Session {
  return {
    accessToken: p.accessToken,
    refreshToken: p.refreshToken,
    accessExpiresAt: Date.now() + p.expiresIn * 1000,
    subject: p.subject,
    user: p.user,
    cashRegister: p.cashRegister,
    events: p.events,
    event: p.event,
    role: p.role,
    requiresEventSelection: p.requiresEventSelection,
    email,
    needsSignIn: false,
  };
}

function setSignedIn(next: Session): void {
  write(next);
  updateSyncStatus({ needsSignIn: false });
}

function markNeedsSignIn(): void {
  if (!current || current.needsSignIn) return;
  write({ ...current, needsSignIn: true });
  updateSyncStatus({ needsSignIn: true });
}

// Another tab signed in, refreshed, switched event or signed out: follow it.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key !== SESSION_STORAGE_KEY && e.key !== null) return;
    current = readStored();
    updateSyncStatus({ needsSignIn: current?.needsSignIn ?? false });
    for (const l of listeners) l();
  });
}

export function getSession(): Session | null {
  return current;
}

/** The account's own details changed (profile edit): keep the same tokens, show the new name. */
export function updateSessionUser(user: UserPublic): void {
  if (!current || current.subject !== 'user' || current.user?.id !== user.id) return;
  write({ ...current, user });
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}

async function postJson(path: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
}

/**
 * Sign in with an email and password (a person or a cash register).
 * Signing in again as the same account after a refused refresh keeps the event that was open,
 * so the device goes on where it stopped. Throws ApiError (wrong password: 401 invalid_credentials)
 * or a TypeError when the server cannot be reached.
 */
export async function login(email: string, password: string): Promise<Session> {
  const res = await postJson(AUTH_PATHS.login, { email, password });
  if (!res.ok) throw await apiErrorFrom(res);
  const body = (await res.json()) as SessionPayload | TwoFactorChallenge;
  if ('twoFactorRequired' in body) throw new TwoFactorRequiredError(email, body.challengeToken);
  return signedIn(body, email);
}

export interface SignUpInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  locale: 'fr' | 'en';
  /** The token of the invitation link: needed to claim an account waiting for this email. */
  invitation?: string;
}

/**
 * Create an account (or claim the one an invitation made for this email) and sign in with it.
 * Throws ApiError: 400 with the fields at fault (the password policy), 403 invitation_required
 * (a link was mailed to the address), 409 account_exists, 429.
 */
export async function signUp(input: SignUpInput): Promise<Session> {
  const res = await postJson(AUTH_PATHS.register, input);
  if (!res.ok) throw await apiErrorFrom(res);
  return signedIn((await res.json()) as SessionPayload, input.email);
}

/** The sign-in's second step: the challenge from `login` and a TOTP or recovery code. */
export async function completeTwoFactor(challenge: TwoFactorRequiredError, code: string): Promise<Session> {
  const res = await postJson(AUTH_PATHS.twoFactor, { challengeToken: challenge.challengeToken, code });
  if (!res.ok) throw await apiErrorFrom(res);
  return signedIn((await res.json()) as SessionPayload, challenge.email);
}

async function signedIn(payload: SessionPayload, email: string): Promise<Session> {
  const normalizedEmail = email.trim().toLowerCase();
  let next = fromPayload(payload, normalizedEmail);
  const previous = current;
  const previousEvent = previous?.event;
  if (
    previous &&
    previousEvent &&
    sameIdentity(previous, next) &&
    next.event?.id !== previousEvent.id &&
    next.events.some((e) => e.id === previousEvent.id)
  ) {
    // Bind the new tokens to the event that was open before showing anything, so the screen the
    // person was on stays put instead of passing through the event choice.
    const bound = await postJson(AUTH_PATHS.selectEvent, { eventId: previousEvent.id }, next.accessToken).catch(
      () => null,
    );
    if (bound?.ok) {
      const unbound = next;
      next = fromPayload((await bound.json()) as SessionPayload, normalizedEmail);
      void revoke(unbound.refreshToken);
    }
  }
  setSignedIn(next);
  // A session left on this device (another account, or this one) is replaced: end it on the server.
  if (previous && !previous.needsSignIn) void revoke(previous.refreshToken);
  return next;
}

/**
 * Choose (or switch) the event: new tokens bound to it. Needs the network.
 * The tokens of the previous event are revoked on the server, best effort.
 */
export async function selectEvent(eventId: string): Promise<Session> {
  const before = current;
  if (!before) throw new NotSignedInError();
  const res = await authorizedFetch(AUTH_PATHS.selectEvent, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ eventId }),
  });
  if (!res.ok) throw await apiErrorFrom(res);
  const replaced = current;
  const next = fromPayload((await res.json()) as SessionPayload, before.email);
  setSignedIn(next);
  // select-event opens a new token family; the old one is no longer needed.
  if (replaced && replaced.refreshToken !== next.refreshToken) void revoke(replaced.refreshToken);
  return next;
}

async function revoke(refreshToken: string): Promise<void> {
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), LOGOUT_TIMEOUT_MS);
    await fetch(AUTH_PATHS.logout, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      signal: controller.signal,
    }).finally(() => clearTimeout(timer));
  } catch {
    // Offline: the token simply expires on the server.
  }
}

/**
 * Sign out on this device: the session is forgotten at once, and the server is asked to revoke the
 * refresh token (best effort, it may be offline). Local records are not touched here.
 */
export async function logout(): Promise<void> {
  const s = current;
  write(null);
  updateSyncStatus({ needsSignIn: false });
  if (s) await revoke(s.refreshToken);
}

/**
 * Trade the refresh token for a new pair. Single-flight: concurrent callers share one request
 * (a refresh token is single-use; spending it twice would revoke the whole family), and a Web Lock
 * does the same across tabs. Resolves 'refused' when the server rejects the refresh token: the
 * session is then marked as needing sign-in, and everything else is kept. Rejects when the server
 * cannot be reached or fails (try again later).
 */
export function refreshSession(): Promise<RefreshOutcome> {
  if (!refreshInFlight) {
    refreshInFlight = withRefreshLock(doRefresh).finally(() => {
      refreshInFlight = null;
    });
  }
  return refreshInFlight;
}

function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request(REFRESH_LOCK, fn) : fn();
}

async function doRefresh(): Promise<RefreshOutcome> {
  const s = current;
  if (!s) throw new NotSignedInError();
  // Another tab may have refreshed while we waited for the lock: use its tokens.
  const stored = readStored();
  if (stored && stored.refreshToken !== s.refreshToken && sameIdentity(stored, s)) {
    current = stored;
    for (const l of listeners) l();
    return stored.needsSignIn ? 'refused' : 'refreshed';
  }
  if (s.needsSignIn) return 'refused';
  const res = await postJson(AUTH_PATHS.refresh, { refreshToken: s.refreshToken });
  // Signed out or in again meanwhile: this answer belongs to a session that is gone.
  if (current?.refreshToken !== s.refreshToken) return current ? 'refreshed' : 'refused';
  if (res.ok) {
    const body = (await res.json()) as { accessToken: string; refreshToken: string; expiresIn: number };
    const latest = getSession();
    if (latest?.refreshToken !== s.refreshToken) return latest ? 'refreshed' : 'refused';
    write({
      ...latest,
      accessToken: body.accessToken,
      refreshToken: body.refreshToken,
      accessExpiresAt: Date.now() + body.expiresIn * 1000,
    });
    return 'refreshed';
  }
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    markNeedsSignIn();
    return 'refused';
  }
  // 429, 5xx, a proxy error: the token may still be good; try again later.
  throw await apiErrorFrom(res);
}

function withBearer(init: RequestInit, token: string): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  // The audit trail records which device made each change, for the REST API as for sync.
  if (!headers.has(DEVICE_ID_HEADER)) headers.set(DEVICE_ID_HEADER, deviceId());
  return { ...init, headers };
}

/**
 * fetch() for the API with the session's Bearer token. On a 401 it refreshes once (shared with any
 * concurrent request) and retries; if the refresh is refused, the 401 response is returned and the
 * session is marked as needing sign-in. Resolves with the Response whatever its status, like fetch;
 * rejects with NotSignedInError when there is no session, and with fetch's TypeError offline.
 * The body must be replayable (string, Blob, FormData, URLSearchParams), since it may be sent twice.
 */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const s = current;
  if (!s) throw new NotSignedInError();
  if (!s.needsSignIn && s.accessExpiresAt - EXPIRY_MARGIN_MS <= Date.now()) {
    try {
      await refreshSession();
    } catch {
      // Unreachable or failing server: send the request anyway; it reports the real problem.
    }
  }
  const token = current?.accessToken ?? s.accessToken;
  const first = await fetch(path, withBearer(init, token));
  if (first.status !== 401) return first;

  const now = current;
  if (!now) return first;
  // A concurrent request already refreshed: just retry with the new token.
  if (now.accessToken !== token && !now.needsSignIn) return fetch(path, withBearer(init, now.accessToken));
  if (now.needsSignIn) return first;
  const outcome = await refreshSession();
  if (outcome === 'refused' || !current || current.needsSignIn) return first;
  return fetch(path, withBearer(init, current.accessToken));
}

/** authorizedFetch + JSON: the parsed body of a 2xx answer, an ApiError otherwise (204 gives undefined). */
export async function apiJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await authorizedFetch(path, init);
  if (!res.ok) throw await apiErrorFrom(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export { ApiError, NotSignedInError };
