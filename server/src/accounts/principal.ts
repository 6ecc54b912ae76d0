import type { EventRole, Permission } from '@makeplus/shared';

/** Who is calling: a person's account, or a cash register's own login. */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      userLegacyId: number;
      email: string;
      displayName: string;
      isPlatformAdmin: boolean;
      /** The event selected for this token (the `event_id` claim). */
      eventId: string | null;
      tokenId: string;
      /** When the access token expires (seconds since the epoch). */
      tokenExp: number;
    }
  | {
      kind: 'cash_register';
      cashRegisterId: string;
      userLegacyId: 0;
      email: string;
      displayName: string;
      eventId: string;
      tokenId: string;
      tokenExp: number;
    };

/** What the caller may do in one event: resolved once per request, enforced in one place. */
export interface EventAccess {
  eventId: string;
  role: EventRole;
  permissions: ReadonlySet<Permission>;
  principal: Principal;
  membershipId: string | null;
  participantId: string | null;
  exhibitorId: string | null;
  assignedRoomId: string | null;
  cashRegisterId: string | null;
  /** The device the request comes from (its `x-makeplus-device` header), for the audit trail. */
  deviceId?: string | null;
}

export function actorOf(p: Principal): { kind: string; id: string; label: string } {
  return p.kind === 'user'
    ? { kind: 'user', id: p.userId, label: p.email }
    : { kind: 'cash_register', id: p.cashRegisterId, label: p.displayName };
}
