import type { ParticipantRecord } from '../participants/participant';
import type { SessionRecord } from '../rooms/session';
import { type CancellationFact, liveSales, type SaleFact } from './cancellation';
import type { EntitlementRecord, PayableItemKind, PayableItemRecord, SaleLine } from './cashDesk';
import { type LocalizedText, text } from './localizedText';
import { isAmountMinor, lineTotalMinor } from './payment';

/** What the rules read of a catalogue item, a session, an entitlement and a participant. */
export type CatalogueItem = Pick<
  PayableItemRecord,
  'id' | 'eventId' | 'name' | 'kind' | 'priceMinor' | 'sessionId' | 'isActive' | 'deleted'
>;
export type CapacitySession = Pick<SessionRecord, 'id' | 'eventId' | 'title' | 'capacity' | 'status' | 'deleted'>;
export type EntitlementFact = Pick<
  EntitlementRecord,
  'participantId' | 'payableItemId' | 'sessionId' | 'status' | 'revoked' | 'deleted'
>;
export type CartParticipant = Pick<ParticipantRecord, 'id' | 'eventId' | 'deleted'>;

export interface CartLineInput {
  payableItemId: string;
  /** Defaults to 1. Only `other` items (goods) may be bought by the unit; a seat, a dinner, an access is one per person. */
  quantity?: number;
}

/** Every reason a cart line can be refused, in the order they are checked. */
export const cartLineReasons = [
  'unknown_item',
  'other_event',
  'inactive_item',
  'invalid_quantity',
  'duplicate_in_cart',
  'already_paid',
  'session_unavailable',
  'session_full',
] as const;
export type CartLineReason = (typeof cartLineReasons)[number];

/** Reasons that refuse the whole cart. */
export const cartReasons = ['unknown_participant', 'empty_cart', 'too_many_lines', 'total_out_of_range'] as const;
export type CartReason = (typeof cartReasons)[number];

export const MAX_CART_LINES = 100;
const PER_PERSON_KINDS: readonly PayableItemKind[] = ['session', 'dinner', 'access'];

export interface CartLineVerdict {
  index: number;
  payableItemId: string;
  reason: CartLineReason | null;
  message: LocalizedText | null;
  /** The sale line at today's price, when the line is accepted. */
  line: SaleLine | null;
  /** Seats left in the line's session before this sale (null: no limit or not a session). */
  seatsLeft: number | null;
}

export interface CartVerdict {
  ok: boolean;
  reason: CartReason | null;
  message: LocalizedText | null;
  lines: CartLineVerdict[];
  /** The accepted lines, in cart order (what the sale will record when `ok`). */
  saleLines: SaleLine[];
  /** Total of the accepted lines, minor units. */
  totalMinor: number;
}

export interface CartContext {
  eventId: string;
  participant: CartParticipant | null | undefined;
  lines: readonly CartLineInput[];
  /** What this device knows of the event: its catalogue, sessions, sales, cancellations and entitlements. */
  items: readonly CatalogueItem[];
  sessions: readonly CapacitySession[];
  transactions: readonly SaleFact[];
  cancellations: readonly CancellationFact[];
  entitlements: readonly EntitlementFact[];
}

/** A live entitlement: granted (paid or free), not revoked. A pending reservation is not one: it is what gets sold. */
export function isLiveEntitlement(e: EntitlementFact): boolean {
  return !e.deleted && !e.revoked && (e.status === 'paid' || e.status === 'free');
}

/**
 * Who holds a seat in each session: distinct persons with a live entitlement to it or a standing
 * sale of it. This is the count capacity is checked against, on the device (what it knows) and on
 * the server (`detectOversold`, what everyone pushed).
 */
export function seatHoldersBySession(
  transactions: readonly SaleFact[],
  cancellations: readonly CancellationFact[],
  entitlements: readonly EntitlementFact[] = [],
): Map<string, Set<string>> {
  const holders = new Map<string, Set<string>>();
  const add = (sessionId: string, participantId: string) => {
    const set = holders.get(sessionId);
    if (set) set.add(participantId);
    else holders.set(sessionId, new Set([participantId]));
  };
  for (const sale of liveSales(transactions, cancellations)) {
    for (const l of sale.lines) if (l.sessionId) add(l.sessionId, sale.participantId);
  }
  for (const e of entitlements) if (e.sessionId && isLiveEntitlement(e)) add(e.sessionId, e.participantId);
  return holders;
}

/**
 * The cart check, one rule after another, each refusal named (pretix's check-in decision is the
 * model). Unlike the original: unknown items are refused, not silently dropped, and an item already
 * paid by this person cannot be sold again (the original only greyed it out in the UI).
 */
