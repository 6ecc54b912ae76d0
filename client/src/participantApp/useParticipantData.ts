import type {
  AnnouncementRecord,
  EntitlementRecord,
  EventRecord,
  ParticipantRecord,
  QuestionRecord,
  RoomRecord,
  SessionRecord,
} from '@makeplus/shared';
import { useMemo } from 'react';
import { useLiveQuery } from '../sync/DeviceSync';

type Synced<T> = T & { seq: number };

/** What the participant's device keeps, live: the event, its programme, my registration, rights, news and questions. */
export function useParticipantData() {
  const events = useLiveQuery('events', { selector: {} });
  const rooms = useLiveQuery('rooms', { selector: {} });
  const sessions = useLiveQuery('sessions', { selector: {} });
  const me = useLiveQuery('participants', { selector: {} });
  const entitlements = useLiveQuery('entitlements', { selector: {} });
  const announcements = useLiveQuery('announcements', { selector: {} });
  const questions = useLiveQuery('questions', { selector: {} });
  return useMemo(() => {
    const json = <T>(docs: { toJSON(): unknown }[] | undefined) => (docs ?? []).map((d) => d.toJSON() as Synced<T>);
    return {
      loading: sessions === undefined || events === undefined,
      event: json<EventRecord>(events)[0] ?? null,
      rooms: json<RoomRecord>(rooms),
      sessions: json<SessionRecord>(sessions),
      me: json<ParticipantRecord>(me)[0] ?? null,
      entitlements: json<EntitlementRecord>(entitlements),
      announcements: json<AnnouncementRecord>(announcements).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)),
      questions: json<QuestionRecord>(questions).sort((a, b) => (a.askedAt < b.askedAt ? 1 : -1)),
    };
  }, [events, rooms, sessions, me, entitlements, announcements, questions]);
}
export type ParticipantData = ReturnType<typeof useParticipantData>;
