import type { MembershipRecord, ReconciliationFlagRecord } from '@makeplus/shared';
import { expect, it } from 'vitest';
import { createRecord, editRecord, removeRecord } from '../src/sync/localWrites';
import { simulatedDevice, until } from './support/device';
import { organizerPull, realServerForFile } from './support/realServer';

/**
 * An offline edit the server refuses for good (here: a room manager given a room that another
 * console deleted meanwhile) must neither block the device's other edits of the same collection
 * forever nor vanish: it is reverted on the device and kept, with the server's reason, as a
 * `refused_edit` flag in the organizer's reconciliation inbox.
 */
const server = realServerForFile();

it('an offline edit refused by the server is reverted and flagged with its reason; the other edits of its batch go through', {
  timeout: 120_000,
}, async () => {
  const a = await simulatedDevice(
    server.baseUrl,
    'organizer@demo.makeplus.local',
    ['rooms', 'memberships', 'reconciliationFlags'],
    'consoleA',
  );
  const b = await simulatedDevice(server.baseUrl, 'organizer@demo.makeplus.local', ['rooms'], 'consoleB');
  try {
    await Promise.all([a.engine.ready, b.engine.ready]);
    const room = await createRecord(a, 'rooms', {
      name: 'Salle éphémère',
      description: '',
      capacity: 40,
      location: '',
      isActive: true,
      reentryPolicy: 'after_exit',
    });
    await a.engine.syncNow();
    await until('the other console has the new room', async () => {
      await b.engine.syncNow();
      return (await b.db.collections.rooms!.findOne(room.id).exec()) !== null;
    });
    const memberships = a.db.collections.memberships!;
    await until('first sync done', () => a.status.initialSync === null);
    const manager = await memberships.findOne({ selector: { role: 'room_manager' } }).exec();
    const controller = await memberships.findOne({ selector: { role: 'badge_controller', isActive: true } }).exec();
    expect(manager && controller).toBeTruthy();
    const managerBefore = manager!.toJSON() as unknown as MembershipRecord;

    // Console A, offline: the manager gets the new room, the controller is deactivated (one batch).
    a.online = false;
    await editRecord(a, 'memberships', manager!, { assignedRoomId: room.id });
    await editRecord(a, 'memberships', controller!, { isActive: false });
    expect(await a.engine.pendingCount()).toBe(2);

    // Meanwhile console B, online, deletes that room.
    await removeRecord((await b.db.collections.rooms!.findOne(room.id).exec())!);
    await b.engine.syncNow();

    a.online = true;
    await a.engine.syncNow();
    await until('nothing pending on console A', async () => (await a.engine.pendingCount()) === 0);
    expect(a.status.error ?? null).toBeNull();
    expect(a.status.refused?.count).toBe(1);
    expect(a.status.refused?.lastReason).toContain('no such room in this event');

    // The accepted edit is on the server; the refused one is not, and the device went back to the server's version.
    const onServer = (await organizerPull(server.baseUrl, 'memberships')) as unknown as MembershipRecord[];
    expect(onServer.find((m) => m.id === controller!.id)?.isActive).toBe(false);
    expect(onServer.find((m) => m.id === manager!.id)?.assignedRoomId).toBe(managerBefore.assignedRoomId);
    const local = await memberships.findOne(manager!.id).exec();
    expect(local?.get('assignedRoomId')).toBe(managerBefore.assignedRoomId);

    // Kept with the reason, on the device and (synced) on the server, for the organizer's inbox.
    await until('the refused edit reached the server as a flag', async () => {
      await a.engine.syncNow();
      const flags = (await organizerPull(
        server.baseUrl,
        'reconciliationFlags',
      )) as unknown as ReconciliationFlagRecord[];
      const flag = flags.find((f) => f.kind === 'refused_edit' && f.subjectId === manager!.id);
      if (!flag) return false;
      const d = flag.details as {
        collection: string;
        changedFields: string[];
        local: { assignedRoomId: string };
        refusal: { status: number; fields: { field: string; reason: string }[] };
      };
      expect(d.collection).toBe('memberships');
      expect(d.changedFields).toContain('assignedRoomId');
      expect(d.local.assignedRoomId).toBe(room.id);
      expect(d.refusal.status).toBe(400);
      expect(d.refusal.fields).toEqual([{ field: 'assignedRoomId', reason: 'no such room in this event' }]);
      expect(flag.deviceId).toBe(a.deviceId);
      return true;
    });
    // The device keeps working: a later edit of the same collection goes through.
    await editRecord(a, 'memberships', (await memberships.findOne(controller!.id).exec())!, { isActive: true });
    await a.engine.syncNow();
    await until('the later edit is on the server', async () => {
      const again = (await organizerPull(server.baseUrl, 'memberships')) as unknown as MembershipRecord[];
      return again.find((m) => m.id === controller!.id)?.isActive === true;
    });
  } finally {
    await a.close();
    await b.close();
  }
});
