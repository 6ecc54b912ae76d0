import {
  type AnnouncementRecord,
  type Audience,
  dynamicEventStatus,
  type EventRecord,
  type EventRole,
  type LeadScanRecord,
  legacyRoleByRole,
  type MembershipRecord,
  minorToDecimalString,
  type ParticipantRecord,
  type QuestionRecord,
  type RoomAssignmentRecord,
  type RoomRecord,
  type ScanRecord,
  type SessionRecord,
  type SessionStatus,
  type SessionType,
} from '@makeplus/shared';
import type { UserRow } from './queries';

/**
 * Our records in the shapes the original's DRF serializers gave (contract §2.2): the field names,
 * the French enum values, decimals as strings, integer legacy ids where the app expects ints.
 */

// ---------------------------------------------------------------------------------------------
// Enum values at the edge
// ---------------------------------------------------------------------------------------------

export const legacyRole = (role: EventRole): string => legacyRoleByRole[role];

const SESSION_STATUS: Record<SessionStatus, string> = {
  not_started: 'pas_encore',
  live: 'en_cours',
  finished: 'termine',
  // The original had no cancelled status; the app reads `cancelled` as finished.
  cancelled: 'cancelled',
};
export const sessionStatusByLegacy: Record<string, SessionStatus> = {
  pas_encore: 'not_started',
  en_cours: 'live',
  termine: 'finished',
  cancelled: 'cancelled',
  // Older values the original migrated away, and ours.
  scheduled: 'not_started',
  completed: 'finished',
  not_started: 'not_started',
  live: 'live',
  finished: 'finished',
};

const SESSION_TYPE: Record<SessionType, string> = {
  conference: 'conference',
  workshop: 'atelier',
  communication: 'communication',
  round_table: 'table_ronde',
  lunch_symposium: 'lunch_symposium',
  symposium: 'symposium',
  photo_session: 'session_photo',
};
export const sessionTypeByLegacy: Record<string, SessionType> = {
  ...Object.fromEntries(Object.entries(SESSION_TYPE).map(([ours, theirs]) => [theirs, ours as SessionType])),
  ...Object.fromEntries(Object.keys(SESSION_TYPE).map((k) => [k, k as SessionType])),
  session_photo_communication: 'photo_session',
};

const TARGET: Record<Audience, string> = {
  all: 'all',
  participants: 'participants',
  exhibitors: 'exposants',
  controllers: 'controlleurs',
  room_managers: 'gestionnaires',
};
export const audienceByTarget: Record<string, Audience> = Object.fromEntries(
  Object.entries(TARGET).map(([ours, theirs]) => [theirs, ours as Audience]),
);
export const legacyTarget = (a: Audience) => TARGET[a];

/** Decimal fields of DRF serializers are strings ("2000.00"); hand-built payloads use floats. */
export const decimalString = (minor: number, currency: string) => minorToDecimalString(minor, currency);
export const decimalFloat = (minor: number, currency: string) => Number(minorToDecimalString(minor, currency));

export const fullName = (u: { firstName: string; lastName: string; email?: string }) =>
  `${u.firstName} ${u.lastName}`.trim() || u.email || '';

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

export function userBrief(u: Pick<UserRow, 'legacyId' | 'email' | 'firstName' | 'lastName'>) {
  return { id: u.legacyId, email: u.email, first_name: u.firstName, last_name: u.lastName };
}

/** The compact event of login, select/switch and my-events. */
export function compactEvent(e: EventRecord) {
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    start_date: e.startsAt,
    end_date: e.endsAt,
    location: e.venue,
    status: e.status,
    logo: e.logoUrl,
    banner: e.bannerUrl,
    primary_color: e.primaryColor,
    programme_file: e.programmeUrl,
    guide_file: e.guideUrl,
  };
}

