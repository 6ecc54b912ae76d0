/** Path of an event-scoped REST resource: `/api/v1/events/:eventId/<resource>`. */
export function eventResourcePath(eventId: string, resource: string, query?: Record<string, string | number>): string {
  const base = `/api/v1/events/${encodeURIComponent(eventId)}/${resource}`;
  if (!query) return base;
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return qs ? `${base}?${qs}` : base;
}

/** A page of a list endpoint. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}
