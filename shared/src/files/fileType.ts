import { z } from 'zod';

/**
 * What an uploaded file really is, read from its first bytes ("magic bytes"), never from its name
 * or the type its sender declares. Both the organizer's browser (before sending) and the server
 * (authoritative) use this one function.
 */
export const fileKinds = ['pdf', 'png', 'jpeg', 'webp'] as const;
export type FileKind = (typeof fileKinds)[number];

export const fileKindContentType: Record<FileKind, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** Bytes needed to recognise any supported kind. */
export const FILE_SNIFF_BYTES = 12;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

/** The kind of a file from its first bytes (at least FILE_SNIFF_BYTES when the file is that long); null when unsupported. */
export function sniffFileKind(bytes: Uint8Array): FileKind | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return null;
}

/** The files an event holds, each in one field of the event, with the kinds each accepts. */
export const eventFileSlots = ['logo', 'banner', 'programme', 'guide'] as const;
export const eventFileSlot = z.enum(eventFileSlots);
export type EventFileSlot = z.infer<typeof eventFileSlot>;

export const eventFileSlotKinds: Record<EventFileSlot, readonly FileKind[]> = {
  logo: ['png', 'jpeg', 'webp'],
  banner: ['png', 'jpeg', 'webp'],
  programme: ['pdf'],
  guide: ['pdf'],
};

/**
 * What an upload is for: one of the event's slots, or a session's cover image (a session holds the
 * file's URL in `coverImageUrl`; each upload is a new file, so sessions never share one).
 */
export const uploadPurposes = [...eventFileSlots, 'sessionCover'] as const;
export type UploadPurpose = (typeof uploadPurposes)[number];
export const uploadPurposeKinds: Record<UploadPurpose, readonly FileKind[]> = {
  ...eventFileSlotKinds,
  sessionCover: ['png', 'jpeg', 'webp'],
};

/** The event field that holds each slot's URL. */
export const eventFileSlotField = {
  logo: 'logoUrl',
  banner: 'bannerUrl',
  programme: 'programmeUrl',
  guide: 'guideUrl',
} as const satisfies Record<EventFileSlot, string>;

/** Default upload size limit (the server's UPLOAD_MAX_BYTES). */
export const DEFAULT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

/** Where a stored file is served (a capability URL: its id is random and unguessable). */
export const FILES_BASE_PATH = '/api/v1/files';
export const fileUrlOf = (fileId: string) => `${FILES_BASE_PATH}/${fileId}`;
/** A stored file's URL as records keep it (server-relative, valid behind any host name). */
export const storedFilePath = /^\/api\/v1\/files\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type FileCheck =
  | { ok: true; kind: FileKind }
  | {
      ok: false;
      status: 400 | 413 | 415;
      reason: 'empty' | 'too_large' | 'unsupported_type' | 'wrong_type';
      kind: FileKind | null;
    };

/**
 * Whether a file may go into a slot: not empty, not larger than `maxBytes`, and of a kind the slot
 * accepts (judged by its first bytes). `size` is the whole file's size.
 */
export function checkSlotFile(slot: UploadPurpose, head: Uint8Array, size: number, maxBytes: number): FileCheck {
  if (size === 0) return { ok: false, status: 400, reason: 'empty', kind: null };
  if (size > maxBytes) return { ok: false, status: 413, reason: 'too_large', kind: null };
  const kind = sniffFileKind(head);
  if (!kind) return { ok: false, status: 415, reason: 'unsupported_type', kind };
  if (!uploadPurposeKinds[slot].includes(kind)) return { ok: false, status: 415, reason: 'wrong_type', kind };
  return { ok: true, kind };
}

/** A stored file's description, as the organizer API lists it. */
export const eventFileRecord = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  slot: eventFileSlot,
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.int(),
  sha256: z.string(),
  url: z.string(),
  createdAt: z.string(),
});
export type EventFileRecord = z.infer<typeof eventFileRecord>;

/** A session cover as stored: the file's description, its URL to put in `coverImageUrl`. */
export const sessionCoverRecord = eventFileRecord.omit({ slot: true });
export type SessionCoverRecord = z.infer<typeof sessionCoverRecord>;
