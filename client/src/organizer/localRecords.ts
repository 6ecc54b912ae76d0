import type { CollectionName, RecordOf } from '@makeplus/shared';
import { useMemo } from 'react';
import type { MangoQuery, RxDocument } from 'rxdb';
import { useLiveQuery } from '../sync/DeviceSync';
import type { LocalDoc } from '../sync/database';

export interface LocalRecords<N extends CollectionName> {
  /** undefined while the device database opens. */
  records: RecordOf<N>[] | undefined;
  /** The live document of a record, to edit or delete it through localWrites. */
  docOf: (id: string) => RxDocument<LocalDoc> | undefined;
}

/**
 * The records of one local collection, live: they come from this device's database, so the console
 * reads them offline, and every change (here, on another device, or by the server) re-renders.
 */
export function useLocalRecords<N extends CollectionName>(
  name: N,
  selector: MangoQuery<LocalDoc>['selector'] = {},
  options: { hold?: boolean } = {},
): LocalRecords<N> {
  const docs = useLiveQuery(name, { selector }, [], options);
  return useMemo(() => {
    if (!docs) return { records: undefined, docOf: () => undefined };
    const byId = new Map(docs.map((d) => [d.id, d]));
    return {
      records: docs.map((d) => d.toJSON() as unknown as RecordOf<N>),
      docOf: (id: string) => byId.get(id),
    };
  }, [docs]);
}

/** Lower case without accents, for searching names typed either way (« Hélène » = « helene »). */
export function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** True when every word of the query appears in one of the texts. */
export function matchesQuery(query: string, ...texts: readonly (string | null | undefined)[]): boolean {
  const words = folded(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = folded(texts.filter(Boolean).join(' '));
  return words.every((w) => haystack.includes(w));
}
