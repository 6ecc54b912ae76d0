import type { ExhibitorRecord } from '@makeplus/shared';
import { useMemo } from 'react';
import { useLiveQuery } from '../sync/DeviceSync';
import { asLead, asScan } from './leadCapture';

/** The caller's stand (the device keeps only its own), its leads and its visits, live. */
export function useStandData() {
  const exhibitors = useLiveQuery('exhibitors', { selector: {} });
  const leadDocs = useLiveQuery('leads', { selector: {} });
  const scanDocs = useLiveQuery('leadScans', { selector: {} });
  const stand = (exhibitors?.[0]?.toJSON() as unknown as ExhibitorRecord | undefined) ?? null;
  const leads = useMemo(() => (leadDocs ?? []).map((d) => ({ doc: d, lead: asLead(d) })), [leadDocs]);
  const scans = useMemo(() => (scanDocs ?? []).map(asScan), [scanDocs]);
  const visitsByPerson = useMemo(() => {
    const m = new Map<string, number>();
    for (const s of scans) m.set(s.participantId, (m.get(s.participantId) ?? 0) + 1);
    return m;
  }, [scans]);
  return { loading: exhibitors === undefined, stand, leads, scans, visitsByPerson };
}
export type StandData = ReturnType<typeof useStandData>;
