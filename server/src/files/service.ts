import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  checkSlotFile,
  type EventFileRecord,
  type EventFileSlot,
  type EventRecord,
  eventFileSlotField,
  FILE_SNIFF_BYTES,
  type FileCheck,
  fileKindContentType,
  fileUrlOf,
  newId,
  type SessionCoverRecord,
  type UploadPurpose,
  uploadPurposeKinds,
} from '@makeplus/shared';
import type { Kysely } from 'kysely';
import type { EventAccess } from '../accounts/principal';
import type { DB } from '../db/schema';
import { AppError, notFound } from '../http/errors';
import { findRecord, updateRecord, type WriteContext } from '../sync/recordStore';
import { type FileRow, fileQueries } from './queries';
import type { FileStorage } from './storage';

const kindNames = { pdf: 'a PDF document', png: 'a PNG image', jpeg: 'a JPEG image', webp: 'a WebP image' } as const;
const slotNames: Record<UploadPurpose, string> = {
  sessionCover: 'a session cover',
  logo: 'the logo',
  banner: 'the banner',
  programme: 'the programme',
  guide: 'the guide',
};

/** The 400/413/415 answer for a refused file, saying what it is and what the slot takes. */
export function refusal(slot: UploadPurpose, check: Exclude<FileCheck, { ok: true }>, maxBytes: number): AppError {
  const accepted = uploadPurposeKinds[slot].map((k) => k.toUpperCase()).join(', ');
  const field = [{ field: 'body', reason: check.reason }];
  switch (check.reason) {
    case 'empty':
      return new AppError(400, 'empty_file', 'The file is empty', field);
    case 'too_large':
      return new AppError(413, 'file_too_large', `The file is larger than the limit of ${maxBytes} bytes`, field, {
        maxBytes,
      });
    case 'unsupported_type':
      return new AppError(
        415,
        'unsupported_file_type',
        `The file is not a PDF, PNG, JPEG or WebP file (judged by its content, not its name); ${slotNames[slot]} takes ${accepted}`,
        field,
        { accepted },
      );
    case 'wrong_type':
      return new AppError(
        415,
        'unsupported_file_type',
        `The file is ${check.kind ? kindNames[check.kind] : 'of another type'}; ${slotNames[slot]} takes ${accepted}`,
        field,
        { accepted, detected: check.kind },
      );
  }
}

/** The `files.purpose` of a session cover (the event's slots use their slot name). */
export const SESSION_COVER_PURPOSE = 'session_cover';

/** A file name safe to store and to send back in Content-Disposition. */
export function cleanFilename(name: string | undefined, fallback: string): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  const base = [...last]
    .filter((c) => c !== '"' && (c.codePointAt(0) ?? 0) >= 0x20 && c !== '\u007f')
    .join('')
    .trim();
  return (base || fallback).slice(0, 200);
}

export function describeFile(row: FileRow): EventFileRecord {
  return {
    id: row.id,
    eventId: row.eventId ?? '',
    slot: row.purpose as EventFileSlot,
    filename: row.filename,
    contentType: row.contentType,
    sizeBytes: Number(row.sizeBytes),
    sha256: row.sha256,
    url: fileUrlOf(row.id),
    createdAt: row.createdAt,
  };
}

/** The event a file goes to, and who sends it (null: the server itself, e.g. the demo). */
export interface FileOwner {
  eventId: string;
  userId: string | null;
}
export const fileOwnerOf = (access: EventAccess): FileOwner => ({
  eventId: access.eventId,
  userId: access.principal.kind === 'user' ? access.principal.userId : null,
});

/**
 * Uploaded files of events: checked while they stream in (size limit, kind by magic bytes), stored
 * through the FileStorage, recorded in `files`, and linked from the event's field for the slot
 * (`programmeUrl`…), which reaches every device by sync.
 */
