import type { ReconciliationFlagRecord } from '../reconciliation/flag';
import { type CancellationFact, liveSales, type SaleFact } from './cancellation';
import { type CapacitySession, type EntitlementFact, isLiveEntitlement } from './cart';
import { CASH_DESK_NAMESPACES, uuidV5 } from './deterministicId';

export interface OversoldSeat {
  participantId: string;
  transactionId: string;
  cashRegisterId: string;
  deviceId: string;
  receiptNumber: string;
  occurredAt: string;
}

export interface OversoldIncident {
  /** `oversold:<sessionId>`: one incident per session, whatever is sold later (details are refreshed). */
  key: string;
  /** A UUID v5 of the key: inserting the flag under this id is idempotent. */
  flagId: string;
  sessionId: string;
  title: string;
  capacity: number;
  seatsTaken: number;
  /** The seats beyond capacity: the latest sales (device time, then id); seats granted by hand come first. */
  excess: OversoldSeat[];
}

/** The stable id of an incident's flag (any incident key: `oversold:…`, `receipt:…`). */
export function incidentFlagId(key: string): string {
  return uuidV5(CASH_DESK_NAMESPACES.incident, key);
}

/**
 * Workshops sold beyond capacity, visible once offline devices meet: two registers each sold what
 * they believed was the last seat. Seats are distinct persons holding a standing sale of the
 * session or a live entitlement to it (as at the counter). Sorted by session id.
 */
export function detectOversold(
  sessions: readonly CapacitySession[],
  transactions: readonly SaleFact[],
  cancellations: readonly CancellationFact[],
  entitlements: readonly EntitlementFact[] = [],
): OversoldIncident[] {
  const live = liveSales(transactions, cancellations).sort((a, b) => {
    const d = Date.parse(a.occurredAt) - Date.parse(b.occurredAt);
    return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const out: OversoldIncident[] = [];
  for (const session of sessions) {
    if (session.deleted || session.capacity === null) continue;
    // Seat order: granted by hand (no sale) first, then by first standing sale.
    const bySale = new Map<string, OversoldSeat>();
    for (const sale of live) {
      if (bySale.has(sale.participantId)) continue;
      if (!sale.lines.some((l) => l.sessionId === session.id)) continue;
      bySale.set(sale.participantId, {
        participantId: sale.participantId,
        transactionId: sale.id,
        cashRegisterId: sale.cashRegisterId,
        deviceId: sale.deviceId,
        receiptNumber: sale.receiptNumber,
        occurredAt: sale.occurredAt,
      });
    }
    const manual = new Set<string>();
    for (const e of entitlements) {
      if (e.sessionId === session.id && isLiveEntitlement(e) && !bySale.has(e.participantId))
        manual.add(e.participantId);
    }
    const seatsTaken = manual.size + bySale.size;
    if (seatsTaken <= session.capacity) continue;
    const saleSeats = [...bySale.values()];
    const keep = Math.max(0, session.capacity - manual.size);
    const key = `oversold:${session.id}`;
    out.push({
      key,
      flagId: incidentFlagId(key),
      sessionId: session.id,
      title: session.title,
      capacity: session.capacity,
      seatsTaken,
      excess: saleSeats.slice(keep),
    });
  }
  return out.sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
}

/** The fields of the `oversold` reconciliation flag for an incident (the server adds the sync and fact fields). */
export function oversoldFlagFields(
  incident: OversoldIncident,
): Pick<ReconciliationFlagRecord, 'id' | 'kind' | 'subjectCollection' | 'subjectId' | 'summary' | 'details'> {
  const over = incident.seatsTaken - incident.capacity;
  return {
    id: incident.flagId,
    kind: 'oversold',
    subjectCollection: 'sessions',
    subjectId: incident.sessionId,
    summary:
      `${incident.title} : ${incident.seatsTaken} places vendues pour ${incident.capacity} (${over} en trop). / ` +
      `${incident.title}: ${incident.seatsTaken} seats sold for ${incident.capacity} (${over} over).`,
    details: {
      incidentKey: incident.key,
      capacity: incident.capacity,
      seatsTaken: incident.seatsTaken,
      excess: incident.excess,
    },
  };
}
