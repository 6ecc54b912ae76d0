import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, type FileStorage } from './storage';

/**
 * Files on the local disk, under one root (by default `DATA_DIR/uploads`). A put is written to a
 * temporary file next to its destination and renamed when complete, so a reader never sees half a
 * file and a failed upload leaves nothing behind.
 */
export function diskStorage(root: string): FileStorage {
  const resolved = path.resolve(root);
  const fileOf = (key: string) => {
    assertStorageKey(key);
    return path.join(resolved, ...key.split('/'));
  };
  const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

  return {
    kind: 'disk',

    async put(key, body) {
      const target = fileOf(key);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomBytes(6).toString('hex')}.part`;
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      const source = body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
      const out = createWriteStream(temp, { flags: 'wx', mode: 0o640 });
      try {
        await pipeline(source, counter, out);
        await rename(temp, target);
      } catch (err) {
        // The file may still be opening: remove it only once the stream is closed.
        if (!out.closed) await once(out, 'close').catch(() => {});
        await rm(temp, { force: true });
        throw err;
      }
      return { size };
    },

    async get(key) {
      try {
        return await readFile(fileOf(key));
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },

    async stream(key) {
      const file = fileOf(key);
      try {
        const info = await stat(file);
        return { body: createReadStream(file), size: info.size };
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },

    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}
