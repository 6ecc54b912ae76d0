import { ed25519 } from '@noble/curves/ed25519.js';
import { base64urlToBytes, bytesToBase64url, utf8 } from './base64url';

/**
 * Badge codes.
 *
 * New badges: `MKPL1.<payload>.<signature>`, both base64url. The payload is compact JSON, the
 * signature Ed25519 over the bytes `MKPL1.<payload>`. A door checks it with the public keys of its
 * trust list, so a badge it never downloaded (a walk-in registered offline at a cash desk) is still
 * recognised as genuine.
 *
 * Legacy badges (the original MakePlus, contract §1.3) are accepted as they are: a plain user id
 * (`42`), JSON with `user_id`, or a `USER-<id>-<hex>` badge id.
 */
export const BADGE_PREFIX = 'MKPL1';

export interface BadgePayload {
  /** Key id of the signer. */
  k: string;
  /** The person: a user id for server-issued badges, a participant id for device-issued ones. */
  p: string;
  /** Event of a device-issued badge (a walk-in belongs to the event where it was registered). */
  e?: string;
  /** Display name, so a door can greet a person it has never downloaded. */
  n?: string;
  /** Sessions granted at issue time (workshops sold with the walk-in registration). */
  g?: string[];
  /** Issued at, seconds since the epoch. */
  t: number;
}

export type ParsedBadge =
  | { format: 'mkpl'; code: string; payload: BadgePayload; signed: Uint8Array; signature: Uint8Array }
  | { format: 'legacy_user_id'; code: string; userLegacyId: number }
  | { format: 'legacy_json'; code: string; userLegacyId: number }
  | { format: 'legacy_badge_id'; code: string; badgeId: string; userLegacyId: number }
  | { format: 'unreadable'; code: string; why: string };

const LEGACY_BADGE_RE = /^USER-(\d{1,10})-[0-9A-F]{8}$/i;
const MAX_CODE = 2048;

function positiveInt(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,10}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Read whatever a scanner delivered. Pure: never throws, never touches storage. */
export function parseBadgeCode(raw: string): ParsedBadge {
  const code = raw.trim();
  if (!code) return { format: 'unreadable', code, why: 'empty' };
  if (code.length > MAX_CODE) return { format: 'unreadable', code: code.slice(0, 64), why: 'too long' };

  if (code.startsWith(`${BADGE_PREFIX}.`)) {
    const parts = code.split('.');
    if (parts.length !== 3) return { format: 'unreadable', code, why: 'malformed signed code' };
    const payloadBytes = base64urlToBytes(parts[1] ?? '');
    const signature = base64urlToBytes(parts[2] ?? '');
    if (!payloadBytes || !signature || signature.length !== 64)
      return { format: 'unreadable', code, why: 'malformed signed code' };
    let payload: unknown;
    try {
      payload = JSON.parse(utf8.decode(payloadBytes));
    } catch {
      return { format: 'unreadable', code, why: 'malformed payload' };
    }
    if (!isBadgePayload(payload)) return { format: 'unreadable', code, why: 'malformed payload' };
    return { format: 'mkpl', code, payload, signed: utf8.encode(`${parts[0]}.${parts[1]}`), signature };
  }

  const plain = positiveInt(code);
  if (plain !== null) return { format: 'legacy_user_id', code, userLegacyId: plain };

  const legacy = LEGACY_BADGE_RE.exec(code);
  if (legacy) return { format: 'legacy_badge_id', code, badgeId: code.toUpperCase(), userLegacyId: Number(legacy[1]) };

  if (code.startsWith('{')) {
    try {
      const obj = JSON.parse(code) as Record<string, unknown>;
      const id = positiveInt(obj.user_id);
      if (id !== null) return { format: 'legacy_json', code, userLegacyId: id };
      return { format: 'unreadable', code, why: 'user_id missing' };
    } catch {
      return { format: 'unreadable', code, why: 'malformed JSON' };
    }
  }
  return { format: 'unreadable', code, why: 'unknown format' };
}

function isBadgePayload(v: unknown): v is BadgePayload {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.k === 'string' &&
    o.k.length <= 64 &&
    typeof o.p === 'string' &&
    o.p.length <= 64 &&
    typeof o.t === 'number' &&
    (o.e === undefined || typeof o.e === 'string') &&
    (o.n === undefined || typeof o.n === 'string') &&
    (o.g === undefined || (Array.isArray(o.g) && o.g.every((x) => typeof x === 'string')))
  );
}

export interface SigningKeyPair {
  keyId: string;
  /** 32-byte Ed25519 secret key, base64url. */
  secretKey: string;
  /** 32-byte Ed25519 public key, base64url. */
  publicKey: string;
}

export function generateSigningKey(keyId: string): SigningKeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { keyId, secretKey: bytesToBase64url(secretKey), publicKey: bytesToBase64url(publicKey) };
}

/**
 * Signs a badge's text with the key's 32-byte Ed25519 secret (raw bytes). Ed25519 is deterministic:
 * every correct implementation gives the same signature, so the badge code does not depend on it.
 */
export type BadgeSigner = (message: Uint8Array, secretKey: Uint8Array) => Uint8Array;
/** Pure JavaScript (noble): runs on the device as on the server. */
const nobleSigner: BadgeSigner = (message, secretKey) => ed25519.sign(message, secretKey);

/**
 * A signed badge code for `payload`. `sign` defaults to the pure-JS signer; the server passes its
 * runtime's native Ed25519 (about 50× faster), which yields the very same code.
 */
export function signBadge(
  payload: Omit<BadgePayload, 'k'>,
  key: SigningKeyPair,
  sign: BadgeSigner = nobleSigner,
): string {
  const full: BadgePayload = { k: key.keyId, ...payload };
  const body = `${BADGE_PREFIX}.${bytesToBase64url(utf8.encode(JSON.stringify(full)))}`;
  const secret = base64urlToBytes(key.secretKey);
  if (!secret) throw new Error('invalid signing key');
  return `${body}.${bytesToBase64url(sign(utf8.encode(body), secret))}`;
}

/** True when `badge` was signed by the holder of `publicKey` (base64url). */
export function verifyBadgeSignature(badge: Extract<ParsedBadge, { format: 'mkpl' }>, publicKey: string): boolean {
  const key = base64urlToBytes(publicKey);
  if (key?.length !== 32) return false;
  try {
    return ed25519.verify(badge.signature, badge.signed, key);
  } catch {
    return false;
  }
}

/** The original system's badge id format, `USER-<user id>-<8 hex>`. */
export function legacyBadgeId(userLegacyId: number, randomHex: string): string {
  return `USER-${userLegacyId}-${randomHex.slice(0, 8).toUpperCase().padEnd(8, '0')}`;
}
