import { newId } from '@makeplus/shared';
import type { TestApp } from './testApp';

/** A device talking the sync protocol through app.inject. */
export function syncDevice(t: TestApp, token: string, deviceId = `dev-${newId().slice(-12)}`) {
  const headers = { 'x-makeplus-device': deviceId };
  return {
    deviceId,
    token,
    pull(collection: string, after = 0, limit = 500) {
      return t.request('GET', `/sync/v1/${collection}/pull?after=${after}&limit=${limit}`, { token, headers });
    },
    /** Pull until empty; returns every document and the final checkpoint. */
    async pullAll(collection: string, after = 0, limit = 500) {
      const docs: Record<string, unknown>[] = [];
      let seq = after;
      for (;;) {
        const r = await this.pull(collection, seq, limit);
        if (r.status !== 200) throw new Error(`pull ${collection}: ${r.status} ${JSON.stringify(r.body)}`);
        docs.push(...r.body.documents);
        if (r.body.documents.length < limit) return { docs, seq: r.body.checkpoint?.seq ?? seq };
        seq = r.body.checkpoint.seq;
      }
    },
    push(collection: string, rows: { newDocumentState: unknown; assumedMasterState?: unknown }[]) {
      return t.request('POST', `/sync/v1/${collection}/push`, { token, headers, body: rows });
    },
    snapshot(collections?: string[]) {
      const query = collections ? `?collections=${collections.join(',')}` : '';
      return t.request('GET', `/sync/v1/snapshot${query}`, { token, headers });
    },
  };
}

/** The sync fields every fact a device pushes carries: a new client id, first revision, device time now. */
function factMeta(eventId: string, deviceId: string) {
  const now = new Date().toISOString();
  return {
    id: newId(),
    eventId,
    seq: 0,
    rev: 1,
    createdAt: now,
    updatedAt: now,
    deleted: false,
    deviceId,
    occurredAt: now,
    receivedAt: null,
  };
}

export function scanDoc(
  eventId: string,
  deviceId: string,
  participantId: string | null,
  extra: Record<string, unknown> = {},
) {
  return {
    ...factMeta(eventId, deviceId),
    participantId,
    badgeCode: 'test',
    roomId: null,
    sessionId: null,
    direction: 'in',
    granted: true,
    reason: 'granted',
    issuedOffline: false,
    operatorId: null,
    ...extra,
  };
}

/** A completed cash sale as a register tablet pushes it (one of each line, paid in cash). */
export function saleDoc(
  eventId: string,
  deviceId: string,
  cashRegisterId: string,
  participantId: string,
  receiptSeq: number,
  lines: { id: string; name: string; priceMinor: number; sessionId?: string | null; kind?: string }[],
  extra: Record<string, unknown> = {},
) {
  const total = lines.reduce((a, l) => a + l.priceMinor, 0);
  return {
    ...factMeta(eventId, deviceId),
    cashRegisterId,
    participantId,
    receiptNumber: `R-${receiptSeq}`,
    receiptSeq,
    lines: lines.map((l) => ({
      payableItemId: l.id,
      name: l.name,
      kind: l.kind ?? (l.sessionId ? 'session' : 'other'),
      sessionId: l.sessionId ?? null,
      unitPriceMinor: l.priceMinor,
      quantity: 1,
    })),
    totalMinor: total,
    paymentMethod: 'cash',
    cashMinor: total,
    amountReceivedMinor: total,
    changeMinor: 0,
    notes: '',
    cashierName: 'Caisse',
    status: 'completed',
    cancelledAt: null,
    cancelReason: null,
    legacyId: 0,
    ...extra,
  };
}

/** The cancellation of a sale as a register tablet pushes it. */
export function cancellationDoc(
  eventId: string,
  deviceId: string,
  cashRegisterId: string,
  transactionId: string,
  reason = 'Erreur de saisie',
) {
  return {
    ...factMeta(eventId, deviceId),
    transactionId,
    cashRegisterId,
    reason,
    cancelledBy: 'Caisse',
  };
}
