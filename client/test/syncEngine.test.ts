import type { ScanRecord } from '@makeplus/shared';
import type { RxCollection } from 'rxdb';
import { describe, expect, it } from 'vitest';
import type { LocalDoc } from '../src/sync/database';
import { editRecord, recordFacts } from '../src/sync/localWrites';
import { simulatedDevice, until } from './support/device';
import { organizerPull, realServerForFile } from './support/realServer';

const server = realServerForFile();

const count = (c: unknown) => (c as RxCollection<LocalDoc>).count().exec();

describe('sync engine with two devices', () => {
  it('first sync brings the whole scope with progress; offline writes on both reach both and the server exactly once', {
    timeout: 120_000,
  }, async () => {
    const a = await simulatedDevice(server.baseUrl, 'controller@demo.makeplus.local', ['participants', 'scans']);
    const b = await simulatedDevice(server.baseUrl, 'manager@demo.makeplus.local', ['participants', 'scans']);
    try {
      await a.engine.ready;
      await b.engine.ready;
      await until(
        'first sync on both',
        async () =>
          (await count(a.db.collections.participants)) === 300 && (await count(b.db.collections.participants)) === 300,
      );
      await until('first sync marked done', () => a.status.initialSync === null && b.status.initialSync === null);
      expect(a.status.lastSyncAt).toBeTruthy();

      a.online = false;
      b.online = false;
      const people = (await a.db.collections.participants!.find({ selector: {}, limit: 10 }).exec()).map((d) => d.id);
      const scan = (participantId: string) => ({
        participantId,
        badgeCode: `code-${participantId}`,
        roomId: null,
        sessionId: null,
        direction: 'in' as const,
        granted: true,
        reason: 'granted' as const,
        issuedOffline: false,
        operatorId: null,
      });
      await recordFacts(a, 'scans', people.slice(0, 5).map(scan));
      await recordFacts(b, 'scans', people.slice(5, 10).map(scan));
      expect(await a.engine.pendingCount()).toBe(5);

      a.online = true;
      b.online = true;
      await Promise.all([a.engine.syncNow(), b.engine.syncNow()]);
      await until(
        'each device holds all 10 scans',
        async () => (await count(a.db.collections.scans)) === 10 && (await count(b.db.collections.scans)) === 10,
      );
      await until(
        'nothing pending',
        async () => (await a.engine.pendingCount()) === 0 && (await b.engine.pendingCount()) === 0,
      );

      const onServer = (await organizerPull(server.baseUrl, 'scans')) as unknown as ScanRecord[];
      expect(onServer).toHaveLength(10);
      expect(new Set(onServer.map((s) => s.id)).size).toBe(10);
      expect(new Set(onServer.map((s) => s.deviceId))).toEqual(new Set([a.deviceId, b.deviceId]));
      expect(onServer.every((s) => s.receivedAt && Date.parse(s.receivedAt) >= Date.parse(s.occurredAt))).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a conflicting offline edit keeps the server state everywhere and lands in the conflict log on the server', {
    timeout: 120_000,
  }, async () => {
    const a = await simulatedDevice(
      server.baseUrl,
      'organizer@demo.makeplus.local',
      ['rooms', 'reconciliationFlags'],
      'orgA',
    );
    const b = await simulatedDevice(
      server.baseUrl,
      'organizer@demo.makeplus.local',
      ['rooms', 'reconciliationFlags'],
      'orgB',
    );
    try {
      await Promise.all([a.engine.ready, b.engine.ready]);
      await until(
        'rooms on both',
        async () => (await count(a.db.collections.rooms)) === 5 && (await count(b.db.collections.rooms)) === 5,
      );
      a.online = false;
      b.online = false;
      const roomA = await a.db.collections.rooms!.findOne({ selector: { name: 'Salle B' } }).exec();
      const roomB = await b.db.collections.rooms!.findOne({ selector: { name: 'Salle B' } }).exec();
      await editRecord(a, 'rooms', roomA!, { capacity: 200 });
      await editRecord(b, 'rooms', roomB!, { capacity: 80 });

      a.online = true;
      await a.engine.syncNow();
      b.online = true;
      await b.engine.syncNow();
      await until('both converge on the server state', async () => {
        const x = await a.db.collections.rooms!.findOne({ selector: { name: 'Salle B' } }).exec();
        const y = await b.db.collections.rooms!.findOne({ selector: { name: 'Salle B' } }).exec();
        return x?.capacity === 200 && y?.capacity === 200;
      });
      await until('the losing edit reached the server as a conflict flag', async () => {
        const flags = await organizerPull(server.baseUrl, 'reconciliationFlags');
        return flags.some(
          (f) => f.kind === 'conflicting_edit' && (f.details as { local: { capacity: number } }).local.capacity === 80,
        );
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
  it('with a refused token, writes stay pending on the device and go out after signing in again', {
    timeout: 120_000,
  }, async () => {
    const d = await simulatedDevice(server.baseUrl, 'controller@demo.makeplus.local', ['scans'], 'expired');
    try {
      await d.engine.ready;
      const valid = d.token;
      d.token = 'expired-or-revoked-token';
      const stored = await recordFacts(d, 'scans', [
        {
          participantId: null,
          badgeCode: 'kept-while-signed-out',
          roomId: null,
          sessionId: null,
          direction: 'in',
          granted: true,
          reason: 'granted',
          issuedOffline: false,
          operatorId: null,
        },
      ]);
      await until('the engine reports the sign-in problem', () => d.status.needsSignIn === true);
      expect(await d.engine.pendingCount()).toBe(1);
      d.token = valid;
      await d.engine.syncNow();
      await until('pushed after signing in again', async () => (await d.engine.pendingCount()) === 0);
      const onServer = await organizerPull(server.baseUrl, 'scans');
      expect(onServer.filter((s) => s.id === stored[0]?.id)).toHaveLength(1);
    } finally {
      await d.close();
    }
  });
});
