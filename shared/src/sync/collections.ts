import type { z } from 'zod';
import { membershipRecord, roomAssignmentRecord } from '../accounts/membership';
import type { EventRole } from '../accounts/roles';
import { announcementRecord } from '../announcements/announcement';
import {
  cashRegisterRecord,
  entitlementRecord,
  payableItemRecord,
  transactionCancellationRecord,
  transactionRecord,
} from '../cashDesk/cashDesk';
import { badgeTrustRecord, scanRecord } from '../doorControl/scan';
import { eventRecord } from '../events/event';
import { exhibitorRecord, leadRecord, leadScanRecord } from '../leads/lead';
import { participantRecord } from '../participants/participant';
import { questionRecord } from '../questions/question';
import { reconciliationFlagRecord } from '../reconciliation/flag';
import { roomRecord } from '../rooms/room';
import { sessionRecord } from '../rooms/session';

/**
 * How the server merges a pushed document:
 * - `fact`: append-only; a push of an id the server already holds is a no-op (idempotent), never a conflict;
 * - `editable`: revision-checked; a push whose assumed revision is not the server's gets the server state back as a conflict;
 * - `serverOwned`: derived by the server; devices only read it.
 */
export type MergePolicy = 'fact' | 'editable' | 'serverOwned';

/**
 * Which rows of the event a role receives (or may write):
 * - `all`: every row of the event;
 * - `own`: only the rows that belong to the caller (its register, its stand, itself), as the collection defines it;
 * - `public`: the rows meant for that role (e.g. announcements for its audience, active items);
 * - `visitors`: participants reduced to what names a visitor (no contact details).
 */
export type RowScope = 'all' | 'own' | 'public' | 'visitors';

export interface CollectionSpec<S extends z.ZodObject = z.ZodObject> {
  /** Name in URLs and on the device (camelCase). */
  name: string;
  /** Server table. */
  table: string;
  schema: S;
  policy: MergePolicy;
  /** Local indexes the device needs (each an array of fields). */
  indexes: readonly (readonly string[])[];
  read: Partial<Record<EventRole, RowScope>>;
  write: Partial<Record<EventRole, RowScope>>;
}

const ALL_STAFF_READ = {
  organizer: 'all',
  room_manager: 'all',
  badge_controller: 'all',
  cashier: 'all',
  exhibitor: 'all',
  committee: 'all',
  participant: 'all',
} as const satisfies Partial<Record<EventRole, RowScope>>;

function spec<S extends z.ZodObject>(s: CollectionSpec<S>): CollectionSpec<S> {
  return s;
}

