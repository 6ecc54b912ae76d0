import { generateSigningKey, type SigningKeyPair, signBadge } from '@makeplus/shared';
import { useCallback, useEffect, useState } from 'react';
import { apiJson } from '../auth/session';

/**
 * This tablet's badge signing key. The Ed25519 key pair is generated on the device and the secret
 * never leaves it (localStorage, per event and device); the public key is enrolled once, online,
 * in the event's trust list, which every door downloads. From then on a walk-in badge signed here,
 * offline, is genuine at every door before any sync.
 */
export interface DeviceKey extends SigningKeyPair {
  /** When the server accepted the public key (null: not yet enrolled). */
  enrolledAt: string | null;
}

/** The key id the server publishes a device key under (server/src/devices/service.ts: same rule). */
export function deviceKeyId(publicKey: string): string {
  return `dev-${publicKey.slice(0, 22)}`;
}

function storageKey(eventId: string, deviceId: string): string {
  return `makeplus.deviceKey.${eventId}.${deviceId}`;
}

export function loadDeviceKey(eventId: string, deviceId: string): DeviceKey | null {
  try {
    const raw = localStorage.getItem(storageKey(eventId, deviceId));
    if (!raw) return null;
    const k = JSON.parse(raw) as DeviceKey;
    return typeof k.secretKey === 'string' && typeof k.publicKey === 'string' ? k : null;
  } catch {
    return null;
  }
}

function saveDeviceKey(eventId: string, deviceId: string, key: DeviceKey): void {
  localStorage.setItem(storageKey(eventId, deviceId), JSON.stringify(key));
}

export function loadOrCreateDeviceKey(eventId: string, deviceId: string): DeviceKey {
  const existing = loadDeviceKey(eventId, deviceId);
  if (existing) return existing;
  const pair = generateSigningKey('pending');
  const key: DeviceKey = { ...pair, keyId: deviceKeyId(pair.publicKey), enrolledAt: null };
  saveDeviceKey(eventId, deviceId, key);
  return key;
}

/** Publish the public key (idempotent on the server); the secret key is never sent. */
export async function enrollDeviceKey(eventId: string, deviceId: string, name: string): Promise<DeviceKey> {
  const key = loadOrCreateDeviceKey(eventId, deviceId);
  const enrolled = await apiJson<{ keyId: string; enrolledAt: string }>(`/api/v1/events/${eventId}/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId, name: name.slice(0, 100), publicKey: key.publicKey }),
  });
  if (enrolled.keyId !== key.keyId) throw new Error(`the server published the key as ${enrolled.keyId}`);
  const next = { ...key, enrolledAt: enrolled.enrolledAt };
  saveDeviceKey(eventId, deviceId, next);
  return next;
}

export interface DeviceKeyState {
  key: DeviceKey | null;
  error: string | null;
  enrolling: boolean;
  retry: () => void;
}

/** The key of this device for the event, enrolled as soon as the device is online. */
export function useDeviceKey(eventId: string | undefined, deviceId: string | undefined, name: string): DeviceKeyState {
  const [key, setKey] = useState<DeviceKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the enrollment on demand
  useEffect(() => {
    if (!eventId || !deviceId) return;
    const local = loadOrCreateDeviceKey(eventId, deviceId);
    setKey(local);
    if (local.enrolledAt) return;
    let cancelled = false;
    const tryEnroll = () => {
      if (!navigator.onLine) return;
      setEnrolling(true);
      enrollDeviceKey(eventId, deviceId, name)
        .then((k) => {
          if (cancelled) return;
          setKey(k);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!cancelled) setError(err instanceof Error ? err.message : String(err));
        })
        .finally(() => {
          if (!cancelled) setEnrolling(false);
        });
    };
    tryEnroll();
    window.addEventListener('online', tryEnroll);
    return () => {
      cancelled = true;
      window.removeEventListener('online', tryEnroll);
    };
  }, [eventId, deviceId, name, attempt]);

  return { key, error, enrolling, retry };
}

/**
 * A walk-in's badge, signed by this device: the person's client-generated id, the event (a device
 * may only sign badges of its own event), the name to greet, and the workshops granted so far.
 */
export function signWalkInBadge(
  key: SigningKeyPair,
  input: { participantId: string; eventId: string; name: string; grantedSessionIds?: readonly string[]; at?: Date },
): string {
  const g = input.grantedSessionIds?.length ? [...input.grantedSessionIds].sort() : undefined;
  return signBadge(
    {
      p: input.participantId,
      e: input.eventId,
      n: input.name.slice(0, 60),
      ...(g ? { g } : {}),
      t: Math.floor((input.at ?? new Date()).getTime() / 1000),
    },
    key,
  );
}
