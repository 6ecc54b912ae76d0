import { formatMoney, type PaymentMethod } from '@makeplus/shared';

/** The language a printed document is in (the cash desk prints in French unless told otherwise). */
export type DocumentLocale = 'fr' | 'en';

/**
 * Text the PDF standard fonts can print. jsPDF's built-in Helvetica writes single-byte
 * (WinAnsi/Latin-1) text: a character above U+00FF garbles the whole line, so typographic
 * characters are replaced by their plain equivalents (the narrow no-break space of French number
 * grouping becomes a space), accents outside Latin-1 are stripped, and anything left (e.g. Arabic
 * script) becomes "?". Scripts beyond Latin need an embedded font, which these documents do not carry yet.
 */
export function pdfSafe(text: string): string {
  const replaced = text
    .normalize('NFC')
    .replace(/[\u2000-\u200b\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/\u2026/g, '...')
    .replace(/\u0153/g, 'oe')
    .replace(/\u0152/g, 'OE')
    .replace(/\u20ac/g, 'EUR')
    .replace(/\u2022/g, '-');
  let out = '';
  for (const ch of replaced) {
    if ((ch.codePointAt(0) ?? 0) <= 0xff) {
      out += ch;
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += [...base].every((c) => (c.codePointAt(0) ?? 0) <= 0xff) && base.length > 0 ? base : '?';
  }
  return out;
}

const LOCALE_TAG: Record<DocumentLocale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Money as people read it, in the document's language. */
export function money(minor: number, currency: string, locale: DocumentLocale): string {
  return formatMoney(minor, currency, locale === 'fr' ? 'fr-FR' : 'en');
}

/** "22/11/2026 10:30" in the event's time zone. */
export function dateTime(iso: string, timeZone: string, locale: DocumentLocale): string {
  const d = new Date(iso);
  try {
    return new Intl.DateTimeFormat(LOCALE_TAG[locale], {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(d);
  } catch {
    return d.toISOString().slice(0, 16).replace('T', ' ');
  }
}

/** "22/11/2026" in the event's time zone. */
export function dateOnly(iso: string, timeZone: string, locale: DocumentLocale): string {
  try {
    return new Intl.DateTimeFormat(LOCALE_TAG[locale], {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

export const paymentMethodLabels: Record<DocumentLocale, Record<PaymentMethod, string>> = {
  fr: { cash: 'Espèces', bank_transfer: 'Virement bancaire', mixed: 'Mixte (espèces + virement)' },
  en: { cash: 'Cash', bank_transfer: 'Bank transfer', mixed: 'Mixed (cash + transfer)' },
};

export const receiptLabels = {
  fr: {
    receipt: 'Reçu',
    invoice: 'Facture',
    number: 'N°',
    date: 'Date',
    register: 'Caisse',
    cashier: 'Caissier',
    participant: 'Participant',
    billedTo: 'Facturé à',
    item: 'Désignation',
    quantity: 'Qté',
    unitPrice: 'Prix unitaire',
    amount: 'Montant',
    total: 'Total',
    method: 'Paiement',
    cashPart: 'Part en espèces',
    transferPart: 'Part par virement',
    received: 'Reçu',
    change: 'Rendu',
    notes: 'Notes',
    cancelled: 'ANNULÉ',
    cancelledOn: 'Annulé le',
    reason: 'Motif',
    thanks: 'Merci de votre visite.',
    keep: 'Conservez ce reçu : il prouve votre paiement.',
    event: 'Événement',
    venue: 'Lieu',
    dates: 'Dates',
    page: 'Page',
    reference: 'Référence',
  },
  en: {
    receipt: 'Receipt',
    invoice: 'Invoice',
    number: 'No.',
    date: 'Date',
    register: 'Register',
    cashier: 'Cashier',
    participant: 'Participant',
    billedTo: 'Billed to',
    item: 'Item',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    amount: 'Amount',
    total: 'Total',
    method: 'Payment',
    cashPart: 'Cash part',
    transferPart: 'Transfer part',
    received: 'Received',
    change: 'Change',
    notes: 'Notes',
    cancelled: 'CANCELLED',
    cancelledOn: 'Cancelled on',
    reason: 'Reason',
    thanks: 'Thank you for your visit.',
    keep: 'Keep this receipt: it proves your payment.',
    event: 'Event',
    venue: 'Venue',
    dates: 'Dates',
    page: 'Page',
    reference: 'Reference',
  },
} as const satisfies Record<DocumentLocale, Record<string, string>>;

export const zReportLabels = {
  fr: {
    title: 'Rapport Z - clôture de caisse',
    event: 'Événement',
    register: 'Caisse',
    period: 'Période',
    generatedAt: 'Édité le',
    receipts: 'Reçus',
    firstLast: 'Du n° au n°',
    count: 'Nombre',
    missing: 'Numéros manquants',
    collisions: 'Numéros en double (deux appareils)',
    none: 'aucun',
    devices: 'Appareils',
    cashiers: 'Caissiers',
    summary: 'Ventes',
    gross: 'Ventes enregistrées',
    completed: 'Ventes valides',
    cancelled: 'Ventes annulées',
    byMethod: 'Par mode de paiement',
    byItem: 'Par article',
    method: 'Mode',
    item: 'Article',
    quantity: 'Qté',
    total: 'Total',
    cash: 'Espèces',
    nonCash: 'Virement',
    cancellations: 'Annulations de la période',
    receipt: 'Reçu',
    saleDate: 'Vente du',
    reason: 'Motif',
    earlier: 'dont ventes antérieures',
    drawer: 'Tiroir-caisse',
    opening: 'Fond de caisse',
    cashSales: 'Encaissé en espèces',
    cashRefunds: 'Remboursé en espèces',
    expected: 'Espèces attendues',
    counted: 'Espèces comptées',
    difference: 'Écart',
    notCounted: 'non compté',
    journal: 'Journal des ventes',
    time: 'Heure',
    participant: 'Participant',
    status: 'État',
    statusCancelled: 'annulée',
    statusCompleted: 'valide',
    signatures: 'Signatures : caissier / responsable',
  },
  en: {
    title: 'Z report - register closing',
    event: 'Event',
    register: 'Register',
    period: 'Period',
    generatedAt: 'Printed on',
    receipts: 'Receipts',
    firstLast: 'From no. to no.',
    count: 'Count',
    missing: 'Missing numbers',
    collisions: 'Duplicate numbers (two devices)',
    none: 'none',
    devices: 'Devices',
    cashiers: 'Cashiers',
    summary: 'Sales',
    gross: 'Sales recorded',
    completed: 'Valid sales',
    cancelled: 'Cancelled sales',
    byMethod: 'By payment method',
    byItem: 'By item',
    method: 'Method',
    item: 'Item',
    quantity: 'Qty',
    total: 'Total',
    cash: 'Cash',
    nonCash: 'Transfer',
    cancellations: 'Cancellations in the period',
    receipt: 'Receipt',
    saleDate: 'Sale of',
    reason: 'Reason',
    earlier: 'of which earlier sales',
    drawer: 'Cash drawer',
    opening: 'Opening float',
    cashSales: 'Cash taken',
    cashRefunds: 'Cash refunded',
    expected: 'Cash expected',
    counted: 'Cash counted',
    difference: 'Difference',
    notCounted: 'not counted',
    journal: 'Sales journal',
    time: 'Time',
    participant: 'Participant',
    status: 'Status',
    statusCancelled: 'cancelled',
    statusCompleted: 'valid',
    signatures: 'Signatures: cashier / supervisor',
  },
} as const satisfies Record<DocumentLocale, Record<string, string>>;