export function validateCart(ctx: CartContext): CartVerdict {
  const p = ctx.participant;
  if (!p || p.deleted || p.eventId !== ctx.eventId) return cartRefusal('unknown_participant');
  if (ctx.lines.length === 0) return cartRefusal('empty_cart');
  if (ctx.lines.length > MAX_CART_LINES) return cartRefusal('too_many_lines');

  const items = new Map(ctx.items.map((i) => [i.id, i]));
  const sessions = new Map(ctx.sessions.map((s) => [s.id, s]));
  const holders = seatHoldersBySession(ctx.transactions, ctx.cancellations, ctx.entitlements);

  const paidItems = new Set<string>();
  const paidSessions = new Set<string>();
  for (const sale of liveSales(ctx.transactions, ctx.cancellations)) {
    if (sale.participantId !== p.id) continue;
    for (const l of sale.lines) {
      paidItems.add(l.payableItemId);
      if (l.sessionId) paidSessions.add(l.sessionId);
    }
  }
  for (const e of ctx.entitlements) {
    if (e.participantId !== p.id || !isLiveEntitlement(e)) continue;
    if (e.payableItemId) paidItems.add(e.payableItemId);
    if (e.sessionId) paidSessions.add(e.sessionId);
  }

  const inCartItems = new Set<string>();
  const inCartSessions = new Set<string>();
  const verdicts: CartLineVerdict[] = ctx.lines.map((input, index) => {
    const refuse = (
      reason: CartLineReason,
      name: string,
      seatsLeft: number | null = null,
      capacity = 0,
    ): CartLineVerdict => ({
      index,
      payableItemId: input.payableItemId,
      reason,
      message: lineMessage(reason, name, capacity),
      line: null,
      seatsLeft,
    });
    const item = items.get(input.payableItemId);
    if (!item) return refuse('unknown_item', input.payableItemId);
    if (item.eventId !== ctx.eventId) return refuse('other_event', item.name);
    if (!item.isActive || item.deleted) return refuse('inactive_item', item.name);
    const quantity = input.quantity ?? 1;
    const perPerson = PER_PERSON_KINDS.includes(item.kind) || item.sessionId !== null;
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > 1000 || (perPerson && quantity !== 1))
      return refuse('invalid_quantity', item.name);
    if (!isAmountMinor(item.priceMinor * quantity)) return refuse('invalid_quantity', item.name);
    if (inCartItems.has(item.id) || (item.sessionId !== null && inCartSessions.has(item.sessionId)))
      return refuse('duplicate_in_cart', item.name);
    inCartItems.add(item.id);
    if (item.sessionId !== null) inCartSessions.add(item.sessionId);
    if (paidItems.has(item.id) || (item.sessionId !== null && paidSessions.has(item.sessionId)))
      return refuse('already_paid', item.name);

    let seatsLeft: number | null = null;
    if (item.sessionId !== null) {
      const session = sessions.get(item.sessionId);
      // A session this device does not hold cannot be checked here; the server's detectOversold catches it.
      if (session) {
        if (session.deleted || session.status === 'cancelled' || session.eventId !== ctx.eventId)
          return refuse('session_unavailable', item.name);
        if (session.capacity !== null) {
          const sold = holders.get(session.id)?.size ?? 0;
          seatsLeft = Math.max(0, session.capacity - sold);
          if (seatsLeft === 0) return refuse('session_full', item.name, 0, session.capacity);
        }
      }
    }
    return {
      index,
      payableItemId: item.id,
      reason: null,
      message: null,
      seatsLeft,
      line: {
        payableItemId: item.id,
        name: item.name,
        kind: item.kind,
        sessionId: item.sessionId,
        unitPriceMinor: item.priceMinor,
        quantity,
      },
    };
  });

  const saleLines = verdicts.flatMap((v) => (v.line ? [v.line] : []));
  let totalMinor = 0;
  for (const l of saleLines) totalMinor += lineTotalMinor(l);
  if (!isAmountMinor(totalMinor)) return { ...cartRefusal('total_out_of_range'), lines: verdicts };
  const ok = verdicts.every((v) => v.reason === null);
  return { ok, reason: null, message: null, lines: verdicts, saleLines, totalMinor };
}

function cartRefusal(reason: CartReason): CartVerdict {
  return { ok: false, reason, message: cartMessages[reason], lines: [], saleLines: [], totalMinor: 0 };
}

const cartMessages: Record<CartReason, LocalizedText> = {
  unknown_participant: text(
    "Participant introuvable ou non inscrit à cet événement. Recherchez-le de nouveau ou inscrivez-le d'abord.",
    'Participant not found or not registered for this event. Search again or register them first.',
  ),
  empty_cart: text('Sélectionnez au moins un article.', 'Select at least one item.'),
  too_many_lines: text(
    `Trop d'articles dans une seule vente (${MAX_CART_LINES} au plus). Faites plusieurs ventes.`,
    `Too many items in one sale (at most ${MAX_CART_LINES}). Make several sales.`,
  ),
  total_out_of_range: text(
    'Le total dépasse le montant maximal accepté. Vérifiez les quantités.',
    'The total exceeds the largest accepted amount. Check the quantities.',
  ),
};

function lineMessage(reason: CartLineReason, name: string, capacity: number): LocalizedText {
  switch (reason) {
    case 'unknown_item':
      return text(
        `Article inconnu (${name}). Synchronisez la caisse puis réessayez.`,
        `Unknown item (${name}). Sync the register, then try again.`,
      );
    case 'other_event':
      return text(`${name} appartient à un autre événement.`, `${name} belongs to another event.`);
    case 'inactive_item':
      return text(`${name} n'est plus en vente.`, `${name} is no longer on sale.`);
    case 'invalid_quantity':
      return text(
        `Quantité invalide pour ${name} (une place, un dîner ou un accès par personne).`,
        `Invalid quantity for ${name} (one seat, dinner or access per person).`,
      );
    case 'duplicate_in_cart':
      return text(`${name} est déjà dans le panier.`, `${name} is already in the cart.`);
    case 'already_paid':
      return text(
        `${name} est déjà payé par (ou accordé à) cette personne : rien à encaisser.`,
        `${name} is already paid for by (or granted to) this person: nothing to charge.`,
      );
    case 'session_unavailable':
      return text(`${name} : la session est annulée ou supprimée.`, `${name}: the session is cancelled or deleted.`);
    case 'session_full':
      return text(
        `${name} est complet (0/${capacity} place disponible). Proposez une autre session.`,
        `${name} is full (0/${capacity} spots available). Offer another session.`,
      );
  }
}
