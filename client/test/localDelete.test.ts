import type { RxCollection } from 'rxdb';
import { expect, it } from 'vitest';
import type { LocalDoc } from '../src/sync/database';
import { createRecord, editRecord, removeRecord } from '../src/sync/localWrites';
import { simulatedDevice, until } from './support/device';
import { realServerForFile } from './support/realServer';

const server = realServerForFile();

const titles = async (c: unknown) =>
  (await (c as RxCollection<LocalDoc>).find().exec()).map((d) => d.get('title') as string);

it('an announcement created, edited and deleted on the organizer’s device leaves the participant’s device', {
  timeout: 120_000,
}, async () => {
  const organizer = await simulatedDevice(server.baseUrl, 'organizer@demo.makeplus.local', ['announcements'], 'org');
  const participant = await simulatedDevice(server.baseUrl, 'participant@demo.makeplus.local', ['announcements'], 'me');
  try {
    await Promise.all([organizer.engine.ready, participant.engine.ready]);
    const created = await createRecord(organizer, 'announcements', {
      title: 'Navette',
      body: 'Départ 18 h.',
      audience: 'participants',
      createdBy: null,
      createdByName: 'Test',
      legacyId: 0,
    });
    await until('the participant receives it', async () =>
      (await titles(participant.db.collections.announcements)).includes('Navette'),
    );

    // Edited online (the participant sees the edit), then deleted online.
    const doc = await organizer.db.collections.announcements!.findOne(created.id).exec();
    await editRecord(organizer, 'announcements', doc!, { title: 'Navette (19 h)' });
    await until('the edit reaches the participant', async () => {
      await participant.engine.syncNow();
      return (await titles(participant.db.collections.announcements)).includes('Navette (19 h)');
    });
    await removeRecord(doc!);
    await organizer.engine.syncNow();
    await until('the deletion reaches the participant', async () => {
      await participant.engine.syncNow();
      return !(await titles(participant.db.collections.announcements)).some((t) => t.startsWith('Navette'));
    });
    // And it stays deleted on the organizer's device (no conflict brought it back).
    await organizer.engine.syncNow();
    expect(await organizer.db.collections.announcements!.findOne(created.id).exec()).toBeNull();
  } finally {
    await organizer.close();
    await participant.close();
  }
});
