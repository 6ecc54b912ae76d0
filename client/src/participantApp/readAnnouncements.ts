import { useCallback, useSyncExternalStore } from 'react';

/** Which announcements this person has seen, per event, kept on the device. */
const key = (eventId: string) => `makeplus.announcementsRead.${eventId}`;
const listeners = new Set<() => void>();
const cache = new Map<string, string>();

function read(eventId: string): string {
  try {
    return localStorage.getItem(key(eventId)) ?? '[]';
  } catch {
    return cache.get(eventId) ?? '[]';
  }
}

export function useReadAnnouncements(eventId: string) {
  const raw = useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => read(eventId),
  );
  const ids = new Set(JSON.parse(raw) as string[]);
  const markRead = useCallback(
    (more: readonly string[]) => {
      const next = JSON.stringify([...new Set([...(JSON.parse(read(eventId)) as string[]), ...more])]);
      try {
        localStorage.setItem(key(eventId), next);
      } catch {
        cache.set(eventId, next);
      }
      for (const l of listeners) l();
    },
    [eventId],
  );
  return { ids, markRead };
}
