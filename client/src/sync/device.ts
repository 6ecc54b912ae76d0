import { newId } from '@makeplus/shared';

const KEY = 'makeplus.deviceId';

/** This browser's stable device id: stamped on every fact it records, sent with every sync request. */
export function deviceId(): string {
  try {
    const existing = localStorage.getItem(KEY);
    if (existing) return existing;
    const id = `d-${newId().replace(/-/g, '')}`;
    localStorage.setItem(KEY, id);
    return id;
  } catch {
    // No storage (private mode): still a stable id for this page's life.
    fallback ??= `d-${newId().replace(/-/g, '')}`;
    return fallback;
  }
}
let fallback: string | undefined;
