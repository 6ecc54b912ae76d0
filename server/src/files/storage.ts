import type { Readable } from 'node:stream';

/**
 * Where uploaded files live. The server only ever talks to this interface, so another backend (an
 * S3-compatible object store: AWS S3, MinIO, Garage, Scaleway…) is one more implementation of it,
 * chosen in `config.ts` (`FILE_STORAGE`). The metadata of every file (event, purpose, name, type,
 * size, checksum) is kept in the `files` table; a storage only keeps bytes under a key.
 *
 * Keys are relative paths made of `[A-Za-z0-9._-]` segments separated by `/` (e.g.
 * `events/<eventId>/<fileId>`); an S3 implementation uses them as object keys as they are.
 *
 * Contract an implementation must keep:
 * - `put` consumes the whole stream and resolves once the object is durably stored; if the stream
 *   errors (too large, wrong type, client gone), it rejects with that error and leaves nothing
 *   behind under `key` (the disk store writes a temporary file and renames it; S3 aborts its
 *   multipart upload). Putting an existing key replaces it.
 * - `stream` / `get` resolve `null` for a missing key (never throw for it).
 * - `delete` of a missing key is not an error.
 */
export interface FileStorage {
  /** Short name for logs and /health ('disk', 's3'). */
  readonly kind: string;
  put(key: string, body: Readable | Uint8Array, info: { contentType: string }): Promise<{ size: number }>;
  /** The bytes of a stored file (small files: the demo, tests). */
  get(key: string): Promise<Buffer | null>;
  /** A readable stream of a stored file, with its size, for serving it. */
  stream(key: string): Promise<{ body: Readable; size: number } | null>;
  delete(key: string): Promise<void>;
}

const segment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Refuse any key that could leave the storage root (`..`, absolute paths, odd characters). */
export function assertStorageKey(key: string): void {
  const parts = key.split('/');
  if (parts.length === 0 || parts.some((p) => !segment.test(p) || p.includes('..'))) {
    throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  }
}
