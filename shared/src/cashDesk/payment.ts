import { DEFAULT_CURRENCY, formatMoney, MAX_MINOR_UNITS } from '../money/money';
import type { PaymentMethod, SaleLine } from './cashDesk';
import { type LocalizedText, text } from './localizedText';

/** An amount the cash desk accepts: a safe, non-negative integer of minor units within the schema's ceiling. */
export function isAmountMinor(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_MINOR_UNITS;
}

/** unitPrice × quantity, exact; throws on anything that is not a valid integer amount. */
export function lineTotalMinor(line: Pick<SaleLine, 'unitPriceMinor' | 'quantity'>): number {
  if (!isAmountMinor(line.unitPriceMinor)) throw new RangeError(`invalid unit price: ${line.unitPriceMinor}`);
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
    throw new RangeError(`invalid quantity: ${line.quantity}`);
  const total = line.unitPriceMinor * line.quantity;
  if (!isAmountMinor(total)) throw new RangeError('line total out of range');
  return total;
}

/** Sum of the lines, exact; throws when it leaves the range of a valid amount. */
export function linesTotalMinor(lines: readonly Pick<SaleLine, 'unitPriceMinor' | 'quantity'>[]): number {
  let total = 0;
  for (const l of lines) {
    total += lineTotalMinor(l);
    if (!isAmountMinor(total)) throw new RangeError('sale total out of range');
  }
  return total;
}

export interface PaymentInput {
  method: PaymentMethod;
  /** The cash part of a `mixed` payment (ignored otherwise: all of it for cash, none for bank transfer). */
  cashMinor?: number;
  /** Cash handed over by the person; defaults to the exact cash part. */
  amountReceivedMinor?: number;
}

/** How a sale is paid, every figure in minor units: cashMinor + nonCashMinor = total, received − change = cashMinor. */
export interface Settlement {
  paymentMethod: PaymentMethod;
  totalMinor: number;
  cashMinor: number;
  nonCashMinor: number;
  amountReceivedMinor: number;
  changeMinor: number;
}

export const paymentRefusals = [
  'invalid_amount',
  'cash_part_required',
  'cash_part_out_of_range',
  'cash_not_expected',
  'insufficient_cash',
] as const;
export type PaymentRefusal = (typeof paymentRefusals)[number];

export type PaymentOutcome =
  | { ok: true; settlement: Settlement }
  | { ok: false; reason: PaymentRefusal; message: LocalizedText };

/**
 * Settle a total: cash (all in cash), bank transfer (nothing in cash, proof checked by the cashier),
 * or mixed (a cash part strictly between 0 and the total, the rest by transfer). Cash received below
 * the cash part is refused; the change is what is received beyond it.
 */
export function settlePayment(totalMinor: number, input: PaymentInput, currency = DEFAULT_CURRENCY): PaymentOutcome {
  const refuse = (reason: PaymentRefusal, a = 0, b = 0) => refusal(reason, currency, a, b);
  if (!isAmountMinor(totalMinor)) return refuse('invalid_amount');
  for (const v of [input.cashMinor, input.amountReceivedMinor]) {
    if (v !== undefined && !isAmountMinor(v)) return refuse('invalid_amount');
  }
  let cashMinor: number;
  switch (input.method) {
    case 'cash':
      cashMinor = totalMinor;
      break;
    case 'bank_transfer':
      cashMinor = 0;
      if (input.amountReceivedMinor !== undefined && input.amountReceivedMinor !== 0)
        return refuse('cash_not_expected');
      break;
    case 'mixed':
      if (input.cashMinor === undefined) return refuse('cash_part_required');
      if (input.cashMinor <= 0 || input.cashMinor >= totalMinor) return refuse('cash_part_out_of_range', totalMinor);
      cashMinor = input.cashMinor;
      break;
  }
  const received = input.amountReceivedMinor ?? cashMinor;
  if (received < cashMinor) return refuse('insufficient_cash', cashMinor, received);
  return {
    ok: true,
    settlement: {
      paymentMethod: input.method,
      totalMinor,
      cashMinor,
      nonCashMinor: totalMinor - cashMinor,
      amountReceivedMinor: received,
      changeMinor: received - cashMinor,
    },
  };
}

