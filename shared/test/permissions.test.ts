import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustableRoles,
  type CollectionSpec,
  collectionNames,
  collectionScope,
  collections,
  defaultPermissionsByRole,
  deviceCollections,
  eventRoles,
  grantableByRole,
  organizerOnlyPermissions,
  overrideIssues,
  permissions,
  permissionsFor,
} from '../src';

describe('permission matrix and safe bounds', () => {
  it('every default is within the bounds, and no role but the organizer can be given an organizer-only power', () => {
    for (const role of eventRoles) {
      for (const p of defaultPermissionsByRole[role]) expect(grantableByRole[role], `${role} ${p}`).toContain(p);
      if (role === 'organizer') continue;
      for (const p of organizerOnlyPermissions) expect(grantableByRole[role], `${role} ${p}`).not.toContain(p);
    }
  });

  it('overrideIssues refuses the organizer and anything outside the bounds, naming each permission', () => {
    expect(overrideIssues('organizer', [])).toEqual([expect.objectContaining({ role: 'organizer' })]);
    expect(overrideIssues('cashier', ['sales.read', 'stats.read'])).toEqual([]);
    const issues = overrideIssues('cashier', ['audit.read', 'scans.create']);
    expect(issues.map((i) => i.permission)).toEqual(['audit.read', 'scans.create']);
    expect(issues[0]?.reason).toMatch(/reserved to organizers/);
  });

  it('property: whatever an event stores, a role never holds more than its bounds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...eventRoles),
        fc.array(fc.constantFrom(...permissions), { maxLength: 30 }),
        (role, wanted) => {
          const held = permissionsFor(role, { [role]: wanted });
          for (const p of held) expect(grantableByRole[role]).toContain(p);
          if (adjustableRoles.includes(role) && overrideIssues(role, wanted).length === 0)
            expect([...held].sort()).toEqual([...new Set(wanted)].sort());
        },
      ),
    );
  });
});

describe('collection access follows permissions', () => {
  it('with the default permissions, every role keeps the scope its collections declare', () => {
    for (const name of collectionNames) {
      const spec = collections[name] as CollectionSpec;
      for (const role of eventRoles) {
        const held = permissionsFor(role);
        expect(collectionScope(name, 'read', role, held), `${role} reads ${name}`).toBe(spec.read[role] ?? null);
        expect(collectionScope(name, 'write', role, held), `${role} writes ${name}`).toBe(spec.write[role] ?? null);
      }
    }
    for (const role of eventRoles)
      for (const n of deviceCollections[role])
        expect(collectionScope(n, 'read', role, permissionsFor(role))).not.toBe(null);
  });

  it('narrowing a role closes its collections; granting never opens an undeclared one', () => {
    const withoutScans = permissionsFor('badge_controller', {
      badge_controller: defaultPermissionsByRole.badge_controller.filter((p) => !p.startsWith('scans.')),
    });
    expect(collectionScope('scans', 'read', 'badge_controller', withoutScans)).toBe(null);
    expect(collectionScope('scans', 'write', 'badge_controller', withoutScans)).toBe(null);
    const everything = new Set(permissions);
    expect(collectionScope('memberships', 'read', 'room_manager', everything)).toBe(null);
    expect(collectionScope('transactions', 'write', 'badge_controller', everything)).toBe(null);
    // Own rows stay readable: a cashier sees its own register even without any manage right.
    expect(collectionScope('cashRegisters', 'read', 'cashier', new Set())).toBe('own');
  });
});