export function fileService(db: Kysely<DB>, storage: FileStorage, options: { maxBytes: number }) {
  const queries = fileQueries(db);
  const { maxBytes } = options;

  /** Pass the bytes through, failing as soon as they are too many or of the wrong kind. */
  function inspected(slot: UploadPurpose, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    const hash = createHash('sha256');
    const state = { size: 0, kind: null as keyof typeof kindNames | null, sha256: '' };
    let head = Buffer.alloc(0);
    const judge = () => {
      const check = checkSlotFile(slot, head, Math.max(1, Math.min(state.size, maxBytes)), maxBytes);
      if (!check.ok) throw refusal(slot, check, maxBytes);
      state.kind = check.kind;
    };
    async function* run() {
      // Iterated by hand: a refusal must not destroy the request (its answer still has to go out).
      const source =
        Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : (body as Iterable<Uint8Array>)[Symbol.iterator]();
      for (let next = await source.next(); !next.done; next = await source.next()) {
        const chunk = Buffer.from(next.value);
        state.size += chunk.length;
        if (state.size > maxBytes)
          throw refusal(slot, { ok: false, status: 413, reason: 'too_large', kind: null }, maxBytes);
        if (!state.kind) {
          head = Buffer.concat([head, chunk.subarray(0, FILE_SNIFF_BYTES)]).subarray(0, FILE_SNIFF_BYTES);
          if (head.length >= FILE_SNIFF_BYTES) judge();
        }
        hash.update(chunk);
        yield chunk;
      }
      if (state.size === 0) throw refusal(slot, { ok: false, status: 400, reason: 'empty', kind: null }, maxBytes);
      if (!state.kind) judge();
      state.sha256 = hash.digest('hex');
    }
    return { stream: Readable.from(run()), state };
  }

  return {
    storage,
    maxBytes,

    async list(eventId: string): Promise<EventFileRecord[]> {
      return (await queries.ofEvent(eventId)).map(describeFile);
    },

    /**
     * Store a file in one of the event's slots, replacing what was there. `declaredSize` (the
     * Content-Length) lets a too-large upload be refused before any byte is read.
     */
    async upload(
      access: FileOwner,
      slot: EventFileSlot,
      body: AsyncIterable<Uint8Array> | Uint8Array,
      meta: { filename?: string | undefined; declaredSize?: number | undefined },
      write: WriteContext,
    ): Promise<{ file: EventFileRecord; event: EventRecord }> {
      if (meta.declaredSize !== undefined && meta.declaredSize > maxBytes) {
        throw refusal(slot, { ok: false, status: 413, reason: 'too_large', kind: null }, maxBytes);
      }
      const id = newId();
      const storageKey = `events/${access.eventId}/${id}`;
      const source = body instanceof Uint8Array ? [body] : body;
      const { stream, state } = inspected(slot, source);
      await storage.put(storageKey, stream, { contentType: 'application/octet-stream' });
      const kind = state.kind ?? 'pdf';
      const filename = cleanFilename(meta.filename, `${slot}.${kind === 'jpeg' ? 'jpg' : kind}`);
      let replaced: { id: string; storageKey: string }[] = [];
      try {
        const result = await db.transaction().execute(async (trx) => {
          // Lock the event: two uploads to one slot at once end with one file, the last one.
          const current = await findRecord<EventRecord>(trx, 'events', access.eventId, access.eventId, {
            forUpdate: true,
          });
          if (!current) throw notFound('Event');
          replaced = await queries.ofSlot(trx, access.eventId, slot);
          await queries.remove(
            trx,
            replaced.map((r) => r.id),
          );
          await queries.insert(trx, {
            id,
            eventId: access.eventId,
            purpose: slot,
            filename,
            contentType: fileKindContentType[kind],
            sizeBytes: state.size,
            storageKey,
            sha256: state.sha256,
            createdBy: access.userId,
          });
          const event = await updateRecord<EventRecord>(
            trx,
            'events',
            access.eventId,
            access.eventId,
            { [eventFileSlotField[slot]]: fileUrlOf(id) },
            write,
          );
          const row = (await trx
            .selectFrom('files')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirstOrThrow()) as FileRow;
          return { file: describeFile(row), event };
        });
        await Promise.all(replaced.map((r) => storage.delete(r.storageKey)));
        return result;
      } catch (err) {
        await storage.delete(storageKey);
        throw err;
      }
    },

    /**
     * Store a session's cover image (PNG, JPEG or WebP, checked as it streams in, like the event's
     * files) as a new file of the event; the console then puts its URL in the session's
     * `coverImageUrl`, which syncs like any other edit of the session.
     */
    async uploadSessionCover(
      access: FileOwner,
      body: AsyncIterable<Uint8Array> | Uint8Array,
      meta: { filename?: string | undefined; declaredSize?: number | undefined },
    ): Promise<SessionCoverRecord> {
      if (meta.declaredSize !== undefined && meta.declaredSize > maxBytes) {
        throw refusal('sessionCover', { ok: false, status: 413, reason: 'too_large', kind: null }, maxBytes);
      }
      const id = newId();
      const storageKey = `events/${access.eventId}/${id}`;
      const { stream, state } = inspected('sessionCover', body instanceof Uint8Array ? [body] : body);
      await storage.put(storageKey, stream, { contentType: 'application/octet-stream' });
      const kind = state.kind ?? 'png';
      try {
        await queries.insert(db, {
          id,
          eventId: access.eventId,
          purpose: SESSION_COVER_PURPOSE,
          filename: cleanFilename(meta.filename, `cover.${kind === 'jpeg' ? 'jpg' : kind}`),
          contentType: fileKindContentType[kind],
          sizeBytes: state.size,
          storageKey,
          sha256: state.sha256,
          createdBy: access.userId,
        });
        const row = (await db
          .selectFrom('files')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow()) as FileRow;
        const { slot: _s, ...file } = describeFile(row);
        return file;
      } catch (err) {
        await storage.delete(storageKey);
        throw err;
      }
    },

    /** Empty a slot: the event's field becomes null and the file is deleted. */
    async clear(access: FileOwner, slot: EventFileSlot, write: WriteContext): Promise<EventRecord> {
      let removed: { id: string; storageKey: string }[] = [];
      const event = await db.transaction().execute(async (trx) => {
        const current = await findRecord<EventRecord>(trx, 'events', access.eventId, access.eventId, {
          forUpdate: true,
        });
        if (!current) throw notFound('Event');
        removed = await queries.ofSlot(trx, access.eventId, slot);
        await queries.remove(
          trx,
          removed.map((r) => r.id),
        );
        if (current[eventFileSlotField[slot]] === null) return current;
        return updateRecord<EventRecord>(
          trx,
          'events',
          access.eventId,
          access.eventId,
          { [eventFileSlotField[slot]]: null },
          write,
        );
      });
      await Promise.all(removed.map((r) => storage.delete(r.storageKey)));
      return event;
    },

    /**
     * Delete what no one can reach any more (see `unused`): rows first, then bytes, so a file is
     * never served without its bytes; a crash between the two leaves bytes without a row, which
     * only cost disk. Returns how many files went.
     */
    async collectUnused(options: { graceMs: number; now?: Date }): Promise<number> {
      const before = new Date((options.now ?? new Date()).getTime() - options.graceMs).toISOString();
      let total = 0;
      for (;;) {
        const batch = await queries.unused(SESSION_COVER_PURPOSE, before, 500);
        if (batch.length === 0) return total;
        await queries.remove(
          db,
          batch.map((f) => f.id),
        );
        for (const f of batch) await storage.delete(f.storageKey);
        total += batch.length;
      }
    },

    /** A stored file to send, or null when unknown (or its event was deleted). */
    async open(fileId: string) {
      const row = await queries.servable(fileId);
      if (!row) return null;
      const content = await storage.stream(row.storageKey);
      if (!content) return null;
      return { file: describeFile(row as FileRow), ...content };
    },
  };
}
export type FileService = ReturnType<typeof fileService>;