export function fullEvent(
  e: EventRecord,
  extra: { counts?: { participants: number; exhibitors: number; rooms: number }; now?: Date } = {},
) {
  const counts = extra.counts ?? { participants: 0, exhibitors: 0, rooms: 0 };
  return {
    ...compactEvent(e),
    location_url: e.locationUrl,
    location_details: e.locationDetails,
    dynamic_status: dynamicEventStatus(e, extra.now ?? new Date()),
    settings: {},
    themes: e.themes,
    total_participants: counts.participants,
    total_exhibitors: counts.exhibitors,
    total_rooms: counts.rooms,
    organizer_contact: '',
    metadata: e.metadata,
    president: null,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    created_by: null,
  };
}

export function roomListItem(
  r: RoomRecord,
  ctx: { eventName: string; inside: number; sessions: readonly SessionRecord[]; now: Date },
) {
  const mine = ctx.sessions.filter((s) => s.roomId === r.id && s.status !== 'cancelled' && s.status !== 'finished');
  const next = mine.find((s) => s.status === 'not_started' && Date.parse(s.startsAt) >= ctx.now.getTime());
  return {
    id: r.id,
    event: r.eventId,
    event_name: ctx.eventName,
    name: r.name,
    description: r.description,
    capacity: r.capacity,
    location: r.location,
    current_participants: ctx.inside,
    is_active: r.isActive,
    session_count: mine.length,
    next_session: next
      ? { id: next.id, title: next.title, start_time: next.startsAt, speaker_name: next.speakerName }
      : null,
  };
}

