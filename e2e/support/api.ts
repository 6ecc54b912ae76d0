import { type APIRequestContext, expect, request } from '@playwright/test';
import { DEMO_PASSWORD, type DemoAccount, demoAccounts } from './accounts';

export function baseURL(): string {
  const url = process.env.MAKEPLUS_E2E_BASE_URL;
  if (!url) throw new Error('MAKEPLUS_E2E_BASE_URL is not set: run the tests through playwright.config.ts');
  return url;
}

export interface EventSummary {
  id: string;
  name: string;
  role: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  primaryColor: string;
}

export interface ApiSession {
  accessToken: string;
  refreshToken: string;
  event: EventSummary;
  /** A request context that sends this account's Bearer token. Dispose it when done. */
  api: APIRequestContext;
}

/**
 * Sign a demo account in through the REST API (no browser), bound to its event: for seeding or
 * checking data from a test. Accounts with several events get the first one.
 */
export async function apiSignIn(account: DemoAccount): Promise<ApiSession> {
  const anon = await request.newContext({ baseURL: baseURL() });
  try {
    const res = await anon.post('/api/v1/auth/login', {
      data: { email: demoAccounts[account], password: DEMO_PASSWORD },
    });
    expect(res.status(), await res.text()).toBe(200);
    let body = (await res.json()) as {
      accessToken: string;
      refreshToken: string;
      event: EventSummary | null;
      events: EventSummary[];
    };
    if (!body.event) {
      const first = body.events[0];
      if (!first) throw new Error(`${account} has no event`);
      const sel = await anon.post('/api/v1/auth/select-event', {
        data: { eventId: first.id },
        headers: { authorization: `Bearer ${body.accessToken}` },
      });
      expect(sel.status(), await sel.text()).toBe(200);
      body = await sel.json();
    }
    const event = body.event as EventSummary;
    const api = await request.newContext({
      baseURL: baseURL(),
      extraHTTPHeaders: { authorization: `Bearer ${body.accessToken}` },
    });
    return { accessToken: body.accessToken, refreshToken: body.refreshToken, event, api };
  } finally {
    await anon.dispose();
  }
}