/** Every synced collection. Adding one is a declaration here plus a table; the protocol is generic. */
export const collections = {
  events: spec({
    name: 'events',
    table: 'events',
    schema: eventRecord,
    policy: 'editable',
    indexes: [],
    read: ALL_STAFF_READ,
    write: { organizer: 'all' },
  }),
  rooms: spec({
    name: 'rooms',
    table: 'rooms',
    schema: roomRecord,
    policy: 'editable',
    indexes: [['name']],
    read: ALL_STAFF_READ,
    write: { organizer: 'all' },
  }),
  sessions: spec({
    name: 'sessions',
    table: 'sessions',
    schema: sessionRecord,
    policy: 'editable',
    indexes: [['roomId', 'startsAt']],
    read: ALL_STAFF_READ,
    write: { organizer: 'all', room_manager: 'all' },
  }),
  participants: spec({
    name: 'participants',
    table: 'participants',
    schema: participantRecord,
    policy: 'editable',
    indexes: [['badgeCode'], ['legacyBadgeId'], ['userLegacyId'], ['lastName', 'firstName']],
    read: {
      organizer: 'all',
      room_manager: 'all',
      badge_controller: 'all',
      cashier: 'all',
      committee: 'all',
      exhibitor: 'visitors',
      participant: 'own',
    },
    write: { organizer: 'all', cashier: 'all' },
  }),
  memberships: spec({
    name: 'memberships',
    table: 'memberships',
    schema: membershipRecord,
    policy: 'editable',
    indexes: [['userId']],
    read: { organizer: 'all' },
    write: { organizer: 'all' },
  }),
  roomAssignments: spec({
    name: 'roomAssignments',
    table: 'room_assignments',
    schema: roomAssignmentRecord,
    policy: 'editable',
    indexes: [['roomId']],
    read: { organizer: 'all', room_manager: 'own', badge_controller: 'own' },
    write: { organizer: 'all' },
  }),
  payableItems: spec({
    name: 'payableItems',
    table: 'payable_items',
    schema: payableItemRecord,
    policy: 'editable',
    indexes: [],
    read: { organizer: 'all', cashier: 'all' },
    write: { organizer: 'all' },
  }),
  cashRegisters: spec({
    name: 'cashRegisters',
    table: 'cash_registers',
    schema: cashRegisterRecord,
    policy: 'editable',
    indexes: [],
    read: { organizer: 'all', cashier: 'own' },
    write: { organizer: 'all' },
  }),
  transactions: spec({
    name: 'transactions',
    table: 'transactions',
    schema: transactionRecord,
    policy: 'fact',
    indexes: [['participantId'], ['occurredAt']],
    read: { organizer: 'all', cashier: 'own' },
    write: { cashier: 'own' },
  }),
  transactionCancellations: spec({
    name: 'transactionCancellations',
    table: 'transaction_cancellations',
    schema: transactionCancellationRecord,
    policy: 'fact',
    indexes: [['transactionId']],
    read: { organizer: 'all', cashier: 'own' },
    write: { cashier: 'own' },
  }),
  entitlements: spec({
    name: 'entitlements',
    table: 'entitlements',
    schema: entitlementRecord,
    policy: 'serverOwned',
    indexes: [['participantId']],
    read: {
      organizer: 'all',
      room_manager: 'all',
      badge_controller: 'all',
      cashier: 'all',
      participant: 'own',
    },
    write: {},
  }),
  scans: spec({
    name: 'scans',
    table: 'scans',
    schema: scanRecord,
    policy: 'fact',
    // No nullable field in a device index: IndexedDB cannot key null, and RxDB's queries then miss the document.
    indexes: [['occurredAt']],
    read: { organizer: 'all', room_manager: 'all', badge_controller: 'all' },
    write: { organizer: 'all', room_manager: 'all', badge_controller: 'all' },
  }),
  badgeTrust: spec({
    name: 'badgeTrust',
    table: 'badge_trust',
    schema: badgeTrustRecord,
    policy: 'serverOwned',
    indexes: [['badgeCode']],
    read: {
      organizer: 'all',
      room_manager: 'all',
      badge_controller: 'all',
      cashier: 'all',
      exhibitor: 'all',
    },
    write: {},
  }),
  announcements: spec({
    name: 'announcements',
    table: 'announcements',
    schema: announcementRecord,
    policy: 'editable',
    indexes: [],
    read: {
      organizer: 'all',
      committee: 'all',
      room_manager: 'public',
      badge_controller: 'public',
      cashier: 'public',
      exhibitor: 'public',
      participant: 'public',
    },
    write: { organizer: 'all' },
  }),
  questions: spec({
    name: 'questions',
    table: 'questions',
    schema: questionRecord,
    policy: 'editable',
    indexes: [['sessionId']],
    read: { organizer: 'all', room_manager: 'all', committee: 'all', participant: 'own' },
    write: { organizer: 'all', room_manager: 'all', committee: 'all', participant: 'own' },
  }),
  exhibitors: spec({
    name: 'exhibitors',
    table: 'exhibitors',
    schema: exhibitorRecord,
    policy: 'editable',
    indexes: [],
    read: { organizer: 'all', exhibitor: 'own' },
    write: { organizer: 'all', exhibitor: 'own' },
  }),
  leads: spec({
    name: 'leads',
    table: 'leads',
    schema: leadRecord,
    policy: 'editable',
    indexes: [['participantId']],
    read: { organizer: 'all', exhibitor: 'own' },
    write: { exhibitor: 'own' },
  }),
  leadScans: spec({
    name: 'leadScans',
    table: 'lead_scans',
    schema: leadScanRecord,
    policy: 'fact',
    indexes: [['leadId'], ['occurredAt']],
    read: { organizer: 'all', exhibitor: 'own' },
    write: { exhibitor: 'own' },
  }),
  reconciliationFlags: spec({
    name: 'reconciliationFlags',
    table: 'reconciliation_flags',
    schema: reconciliationFlagRecord,
    policy: 'editable',
    indexes: [['kind']],
    read: {
      organizer: 'all',
      room_manager: 'own',
      badge_controller: 'own',
      cashier: 'own',
      exhibitor: 'own',
      committee: 'own',
    },
    // Any staff device reports its own losing or refused edits (conflicting_edit, refused_edit) and
    // offline-issued admissions.
    write: {
      organizer: 'all',
      room_manager: 'own',
      badge_controller: 'own',
      cashier: 'own',
      exhibitor: 'own',
      committee: 'own',
    },
  }),
} as const;

export type CollectionName = keyof typeof collections;
export const collectionNames = Object.keys(collections) as CollectionName[];

export type RecordOf<N extends CollectionName> = z.infer<(typeof collections)[N]['schema']>;

/**
 * The collections a device of this role keeps locally. Free RxDB opens at most 13 collections per
 * process, so each role keeps what it works with offline; the organizer reads facts (scans, sales,
 * leads) through the REST API instead. A test checks each list is readable by the role and short enough.
 */
export const deviceCollections: Record<EventRole, readonly CollectionName[]> = {
  organizer: [
    'events',
    'rooms',
    'sessions',
    'participants',
    'memberships',
    'payableItems',
    'cashRegisters',
    'announcements',
    'questions',
    'exhibitors',
    'reconciliationFlags',
  ],
  room_manager: [
    'events',
    'rooms',
    'sessions',
    'participants',
    'entitlements',
    'scans',
    'badgeTrust',
    'announcements',
    'questions',
    'reconciliationFlags',
  ],
  badge_controller: [
    'events',
    'rooms',
    'sessions',
    'participants',
    'entitlements',
    'scans',
    'badgeTrust',
    'announcements',
    'reconciliationFlags',
  ],
  cashier: [
    'events',
    'sessions',
    'participants',
    'payableItems',
    'cashRegisters',
    'transactions',
    'transactionCancellations',
    'entitlements',
    'badgeTrust',
    'announcements',
    'reconciliationFlags',
  ],
  exhibitor: [
    'events',
    'participants',
    'exhibitors',
    'leads',
    'leadScans',
    'badgeTrust',
    'announcements',
    'reconciliationFlags',
  ],
  participant: ['events', 'rooms', 'sessions', 'participants', 'entitlements', 'announcements', 'questions'],
  committee: ['events', 'rooms', 'sessions', 'participants', 'announcements', 'questions'],
};

/** Most collections any device keeps open; RxDB's free tier stops at 13. */
export const MAX_DEVICE_COLLECTIONS = 12;

export function isCollectionName(v: unknown): v is CollectionName {
  return typeof v === 'string' && Object.hasOwn(collections, v);
}