export function roomDetail(r: RoomRecord, ctx: { eventName: string; inside: number }) {
  return {
    id: r.id,
    event: r.eventId,
    event_name: ctx.eventName,
    name: r.name,
    description: r.description,
    capacity: r.capacity,
    location: r.location,
    current_participants: ctx.inside,
    is_active: r.isActive,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function sessionShape(s: SessionRecord, ctx: { roomName: string; currency: string }) {
  return {
    id: s.id,
    event: s.eventId,
    room: s.roomId,
    room_id: s.roomId,
    room_name: ctx.roomName,
    title: s.title,
    description: s.description,
    start_time: s.startsAt,
    end_time: s.endsAt,
    speaker_name: s.speakerName,
    speaker_title: s.speakerTitle,
    speaker_bio: s.speakerBio,
    speaker_photo_url: s.speakerPhotoUrl,
    theme: s.theme,
    session_type: SESSION_TYPE[s.sessionType],
    status: SESSION_STATUS[s.status],
    is_paid: s.isPaid,
    price: decimalString(s.priceMinor, ctx.currency),
    max_participants: s.capacity,
    youtube_live_url: s.youtubeLiveUrl,
    cover_image_url: s.coverImageUrl,
    metadata: {},
    is_live: s.status === 'live',
    duration_minutes: Math.round((Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

export function participantShape(
  p: ParticipantRecord,
  ctx: { user: UserRow | undefined; registeredEvents: { id: string; name: string }[]; qrCodeData: unknown },
) {
  return {
    id: p.legacyId,
    user: ctx.user
      ? userBrief(ctx.user)
      : { id: p.userLegacyId || null, email: p.email, first_name: p.firstName, last_name: p.lastName },
    badge_id: p.legacyBadgeId,
    qr_code_data: ctx.qrCodeData,
    role: 'participant',
    plan_file: null,
    registered_events: ctx.registeredEvents,
    events_count: ctx.registeredEvents.length,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export function announcementShape(a: AnnouncementRecord, ctx: { eventName: string; creator: UserRow | undefined }) {
  return {
    id: a.legacyId,
    event: a.eventId,
    event_name: ctx.eventName,
    title: a.title,
    description: a.body,
    target: TARGET[a.audience],
    created_by: ctx.creator?.legacyId ?? null,
    created_by_name: a.createdByName || (ctx.creator ? fullName(ctx.creator) : ''),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

/** No participant field, as the original: who asked stays with the moderators' tools. */
export function questionShape(q: QuestionRecord, ctx: { sessionTitle: string; answeredBy: UserRow | undefined }) {
  return {
    id: q.legacyId,
    session: q.sessionId,
    session_title: ctx.sessionTitle,
    question_text: q.text,
    is_answered: q.isAnswered,
    answer_text: '',
    answered_by: ctx.answeredBy?.legacyId ?? null,
    // DRF omits the key when the relation is null.
    ...(ctx.answeredBy ? { answered_by_name: fullName(ctx.answeredBy) } : {}),
    asked_at: q.askedAt,
    answered_at: q.answeredAt,
  };
}

export function exposantScanShape(
  s: LeadScanRecord,
  ctx: {
    exposantId: number | null;
    exposantName: string;
    visitor: ParticipantRecord | undefined;
    eventName: string;
  },
) {
  return {
    id: s.legacyId,
    exposant: ctx.exposantId,
    exposant_name: ctx.exposantName,
    scanned_participant: ctx.visitor?.legacyId ?? null,
    scanned_participant_name: ctx.visitor ? fullName(ctx.visitor) : '',
    scanned_participant_email: ctx.visitor?.email ?? '',
    scanned_participant_badge: ctx.visitor?.legacyBadgeId ?? '',
    event: s.eventId,
    event_name: ctx.eventName,
    scanned_at: s.occurredAt,
    notes: s.notes ? s.notes : null,
  };
}

export function roomAssignmentShape(a: RoomAssignmentRecord, ctx: { user: UserRow | undefined; roomName: string }) {
  return {
    id: a.legacyId,
    user: ctx.user?.legacyId ?? null,
    user_name: ctx.user ? fullName(ctx.user) : '',
    user_email: ctx.user?.email ?? '',
    room: a.roomId,
    room_name: ctx.roomName,
    event: a.eventId,
    role: legacyRole(a.role),
    start_time: a.startsAt,
    end_time: a.endsAt,
    is_active: a.isActive,
    assigned_at: a.createdAt,
    assigned_by: null,
  };
}

export function membershipShape(
  m: MembershipRecord,
  ctx: {
    user: UserRow | undefined;
    event: ReturnType<typeof fullEvent>;
    assignedBy: UserRow | undefined;
    roomAssignment: {
      id: number | null;
      room_id: string;
      room_name: string;
      start_time: string;
      end_time: string;
    } | null;
  },
) {
  return {
    id: m.legacyId,
    user: ctx.user
      ? userBrief(ctx.user)
      : { id: null, email: m.userEmail, first_name: m.userFirstName, last_name: m.userLastName },
    event: ctx.event,
    role: legacyRole(m.role),
    is_active: m.isActive,
    assigned_at: m.createdAt,
    assigned_by: ctx.assignedBy?.legacyId ?? null,
    metadata: m.assignedRoomId ? { assigned_room_id: m.assignedRoomId } : {},
    room_assignment: m.role === 'room_manager' ? ctx.roomAssignment : null,
  };
}

/** A scan at a room's door, as the original's RoomAccess. */
export function roomAccessShape(
  s: ScanRecord,
  ctx: {
    participant: ParticipantRecord | undefined;
    roomName: string;
    sessionTitle: string | null;
    operator: UserRow | undefined;
    reason: string;
  },
) {
  return {
    id: s.id,
    participant: ctx.participant?.legacyId ?? null,
    participant_name: ctx.participant ? fullName(ctx.participant) : '',
    room: s.roomId,
    room_name: ctx.roomName,
    session: s.sessionId,
    session_title: ctx.sessionTitle,
    accessed_at: s.occurredAt,
    verified_by: ctx.operator?.legacyId ?? null,
    ...(ctx.operator ? { verified_by_name: fullName(ctx.operator) } : {}),
    direction: s.direction,
    status: s.granted ? 'granted' : 'denied',
    denial_reason: s.granted ? '' : ctx.reason,
  };
}
