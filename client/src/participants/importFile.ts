import Papa from 'papaparse';
import { type ColumnMapping, createImportChecker, type ImportCheck } from './importRows';

export interface ImportFileProgress {
  /** Bytes of the file checked so far (estimated from the characters parsed). */
  read: number;
  size: number;
  rows: number;
}

/**
 * Parse a participants file and check every row (what the import worker runs, off the main thread).
 *
 * The file is decoded as UTF-8 in one go, then parsed in chunks of `chunkSize` characters with
 * progress after each. Papa's own file streaming decodes each byte slice separately: a character
 * of two bytes (é, è, ç…) that straddled a slice boundary became two U+FFFD, once per 256 KiB —
 * « Médecin » turned into « M��decin » in a 100,000-row file.
 */
export async function checkImportFile(
  file: Blob,
  mapping: ColumnMapping,
  onProgress: (p: ImportFileProgress) => void = () => {},
  chunkSize = 256 * 1024,
): Promise<ImportCheck> {
  const text = await file.text();
  const checker = createImportChecker(mapping);
  let header = true;
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(text, {
      skipEmptyLines: false,
      chunkSize,
      chunk(results: Papa.ParseResult<string[]>) {
        for (const cells of results.data) {
          if (header) {
            header = false;
            continue;
          }
          checker.add(cells);
        }
        const parsed = text.length ? results.meta.cursor / text.length : 1;
        onProgress({ read: Math.min(file.size, Math.round(file.size * parsed)), size: file.size, rows: checker.count });
      },
      complete() {
        onProgress({ read: file.size, size: file.size, rows: checker.count });
        resolve(checker.result());
      },
      error(err: Error) {
        reject(err);
      },
    });
  });
}
