import type { EventRole } from '../accounts/roles';
import { type CollectionName, type CollectionSpec, collections, type RowScope } from '../sync/collections';
import type { Permission } from './permissions';

/**
 * Which permissions open a synced collection. The collection declarations (`sync/collections.ts`)
 * give each role its widest scope; a role keeps that scope only while it holds one of the listed
 * permissions, so an organizer narrowing a role narrows its devices' sync the same way as its REST
 * and mobile-API access. Permissions never widen a scope: a role not declared on a collection never
 * receives it, whatever it is granted.
 *
 * - `read` gates the `all` and `visitors` scopes (rows of other people); a device's `own` rows and
 *   the `public` announcements meant for its role stay readable;
 * - `write` gates the `all` scope, `ownWrite` the `own` scope. An empty list is no gate.
 */
export interface CollectionGate {
  read: readonly Permission[];
  write: readonly Permission[];
  ownWrite: readonly Permission[];
}

const gate = (read: Permission[], write: Permission[], ownWrite: Permission[] = []): CollectionGate => ({
  read,
  write,
  ownWrite,
});

export const collectionGates: Record<CollectionName, CollectionGate> = {
  events: gate([], ['event.manage']),
  rooms: gate([], ['rooms.manage']),
  sessions: gate([], ['sessions.manage', 'sessions.run']),
  participants: gate(['participants.read', 'leads.capture'], ['participants.manage']),
  memberships: gate(['staff.manage'], ['staff.manage']),
  roomAssignments: gate(['staff.manage'], ['staff.manage']),
  payableItems: gate(['items.manage', 'sales.create'], ['items.manage']),
  cashRegisters: gate(['cashRegisters.manage'], ['cashRegisters.manage']),
  transactions: gate(['sales.read'], ['sales.create'], ['sales.create']),
  transactionCancellations: gate(['sales.read'], ['sales.create'], ['sales.create']),
  entitlements: gate(['participants.read', 'sales.read'], []),
  scans: gate(['scans.read'], ['scans.create']),
  badgeTrust: gate([], []),
  announcements: gate(['announcements.read'], ['announcements.manage']),
  questions: gate(['questions.moderate'], ['questions.moderate'], ['questions.ask']),
  exhibitors: gate(['event.manage'], ['event.manage'], ['leads.capture']),
  leads: gate(['leads.capture', 'exports.read'], ['leads.capture'], ['leads.capture']),
  leadScans: gate(['leads.capture', 'exports.read'], ['leads.capture'], ['leads.capture']),
  reconciliationFlags: gate(['flags.read'], ['flags.resolve']),
};

/**
 * The scope a role holding `held` has on a collection (`null`: none). The one rule the server's
 * sync scope applies and a device uses to know which collections it may open.
 */
export function collectionScope(
  collection: CollectionName,
  mode: 'read' | 'write',
  role: EventRole,
  held: ReadonlySet<Permission>,
): RowScope | null {
  const spec = collections[collection] as CollectionSpec;
  const scope = (mode === 'read' ? spec.read : spec.write)[role];
  if (!scope) return null;
  const g = collectionGates[collection];
  const needed =
    mode === 'read' ? (scope === 'all' || scope === 'visitors' ? g.read : []) : scope === 'own' ? g.ownWrite : g.write;
  if (needed.length > 0 && !needed.some((p) => held.has(p))) return null;
  return scope;
}
