/// <reference lib="webworker" />
import { checkImportFile } from './importFile';
import type { ColumnMapping, ImportCheck } from './importRows';

/**
 * Parses and checks a participants file off the main thread, so a 100,000-row file never freezes
 * the page. Messages in: `{ file, mapping }`. Out: `progress` (bytes read / size), then `done`
 * with the check, or `failed`.
 */
export type ImportWorkerRequest = { file: File; mapping: ColumnMapping };
export type ImportWorkerMessage =
  | { type: 'progress'; read: number; size: number; rows: number }
  | { type: 'done'; check: ImportCheck }
  | { type: 'failed'; message: string };

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<ImportWorkerRequest>) => {
  const { file, mapping } = e.data;
  let lastPost = 0;
  checkImportFile(file, mapping, ({ read, size, rows }) => {
    const now = Date.now();
    if (now - lastPost > 50 || read === size) {
      lastPost = now;
      self.postMessage({ type: 'progress', read, size, rows } satisfies ImportWorkerMessage);
    }
  })
    .then((check) => self.postMessage({ type: 'done', check } satisfies ImportWorkerMessage))
    .catch((err: unknown) =>
      self.postMessage({
        type: 'failed',
        message: err instanceof Error ? err.message : String(err),
      } satisfies ImportWorkerMessage),
    );
};
