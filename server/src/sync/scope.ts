import {
  audiencesFor,
  type CollectionName,
  type CollectionSpec,
  collectionScope,
  collections,
  deviceCollections,
  type RowScope,
} from '@makeplus/shared';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { EventAccess } from '../accounts/principal';
import type { DB } from '../db/schema';
import { AppError, forbidden, writeRefused } from '../http/errors';

// biome-ignore lint/suspicious/noExplicitAny: the collection is chosen at run time (see recordStore.ts)
type AnySelect = SelectQueryBuilder<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: idem
type AnyDb = Kysely<any>;

/** Who is syncing: the caller's rights in the event plus the device it syncs from. */
export interface SyncCaller {
  access: EventAccess;
  deviceId: string;
}

/**
 * The caller's scope on a collection: the role's declared scope, kept only while the role holds the
 * permissions that open it in this event (`collectionScope` in shared/, fed by the one
 * authorization layer's `EventAccess`), so a permission an organizer removes closes the sync too.
 */
export function readScope(collection: CollectionName, access: EventAccess): RowScope {
  const scope = collectionScope(collection, 'read', access.role, access.permissions);
  if (!scope) throw forbidden(`Your role (${access.role}) does not receive ${collection}`);
  return scope;
}

export function writeScope(collection: CollectionName, access: EventAccess): RowScope {
  const spec = collections[collection] as CollectionSpec;
  if (spec.policy === 'serverOwned') throw writeRefused(`${collection} are maintained by the server`);
  const scope = collectionScope(collection, 'write', access.role, access.permissions);
  if (!scope) throw writeRefused(`Your role (${access.role}) may not write ${collection}`);
  return scope;
}

/** The collections of the role's device list the caller may read now. */
export function readableDeviceCollections(access: EventAccess): CollectionName[] {
  return deviceCollections[access.role].filter((c) => collectionScope(c, 'read', access.role, access.permissions));
}

/** Columns of the `visitors` projection: enough to name a visitor, no contact details. */
const VISITOR_BLANKS = { email: '', phone: '', userId: null, allowedRoomIds: null } as const;

/**
 * The rows of one collection a caller receives: always its event only, then narrowed by the
 * role's scope. Pull, live stream and first-sync snapshot all read through this one function.
 */
export function scopedRows(db: Kysely<DB>, collection: CollectionName, caller: SyncCaller): AnySelect {
  const { access } = caller;
  const scope = readScope(collection, access);
  let q = (db as unknown as AnyDb).selectFrom(collection).selectAll().where('eventId', '=', access.eventId);
  if (scope === 'own') q = ownRows(q, collection, caller);
  if (scope === 'public' && collection === 'announcements')
    q = q.where('audience', 'in', [...audiencesFor(access.role)]);
  return q;
}

/** Which shape of a collection's rows a caller receives (callers with the same projection get the same documents). */
export function projectionOf(collection: CollectionName, access: EventAccess): 'visitors' | 'full' {
  return collection === 'participants' && readScope(collection, access) === 'visitors' ? 'visitors' : 'full';
}

/** Shape a row for a caller (the `visitors` projection blanks contact details). */
export function projectRow(
  collection: CollectionName,
  access: EventAccess,
  row: Record<string, unknown>,
): Record<string, unknown> {
  if (projectionOf(collection, access) === 'visitors') return { ...row, ...VISITOR_BLANKS };
  return row;
}

/**
 * The same narrowing as `scopedRows`, on a row already read (camelCase, as Kysely returns it): the
 * live stream reads each change once for every stream of an event and filters per stream here.
 * Keep the two in step: `scopedRows` is the SQL of this predicate.
 */
export function inScope(collection: CollectionName, caller: SyncCaller, row: Record<string, unknown>): boolean {
  const { access } = caller;
  if (row.eventId !== access.eventId) return false;
  const scope = readScope(collection, access);
  if (scope === 'public' && collection === 'announcements')
    return (audiencesFor(access.role) as readonly unknown[]).includes(row.audience);
  if (scope !== 'own') return true;
  const [column, value] = ownFilter(collection, caller);
  return row[column] === value;
}

const NO_ID = '00000000-0000-0000-0000-000000000000';

/** The column and value that select a caller's own rows of a collection. */
function ownFilter(collection: CollectionName, { access, deviceId }: SyncCaller): [string, string] {
  switch (collection) {
    case 'participants':
      return ['id', access.participantId ?? NO_ID];
    case 'entitlements':
    case 'questions':
      return ['participantId', access.participantId ?? NO_ID];
    case 'roomAssignments':
      return ['userId', access.principal.kind === 'user' ? access.principal.userId : NO_ID];
    case 'cashRegisters':
      return ['id', access.cashRegisterId ?? NO_ID];
    case 'transactions':
    case 'transactionCancellations':
      return ['cashRegisterId', access.cashRegisterId ?? NO_ID];
    case 'exhibitors':
      return ['id', access.exhibitorId ?? NO_ID];
    case 'leads':
    case 'leadScans':
      return ['exhibitorId', access.exhibitorId ?? NO_ID];
    case 'reconciliationFlags':
      return ['deviceId', deviceId];
    default:
      throw new AppError(500, 'scope_missing', `no "own" scope defined for ${collection}`);
  }
}

function ownRows(q: AnySelect, collection: CollectionName, caller: SyncCaller): AnySelect {
  const [column, value] = ownFilter(collection, caller);
  return q.where(column, '=', value);
}

/** Is this document inside what the caller may write? (Checked on the new state and on the server's current state.) */
export function isWritable(collection: CollectionName, caller: SyncCaller, doc: Record<string, unknown>): boolean {
  const { access } = caller;
  const scope = writeScope(collection, access);
  if (doc.eventId !== access.eventId) return false;
  if (scope === 'all') return true;
  switch (collection) {
    case 'transactions':
    case 'transactionCancellations':
      return doc.cashRegisterId === access.cashRegisterId;
    case 'questions':
      return !!access.participantId && doc.participantId === access.participantId;
    case 'exhibitors':
      return doc.id === access.exhibitorId;
    case 'leads':
    case 'leadScans':
      return !!access.exhibitorId && doc.exhibitorId === access.exhibitorId;
    case 'reconciliationFlags':
      return (
        doc.deviceId === caller.deviceId &&
        (doc.kind === 'conflicting_edit' || doc.kind === 'refused_edit' || doc.kind === 'offline_badge')
      );
    default:
      return false;
  }
}
