import type {
  AnnouncementRecord,
  BadgeTrustRecord,
  CashRegisterRecord,
  EntitlementRecord,
  EventRecord,
  ExhibitorRecord,
  LeadRecord,
  LeadScanRecord,
  MembershipRecord,
  ParticipantRecord,
  PayableItemRecord,
  QuestionRecord,
  ReconciliationFlagRecord,
  RoomAssignmentRecord,
  RoomRecord,
  ScanRecord,
  SessionRecord,
  TransactionCancellationRecord,
  TransactionRecord,
} from '@makeplus/shared';
import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely's view of the database, in camelCase (CamelCasePlugin maps to snake_case columns).
 * Synced tables are the shared record types: timestamps come back as ISO strings and bigints as
 * numbers (see the parsers in database.ts), JSON columns are written as JSON text.
 */
type Json<T> = ColumnType<T, string, string>;
type SyncedTable<R, J extends keyof R = never, G extends keyof R = never> = {
  [K in keyof R]: K extends J ? Json<R[K]> : K extends G ? Generated<R[K]> : R[K];
};

export interface UsersTable {
  id: string;
  legacyId: Generated<number>;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  passwordHash: string | null;
  isActive: boolean;
  isPlatformAdmin: boolean;
  locale: 'fr' | 'en';
  badgeCode: string | null;
  legacyBadgeId: string;
  totpSecret: string | null;
  totpEnabled: boolean;
  totpRecoveryCodes: Json<string[]>;
  /** The last TOTP time step accepted: a code is never accepted twice (replay). */
  totpLastStep: number | null;
  totpEnabledAt: string | null;
  lastLoginAt: string | null;
  createdAt: Generated<string>;
  updatedAt: Generated<string>;
}

export interface RefreshTokensTable {
  id: string;
  familyId: string;
  subjectKind: 'user' | 'cash_register';
  subjectId: string;
  eventId: string | null;
  deviceId: string | null;
  userAgent: string;
  ip: string;
  createdAt: Generated<string>;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
}

export interface EventSyncStateTable {
  eventId: string;
  lastSeq: number;
}

export type EventsTable = SyncedTable<EventRecord, 'themes' | 'settings' | 'metadata'> & {
  createdBy: string | null;
};

export interface ServerKeysTable {
  id: string;
  privateKey: string;
  publicKey: string;
  createdAt: Generated<string>;
  retiredAt: string | null;
}

export interface DevicesTable {
  id: string;
  eventId: string;
  subjectKind: 'user' | 'cash_register';
  subjectId: string;
  name: string;
  keyId: string | null;
  publicKey: string | null;
  enrolledAt: Generated<string>;
  lastSeenAt: Generated<string>;
  revokedAt: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  subjectKind: 'user' | 'cash_register';
  subjectId: string | null;
  email: string;
  ip: string;
  userAgent: string;
  success: boolean;
  reason: string;
  at: Generated<string>;
}

/** Progressive sign-in lockout, one row per `account:<email>` or `ip:<address>` key. */
export interface LoginLockoutsTable {
  key: string;
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  eventId: string | null;
  actorKind: string;
  actorId: string | null;
  actorLabel: string;
  deviceId: string | null;
  via: 'rest' | 'mobile' | 'sync' | 'system';
  action: 'create' | 'update' | 'delete' | 'login' | 'logout' | string;
  collection: string;
  recordId: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  occurredAt: string;
  receivedAt: Generated<string>;
  ip: string;
}

/** An event's adjustment of one role's permissions (migration 2026112223). */
export interface PermissionOverridesTable {
  eventId: string;
  role: string;
  permissions: Json<string[]>;
  updatedAt: Generated<string>;
  updatedBy: string | null;
}

export interface FilesTable {
  id: string;
  eventId: string | null;
  purpose: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  storageKey: string;
  /** Hex SHA-256 of the bytes (migration 2026112220), served as the ETag. */
  sha256: Generated<string>;
  createdBy: string | null;
  createdAt: Generated<string>;
}

export interface DB {
  users: UsersTable;
  refreshTokens: RefreshTokensTable;
  eventSyncState: EventSyncStateTable;
  events: EventsTable;
  memberships: SyncedTable<MembershipRecord, never, 'legacyId'>;
  rooms: SyncedTable<RoomRecord>;
  sessions: SyncedTable<SessionRecord>;
  participants: SyncedTable<ParticipantRecord, 'allowedRoomIds', 'legacyId'>;
  scans: SyncedTable<ScanRecord>;
  badgeTrust: SyncedTable<BadgeTrustRecord>;
  payableItems: SyncedTable<PayableItemRecord, never, 'legacyId'>;
  cashRegisters: SyncedTable<CashRegisterRecord, never, 'legacyId'> & { passwordHash: string };
  transactions: SyncedTable<TransactionRecord, 'lines', 'legacyId'>;
  transactionCancellations: SyncedTable<TransactionCancellationRecord>;
  entitlements: SyncedTable<EntitlementRecord>;
  announcements: SyncedTable<AnnouncementRecord, never, 'legacyId'>;
  questions: SyncedTable<QuestionRecord, never, 'legacyId'>;
  roomAssignments: SyncedTable<RoomAssignmentRecord, never, 'legacyId'>;
  exhibitors: SyncedTable<ExhibitorRecord, 'qualificationQuestions'>;
  leads: SyncedTable<LeadRecord, 'answers'>;
  leadScans: SyncedTable<LeadScanRecord, never, 'legacyId'>;
  reconciliationFlags: SyncedTable<ReconciliationFlagRecord, 'details'>;
  serverKeys: ServerKeysTable;
  devices: DevicesTable;
  loginAttempts: LoginAttemptsTable;
  loginLockouts: LoginLockoutsTable;
  auditLog: AuditLogTable;
  permissionOverrides: PermissionOverridesTable;
  files: FilesTable;
}

/** Columns of a table that exist only on the server and never leave it. */
export const serverOnlyColumns: Partial<Record<keyof DB, readonly string[]>> = {
  cashRegisters: ['passwordHash'],
  participants: ['searchVector'],
  events: ['createdBy'],
};

/** JSON columns per synced table: written as JSON text (node-pg would turn JS arrays into SQL arrays). */
export const jsonColumns: Partial<Record<keyof DB, readonly string[]>> = {
  events: ['themes', 'settings', 'metadata'],
  participants: ['allowedRoomIds'],
  transactions: ['lines'],
  exhibitors: ['qualificationQuestions'],
  leads: ['answers'],
  reconciliationFlags: ['details'],
};

/** Columns the database generates; never written from a pushed document. */
export const generatedColumns: Partial<Record<keyof DB, readonly string[]>> = {
  memberships: ['legacyId'],
  participants: ['legacyId'],
  payableItems: ['legacyId'],
  cashRegisters: ['legacyId'],
  transactions: ['legacyId'],
  announcements: ['legacyId'],
  questions: ['legacyId'],
  roomAssignments: ['legacyId'],
  leadScans: ['legacyId'],
};
