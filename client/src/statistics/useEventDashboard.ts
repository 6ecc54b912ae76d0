import type { EventDashboard } from '@makeplus/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiJson, authorizedFetch } from '../auth/session';
import { eventResourcePath } from '../organizer/eventApi';

export interface DashboardState {
  data: EventDashboard | undefined;
  /** The last refresh failed (offline, server down): `data` is then the last figures known. */
  error: unknown;
  /** The change stream is connected: figures follow what devices push. */
  live: boolean;
  loading: boolean;
  refresh: () => void;
}

const cacheKey = (eventId: string) => `makeplus.dashboard.${eventId}`;

function cached(eventId: string): EventDashboard | undefined {
  try {
    const raw = localStorage.getItem(cacheKey(eventId));
    return raw ? (JSON.parse(raw) as EventDashboard) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits for `changed` events on the console's change stream (server-sent events read with fetch, so
 * the Authorization header is sent) and calls `onChange` for each; reconnects with a backoff.
 * The organizer device does not keep scans or sales, so this is how it learns that a door or a
 * register pushed some.
 */
function followChanges(eventId: string, onChange: () => void, onConnection: (connected: boolean) => void): () => void {
  let stopped = false;
  let abort: AbortController | undefined;
  let backoff = 1000;
  const loop = async () => {
    while (!stopped) {
      abort = new AbortController();
      try {
        const res = await authorizedFetch(eventResourcePath(eventId, 'statistics/changes'), {
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!res.ok || !res.body) throw new Error(`change stream refused (${res.status})`);
        onConnection(true);
        backoff = 1000;
        // Whatever happened while not listening: refresh once on (re)connection.
        onChange();
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let idx = buffer.indexOf('\n\n');
          while (idx >= 0) {
            if (/^event: changed$/m.test(buffer.slice(0, idx))) onChange();
            buffer = buffer.slice(idx + 2);
            idx = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // Offline, refused or cut: try again later.
      }
      if (stopped) return;
      onConnection(false);
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 30_000);
    }
  };
  void loop();
  return () => {
    stopped = true;
    abort?.abort();
  };
}

/**
 * The live dashboard's figures: fetched from the server, refreshed whenever the change stream says
 * the event changed (at most one request at a time; changes during a request cause one more), and
 * kept on the device so an organizer offline still reads the last figures, with their time.
 */
export function useEventDashboard(eventId: string | undefined): DashboardState {
  const [data, setData] = useState<EventDashboard | undefined>(() => (eventId ? cached(eventId) : undefined));
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(false);
  const [loading, setLoading] = useState(true);
  const inFlight = useRef(false);
  const again = useRef(false);

  const refresh = useCallback(() => {
    if (!eventId) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    setLoading(true);
    apiJson<EventDashboard>(eventResourcePath(eventId, 'statistics/dashboard'))
      .then((d) => {
        setData(d);
        setError(null);
        try {
          localStorage.setItem(cacheKey(eventId), JSON.stringify(d));
        } catch {
          // Storage full: the figures still show, they are just not kept.
        }
      })
      .catch((err: unknown) => setError(err))
      .finally(() => {
        inFlight.current = false;
        setLoading(false);
        if (again.current) {
          again.current = false;
          refresh();
        }
      });
  }, [eventId]);

  useEffect(() => {
    if (!eventId) return;
    setData(cached(eventId));
    refresh();
    return followChanges(eventId, refresh, setLive);
  }, [eventId, refresh]);

  return { data, error, live, loading, refresh };
}
