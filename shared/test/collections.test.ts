import { describe, expect, it } from 'vitest';
import {
  type CollectionSpec,
  collectionNames,
  collections,
  deviceCollections,
  eventRoles,
  MAX_DEVICE_COLLECTIONS,
} from '../src';

describe('sync collections', () => {
  it('every record schema carries the sync metadata', () => {
    for (const name of collectionNames) {
      const shape = (collections[name] as CollectionSpec).schema.shape;
      for (const f of ['id', 'eventId', 'seq', 'rev', 'createdAt', 'updatedAt', 'deleted']) {
        expect(shape, `${name}.${f}`).toHaveProperty(f);
      }
    }
  });

  it('facts carry device time and arrival time', () => {
    for (const name of collectionNames) {
      const c = collections[name] as CollectionSpec;
      if (c.policy !== 'fact') continue;
      expect(c.schema.shape).toHaveProperty('occurredAt');
      expect(c.schema.shape).toHaveProperty('receivedAt');
      expect(c.schema.shape).toHaveProperty('deviceId');
    }
  });

  it('each role keeps few enough collections on its device, all of them readable', () => {
    for (const role of eventRoles) {
      const list = deviceCollections[role];
      expect(list.length).toBeLessThanOrEqual(MAX_DEVICE_COLLECTIONS);
      for (const n of list) {
        const c = collections[n] as CollectionSpec;
        expect(c.read[role], `${role} reads ${n}`).toBeDefined();
      }
    }
  });

  it('device indexes use no nullable field (IndexedDB cannot key null: queries would miss documents)', () => {
    for (const name of collectionNames) {
      const c = collections[name] as CollectionSpec;
      for (const field of c.indexes.flat()) {
        const f = c.schema.shape[field] as { safeParse(v: unknown): { success: boolean } } | undefined;
        expect(f, `${name}.${field}`).toBeDefined();
        expect(f?.safeParse(null).success, `${name}.${field} accepts null`).toBe(false);
      }
    }
  });

  it('server-owned collections accept no writes', () => {
    for (const name of collectionNames) {
      const c = collections[name] as CollectionSpec;
      if (c.policy === 'serverOwned') expect(Object.keys(c.write)).toEqual([]);
    }
  });
});
