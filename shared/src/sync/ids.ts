import { sha256 } from '@noble/hashes/sha2.js';
import { uuidv7 } from 'uuidv7';

/** A time-ordered UUID (v7) that a device can mint offline without asking the server. */
export function newId(): string {
  return uuidv7();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/**
 * A deterministic UUID (RFC 4122 version 5 layout, SHA-256 based) for records the server derives
 * from others (entitlements from a sale line, a flag from an incident): deriving twice gives the
 * same id, so re-running a derivation is idempotent.
 */
export function stableId(...parts: string[]): string {
  const bytes = sha256(new TextEncoder().encode(parts.join('\u001f'))).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