function refusal(reason: PaymentRefusal, currency: string, a: number, b: number): PaymentOutcome {
  const fr = (m: number) => formatMoney(m, currency, 'fr-FR');
  const en = (m: number) => formatMoney(m, currency, 'en');
  const messages: Record<PaymentRefusal, () => LocalizedText> = {
    invalid_amount: () =>
      text(
        'Montant invalide : saisissez un montant positif en dinars (2 décimales au plus).',
        'Invalid amount: enter a positive amount in dinars (at most 2 decimals).',
      ),
    cash_part_required: () =>
      text('Paiement mixte : saisissez la part payée en espèces.', 'Mixed payment: enter the part paid in cash.'),
    cash_part_out_of_range: () =>
      text(
        `Paiement mixte : la part en espèces doit être entre 0 et le total (${fr(a)}) exclus. Sinon choisissez Espèces ou Virement.`,
        `Mixed payment: the cash part must be between 0 and the total (${en(a)}), both excluded. Otherwise choose Cash or Bank transfer.`,
      ),
    cash_not_expected: () =>
      text(
        "Virement : aucune somme en espèces n'est attendue. Choisissez Mixte si une partie est payée en espèces.",
        'Bank transfer: no cash is expected. Choose Mixed if part is paid in cash.',
      ),
    insufficient_cash: () =>
      text(
        `Somme reçue insuffisante : ${fr(b)} reçus pour ${fr(a)} dus. Demandez le complément.`,
        `Not enough cash received: ${en(b)} received for ${en(a)} due. Ask for the rest.`,
      ),
  };
  return { ok: false, reason, message: messages[reason]() };
}

/**
 * What is wrong with a sale's amounts, if anything. The server runs it on every pushed sale:
 * a device's arithmetic is never trusted. Empty when the sale adds up.
 */
export function saleAmountIssues(sale: {
  lines: readonly Pick<SaleLine, 'unitPriceMinor' | 'quantity'>[];
  totalMinor: number;
  paymentMethod: PaymentMethod;
  cashMinor: number;
  amountReceivedMinor: number;
  changeMinor: number;
}): string[] {
  const issues: string[] = [];
  for (const [k, v] of Object.entries({
    totalMinor: sale.totalMinor,
    cashMinor: sale.cashMinor,
    amountReceivedMinor: sale.amountReceivedMinor,
    changeMinor: sale.changeMinor,
  })) {
    if (!isAmountMinor(v)) issues.push(`${k} is not a valid integer amount`);
  }
  if (issues.length > 0) return issues;
  let lines: number | null = null;
  try {
    lines = linesTotalMinor(sale.lines);
  } catch (e) {
    issues.push(`lines: ${(e as Error).message}`);
  }
  if (lines !== null && lines !== sale.totalMinor)
    issues.push(`lines add up to ${lines}, total says ${sale.totalMinor}`);
  if (sale.cashMinor > sale.totalMinor) issues.push('cash part exceeds the total');
  if (sale.paymentMethod === 'cash' && sale.cashMinor !== sale.totalMinor)
    issues.push('cash sale with a non-cash part');
  if (sale.paymentMethod === 'bank_transfer' && (sale.cashMinor !== 0 || sale.amountReceivedMinor !== 0))
    issues.push('bank transfer with a cash part');
  if (sale.paymentMethod === 'mixed' && (sale.cashMinor <= 0 || sale.cashMinor >= sale.totalMinor))
    issues.push('mixed payment whose cash part is not strictly between 0 and the total');
  if (sale.amountReceivedMinor - sale.changeMinor !== sale.cashMinor) issues.push('received − change ≠ cash part');
  return issues;
}
