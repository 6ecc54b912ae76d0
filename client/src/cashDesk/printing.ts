import {
  type CancellationFact,
  deriveSaleStatus,
  type EntitlementRecord,
  type EventRecord,
  effectiveCancellations,
  isLiveEntitlement,
  liveSales,
  type ParticipantRecord,
  parseBadgeCode,
  participantDisplayName,
  type SaleFact,
  type SigningKeyPair,
  type TransactionRecord,
} from '@makeplus/shared';
import { buildBadgeDocument } from '../badges/badgePdf';
import { fileSlug } from '../organizer/download';
import { signWalkInBadge } from './deviceKey';
import type { DocumentLocale } from './documentText';
import { type ReceiptLayout, receiptPdfBlob } from './receiptPdf';

/** Save a document through the browser's download (the tablet's print dialog opens it from there). */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Sessions a person holds: standing sales of this device and live entitlements. */
export function grantedSessionIds(
  participantId: string,
  transactions: readonly SaleFact[],
  cancellations: readonly CancellationFact[],
  entitlements: readonly EntitlementRecord[],
): string[] {
  const out = new Set<string>();
  for (const s of liveSales(transactions, cancellations)) {
    if (s.participantId !== participantId) continue;
    for (const l of s.lines) if (l.sessionId) out.add(l.sessionId);
  }
  for (const e of entitlements) {
    if (e.participantId === participantId && e.sessionId && isLiveEntitlement(e)) out.add(e.sessionId);
  }
  return [...out].sort();
}

/**
 * The code printed on a person's badge. A walk-in registered at a desk gets a badge signed by this
 * tablet, naming the workshops bought so far, so a door that has not synced yet admits them; anyone
 * else keeps their own badge (doors know them and read their entitlements).
 */
export function badgeCodeFor(
  participant: ParticipantRecord,
  key: SigningKeyPair | null,
  grants: readonly string[],
): string {
  const parsed = parseBadgeCode(participant.badgeCode);
  const deviceIssued = parsed.format === 'mkpl' && parsed.payload.e === participant.eventId;
  if (participant.source !== 'walk_in' || !deviceIssued || !key) return participant.badgeCode;
  return signWalkInBadge(key, {
    participantId: participant.id,
    eventId: participant.eventId,
    name: participantDisplayName(participant),
    grantedSessionIds: grants,
  });
}

export function badgeBlob(participant: ParticipantRecord, event: EventRecord, code: string): Blob {
  const doc = buildBadgeDocument(
    [
      {
        name: participantDisplayName(participant),
        organization: participant.organization || undefined,
        eventName: event.name,
        role: 'participant',
        code,
      },
    ],
    { format: 'a6', accentColor: event.primaryColor, title: `Badge ${participantDisplayName(participant)}` },
  );
  // The code in the document's properties too: a desk can read it back without a camera.
  doc.setProperties({
    title: `Badge ${participantDisplayName(participant)}`,
    subject: event.name,
    keywords: code,
    creator: 'MakePlus',
  });
  return doc.output('blob');
}

export function receiptBlob(
  sale: TransactionRecord,
  participant: ParticipantRecord | undefined,
  event: EventRecord,
  registerName: string,
  cancellations: readonly CancellationFact[],
  layout: ReceiptLayout,
  locale: DocumentLocale,
): Blob {
  const status = deriveSaleStatus(sale, effectiveCancellations(cancellations));
  return receiptPdfBlob(
    {
      event: {
        name: event.name,
        venue: event.venue,
        locationDetails: event.locationDetails,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        timezone: event.timezone,
        currency: event.currency,
      },
      register: { name: registerName },
      transaction: sale,
      participant: {
        firstName: participant?.firstName ?? '?',
        lastName: participant?.lastName ?? '',
        organization: participant?.organization || undefined,
        email: participant?.email || undefined,
        badgeId: participant?.legacyBadgeId || undefined,
      },
      cancellation:
        status.status === 'cancelled'
          ? { occurredAt: status.cancelledAt ?? sale.occurredAt, reason: status.cancelReason ?? '' }
          : null,
    },
    { layout, locale },
  );
}

export function receiptFilename(sale: Pick<TransactionRecord, 'receiptNumber'>, layout: ReceiptLayout): string {
  return `${layout === 'a4' ? 'facture' : 'recu'}-${fileSlug(sale.receiptNumber)}.pdf`;
}

export function badgeFilename(participant: ParticipantRecord): string {
  return `badge-${fileSlug(participantDisplayName(participant))}.pdf`;
}
