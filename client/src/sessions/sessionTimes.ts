/** Local date-time helpers of the schedule (the browser's time zone, as the organizer sees the day). */

/** `2027-03-01T08:00:00.000Z` → the value of an `<input type="datetime-local">` in local time. */
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a datetime-local input → ISO (UTC); '' when empty or invalid. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** The local calendar day of an instant, `YYYY-MM-DD`. */
export function localDay(iso: string): string {
  return toLocalInput(iso).slice(0, 10);
}

/** The distinct days the sessions fall on, in order. */
export function scheduleDays(sessions: readonly { startsAt: string }[]): string[] {
  return [...new Set(sessions.map((s) => localDay(s.startsAt)))].sort();
}

/** Two sessions' times exchanged, each keeping its own room. */
export function swappedTimes<S extends { startsAt: string; endsAt: string }>(
  a: S,
  b: S,
): [Pick<S, 'startsAt' | 'endsAt'>, Pick<S, 'startsAt' | 'endsAt'>] {
  return [
    { startsAt: b.startsAt, endsAt: b.endsAt },
    { startsAt: a.startsAt, endsAt: a.endsAt },
  ];
}
