/// <reference lib="webworker" />
import Papa from 'papaparse';
import { type ColumnMapping, createImportChecker, type ImportCheck } from './importRows';

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
  const checker = createImportChecker(mapping);
  let header = true;
  let lastPost = 0;
  let read = 0;
  const chunkSize = 256 * 1024;
  Papa.parse<string[]>(file, {
    skipEmptyLines: false,
    chunkSize,
    chunk(results) {
      for (const cells of results.data) {
        if (header) {
          header = false;
          continue;
        }
        checker.add(cells);
      }
      read = Math.min(file.size, read + chunkSize);
      const now = Date.now();
      if (now - lastPost > 50) {
        lastPost = now;
        self.postMessage({
          type: 'progress',
          read,
          size: file.size,
          rows: checker.count,
        } satisfies ImportWorkerMessage);
      }
    },
    complete() {
      self.postMessage({
        type: 'progress',
        read: file.size,
        size: file.size,
        rows: checker.count,
      } satisfies ImportWorkerMessage);
      self.postMessage({ type: 'done', check: checker.result() } satisfies ImportWorkerMessage);
    },
    error(err) {
      self.postMessage({ type: 'failed', message: err.message } satisfies ImportWorkerMessage);
    },
  });
};
