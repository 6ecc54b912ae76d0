import { describe, expect, it } from 'vitest';
import { startTestApp } from './support/testApp';

describe('health and shutdown', () => {
  it('/health answers ok over HTTP; close() still answers the request in flight, then stops listening', async () => {
    const t = await startTestApp();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });

    const ok = await fetch(`${address}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', database: t.database.kind, db: true });

    // A request in flight when shutdown starts still gets its answer (a sign-in: a password hash).
    const received = new Promise((resolve) => t.app.server.once('request', resolve));
    const inFlight = fetch(`${address}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.org', password: 'wrong-password-1' }),
    }).then((r) => ({ status: r.status, connection: r.headers.get('connection') }));
    await received;
    await t.app.close();
    // Answered, and told to close its keep-alive connection: close() does not wait for the client's
    // keep-alive timeout (a hang would fail the test by its timeout, not by a clock).
    expect(await inFlight).toEqual({ status: 401, connection: 'close' });
    expect(t.app.server.listening).toBe(false);
    await expect(fetch(`${address}/health`)).rejects.toThrow();

    await t.close();
  });

  it('/health reports a lost database as 503 degraded', async () => {
    const t = await startTestApp();
    expect((await t.request('GET', '/health')).body).toMatchObject({ status: 'ok', db: true });
    await t.database.close();
    const down = await t.request('GET', '/health');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'degraded', database: t.database.kind, db: false });
    // Shutting down after the database went away still works.
    await t.app.close();
  });

  it('closing the app leaves no server, timer or connection behind', async () => {
    const baseline = new Set(process.getActiveResourcesInfo());
    const before = process.getActiveResourcesInfo().length;
    const t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    await t.close();
    // Let closed sockets and pools settle.
    await new Promise((r) => setTimeout(r, 200));
    const left = process.getActiveResourcesInfo().filter((r) => !baseline.has(r) && r !== 'TTYWrap');
    expect(
      left.filter((r) => /TCP|Server|Pipe/i.test(r)),
      JSON.stringify(left),
    ).toEqual([]);
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before + 1);
  });
});
