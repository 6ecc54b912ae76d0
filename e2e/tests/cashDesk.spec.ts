import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type BadgeTrustRecord,
  badgeLookups,
  buildTrustList,
  type EntitlementRecord,
  type EventRecord,
  findParticipant,
  indexParticipants,
  type ParticipantRecord,
  type PayableItemRecord,
  type ReconciliationFlagRecord,
  type RoomRecord,
  resolveBadge,
  type SessionRecord,
  scanVerdict,
  type TransactionRecord,
} from '@makeplus/shared';
import { type APIRequestContext, type BrowserContext, type Download, expect, type Page, test } from '@playwright/test';
import { atDoorTime, setDoor, typeCode, waitForDoorReady } from '../fixtures/door';
import { DEMO_PASSWORD } from '../support/accounts';
import { apiSignIn, baseURL } from '../support/api';
import { phoneViewport, signIn, syncBar, waitForServiceWorkerControl } from '../support/app';

const tablet = { width: 1180, height: 820 };
const shots = path.resolve(import.meta.dirname, '../../docs/images');

/** A device reading the sync feed with an account's token (what a door or the organizer holds). */
function syncReader(api: APIRequestContext, deviceId: string) {
  return async function pullAll<T>(collection: string): Promise<T[]> {
    const out: T[] = [];
    let after = 0;
    for (;;) {
      const r = await api.get(`/sync/v1/${collection}/pull?after=${after}&limit=1000`, {
        headers: { 'x-makeplus-device': deviceId },
      });
      expect(r.status(), await r.text()).toBe(200);
      const body = (await r.json()) as { documents: T[]; checkpoint: { seq: number } | null };
      out.push(...body.documents);
      if (body.documents.length < 1000 || !body.checkpoint) return out;
      after = body.checkpoint.seq;
    }
  };
}

/** What a door keeps locally after its last sync. */
async function doorSnapshot(pull: ReturnType<typeof syncReader>) {
  const [trust, events, rooms, sessions, participants, entitlements] = await Promise.all([
    pull<BadgeTrustRecord>('badgeTrust'),
    pull<EventRecord>('events'),
    pull<RoomRecord>('rooms'),
    pull<SessionRecord>('sessions'),
    pull<ParticipantRecord>('participants'),
    pull<EntitlementRecord>('entitlements'),
  ]);
  return { trust, events, rooms, sessions, participants, entitlements };
}

/** The door's verdict for a badge at a paid session's room, run on the door's local data only. */
function doorVerdict(door: Awaited<ReturnType<typeof doorSnapshot>>, code: string, session: SessionRecord) {
  const badge = resolveBadge(code, buildTrustList(door.trust));
  const participant = findParticipant(indexParticipants(door.participants), badgeLookups(badge));
  const room = door.rooms.find((r) => r.id === session.roomId)!;
  const event = door.events[0]!;
  const personId = participant?.id ?? (badge.status === 'valid' ? (badge.payload?.p ?? null) : null);
  (participant?.id ?? badge.status === 'valid') ? (badge as { payload: { p: string } | null }).payload?.p : null;
  return scanVerdict({
    badge,
    direction: 'in',
    now: new Date((Date.parse(session.startsAt) + Date.parse(session.endsAt)) / 2),
    event,
    room,
    roomSessions: door.sessions.filter((s) => s.roomId === room.id),
    participant,
    entitlements: door.entitlements.filter((e) => e.participantId === personId),
    history: [],
  });
}

async function pdfText(download: Download): Promise<{ text: string; keywords: string }> {
  const file = await download.path();
  const bytes = new Uint8Array(await readFile(file));
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: bytes, useSystemFonts: false, verbosity: 0 }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    parts.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  const meta = await doc.getMetadata();
  const keywords = String((meta.info as Record<string, unknown>).Keywords ?? '');
  await doc.destroy();
  return { text: parts.join('\n').replace(/\s+/g, ' '), keywords };
}

/** Wait until the page's device has nothing left to push. */
async function synced(page: Page) {
  await expect(page.getByTestId('sync-bar')).toContainText('Tout est envoyé', { timeout: 30_000 });
}

async function openCashDesk(context: BrowserContext, login: (page: Page) => Promise<void>): Promise<Page> {
  const page = await context.newPage();
  await login(page);
  await expect(page.getByTestId('device-key')).toHaveAttribute('data-enrolled', 'yes', { timeout: 20_000 });
  await expect(page.getByText(/Recherche hors ligne parmi [1-9]/)).toBeVisible({ timeout: 30_000 });
  return page;
}

test('a cashier tablet offline registers a walk-in, sells two workshops, prints; the server and an offline door agree', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const organizer = await apiSignIn('organizer');
  const controller = await apiSignIn('controller');
  const orgPull = syncReader(organizer.api, 'e2e-organizer-reader');
  const doorPull = syncReader(controller.api, 'e2e-door-device-1');
  const sessions = await orgPull<SessionRecord>('sessions');
  const items = await orgPull<PayableItemRecord>('payableItems');
  const echo = sessions.find((s) => s.title === 'Atelier échographie cardiaque')!;
  const ia = sessions.find((s) => s.title === 'Atelier IA pratique')!;
  const echoItem = items.find((i) => i.sessionId === echo.id)!;
  const iaItem = items.find((i) => i.sessionId === ia.id)!;

  const context = await browser.newContext({ viewport: tablet, acceptDownloads: true });
  const page = await openCashDesk(context, (p) => signIn(p, 'cashier'));
  await waitForServiceWorkerControl(page);

  // The door syncs now (it has the tablet's key) and then works offline: it never hears of the sale.
  const door = await doorSnapshot(doorPull);
  expect(door.trust.some((k) => k.keyOwner === 'device' && !k.revoked)).toBe(true);
  // A real door phone too: the door screen in Chromium syncs now (with the tablet's key), then goes
  // offline at the workshop's room and never hears of the sale.
  const doorContext = await browser.newContext({
    baseURL: baseURL(),
    viewport: phoneViewport,
    locale: 'fr-FR',
    timezoneId: 'Africa/Algiers',
  });
  const doorPhone = await doorContext.newPage();
  await atDoorTime(doorPhone);
  await signIn(doorPhone, 'controller');
  await waitForServiceWorkerControl(doorPhone);
  await waitForDoorReady(doorPhone);
  await setDoor(doorPhone, 'Atelier 1');
  await expect(syncBar(doorPhone)).toContainText('Tout est envoyé', { timeout: 30_000 });
  await doorContext.setOffline(true);

  // Offline from here, across a restart of the app.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText(/Recherche hors ligne parmi [1-9]/)).toBeVisible({ timeout: 30_000 });

  // Search as you type, offline.
  await page.getByPlaceholder(/Nom, e-mail, code du badge/).fill('amel walk');
  await expect(page.getByText('Personne ne correspond')).toBeVisible();
  await page.getByPlaceholder(/Nom, e-mail, code du badge/).fill('');

  // Register the walk-in.
  await page.getByRole('button', { name: 'Inscrire sur place' }).click();
  await page.getByLabel('Prénom').fill('Amel');
  await page.getByLabel('Nom', { exact: true }).fill('Walkin');
  await page.getByLabel('E-mail (facultatif)').fill('amel.walkin@example.org');
  await page.getByLabel('Téléphone (facultatif)').fill('0555 12 34 56');
  await page.getByRole('button', { name: 'Inscrire', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Amel Walkin' })).toBeVisible();

  // Two workshops in the cart, cash, change.
  await page.getByLabel(echoItem.name).check();
  await page.getByLabel(iaItem.name).check();
  const total = echoItem.priceMinor + iaItem.priceMinor;
  await expect(page.getByTestId('cart-total')).toContainText('3\u202f500,00 DZD');
  await page.getByLabel('Somme reçue en espèces').fill('4000');
  await expect(page.getByTestId('change')).toContainText('500,00 DZD');
  await page.screenshot({ path: path.join(shots, 'cashier-sale.png') });

  // Sell and print: one action, two documents.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByRole('button', { name: 'Encaisser et imprimer' }).click();
  await expect(page.getByTestId('sale-done')).toBeVisible();
  await expect.poll(() => downloads.length).toBe(2);
  await page.screenshot({ path: path.join(shots, 'cashier-sale-done.png') });
  const badgeDl = downloads.find((d) => d.suggestedFilename().startsWith('badge-'))!;
  const receiptDl = downloads.find((d) => d.suggestedFilename().startsWith('recu-'))!;
  const badge = await pdfText(badgeDl);
  expect(badge.text).toContain('Amel Walkin');
  expect(badge.keywords).toMatch(/^MKPL1\./);
  const receipt = await pdfText(receiptDl);
  const receiptNumber = /C1-\d+/.exec(receipt.text)?.[0];
  expect(receiptNumber).toBeTruthy();
  expect(receipt.text).toContain('Amel Walkin');
  expect(receipt.text).toContain('3 500,00');
  expect(receipt.text).toContain('Atelier échographie cardiaque');
  expect(receipt.text).toContain('Atelier IA pratique');
  expect(receipt.text).toMatch(/Esp[èe]ces/);
  expect(receipt.text).toContain('500,00');
  // The A4 invoice, on demand.
  const [a4] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Facture A4' }).click(),
  ]);
  const invoice = await pdfText(a4);
  expect(invoice.text).toContain(receiptNumber!);
  expect(invoice.text).toContain('3 500,00');

  // The door, offline and never synced since, admits the walk-in to the workshop on the badge alone.
  const offlineVerdict = doorVerdict(door, badge.keywords, echo);
  expect(offlineVerdict).toMatchObject({ granted: true, reason: 'granted', issuedOffline: true });
  expect(doorVerdict(door, badge.keywords, ia).granted).toBe(true);
  await typeCode(doorPhone, badge.keywords);
  const onDoorScreen = doorPhone.getByTestId('door-verdict');
  await expect(onDoorScreen).toHaveAttribute('data-reason', 'granted');
  await expect(onDoorScreen).toContainText('Entrée autorisée');
  await doorContext.close();

  // Online: the sale reaches the server, once.
  await context.setOffline(false);
  await synced(page);
  let sales: TransactionRecord[] = [];
  await expect
    .poll(async () => {
      const people = await orgPull<ParticipantRecord>('participants');
      const walkIn = people.find((p) => p.email === 'amel.walkin@example.org');
      if (!walkIn) return -1;
      sales = (await orgPull<TransactionRecord>('transactions')).filter((t) => t.participantId === walkIn.id);
      return sales.length;
    })
    .toBe(1);
  const sale = sales[0]!;
  expect(sale).toMatchObject({
    totalMinor: total,
    paymentMethod: 'cash',
    cashMinor: total,
    amountReceivedMinor: 400_000,
    changeMinor: 50_000,
    receiptNumber,
    status: 'completed',
  });
  expect(sale.lines.map((l) => l.unitPriceMinor).sort()).toEqual([echoItem.priceMinor, iaItem.priceMinor].sort());
  const rights = (await orgPull<EntitlementRecord>('entitlements')).filter((e) => e.transactionId === sale.id);
  expect(rights.map((e) => e.sessionId).sort()).toEqual([echo.id, ia.id].sort());
  expect(rights.every((e) => !e.revoked && e.status === 'paid')).toBe(true);

  // After its next sync the door admits on the entitlements themselves.
  const doorNow = await doorSnapshot(doorPull);
  expect(doorVerdict(doorNow, badge.keywords, echo)).toMatchObject({ granted: true, issuedOffline: false });

  // Cancel the sale (reason mandatory): it stays, cancelled; its entitlements are revoked; doors refuse.
  await page.getByRole('button', { name: 'Historique' }).click();
  const row = page.getByTestId('history-row').filter({ hasText: receiptNumber! });
  await row.getByRole('button', { name: 'Annuler la vente' }).click();
  await page.getByRole('button', { name: 'Confirmer l’annulation' }).click();
  await expect(page.getByText("Indiquez le motif de l'annulation")).toBeVisible();
  await page.getByLabel('Motif de l’annulation').fill('Atelier choisi par erreur');
  await page.getByRole('button', { name: 'Confirmer l’annulation' }).click();
  await expect(row.getByText('Annulée')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'cashier-history.png') });
  await synced(page);
  await expect
    .poll(
      async () =>
        (await orgPull<EntitlementRecord>('entitlements')).filter((e) => e.transactionId === sale.id && e.revoked)
          .length,
    )
    .toBe(2);
  const cancelled = (await orgPull<TransactionRecord>('transactions')).find((t) => t.id === sale.id)!;
  expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Atelier choisi par erreur' });
  expect(doorVerdict(await doorSnapshot(doorPull), badge.keywords, echo)).toMatchObject({
    granted: false,
    reason: 'payment_required',
  });

  // The register's figures and the day's closing.
  await page.getByRole('button', { name: 'Caisse et clôture' }).click();
  await expect(page.getByTestId('register-summary')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'cashier-register.png') });
  const zDownloads: Download[] = [];
  page.on('download', (d) => zDownloads.push(d));
  await page.getByRole('button', { name: /Clôturer et télécharger/ }).click();
  await expect.poll(() => zDownloads.length).toBe(2);
  const zPdf = zDownloads.find((d) => d.suggestedFilename().endsWith('.pdf'))!;
  const zCsv = zDownloads.find((d) => d.suggestedFilename().endsWith('.csv'))!;
  expect((await pdfText(zPdf)).text).toContain(receiptNumber!);
  expect(await readFile(await zCsv.path(), 'utf8')).toContain(receiptNumber!);

  await context.close();
  await organizer.api.dispose();
  await controller.api.dispose();
});

test('two registers offline sell the last seat of a workshop: both sales are kept and one oversell flag is raised', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const organizer = await apiSignIn('organizer');
  const E = organizer.event.id;
  const orgPull = syncReader(organizer.api, 'e2e-organizer-reader-2');
  const sessions = await orgPull<SessionRecord>('sessions');
  const ecg = sessions.find((s) => s.title === 'Atelier ECG avancé')!;
  const ecgItem = (await orgPull<PayableItemRecord>('payableItems')).find((i) => i.sessionId === ecg.id)!;
  // One seat left.
  const cap = await organizer.api.patch(`/api/v1/events/${E}/sessions/${ecg.id}`, { data: { capacity: 1 } });
  expect(cap.status(), await cap.text()).toBe(200);
  const registers = [];
  for (const [name, email] of [
    ['Caisse Est', 'caisse.est@example.org'],
    ['Caisse Ouest', 'caisse.ouest@example.org'],
  ] as const) {
    const r = await organizer.api.post(`/api/v1/events/${E}/cash-registers`, {
      data: { name, email, password: DEMO_PASSWORD },
    });
    expect(r.status(), await r.text()).toBe(201);
    registers.push({ ...(await r.json()), email } as { id: string; email: string; receiptPrefix: string });
  }
  const people = (await orgPull<ParticipantRecord>('participants')).filter((p) => p.source !== 'walk_in');
  const buyers = [people[3]!, people[4]!];

  const login = (email: string) => async (page: Page) => {
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page).toHaveURL(/\/cash-desk$/);
  };
  const contexts = [
    await browser.newContext({ viewport: tablet, baseURL: baseURL() }),
    await browser.newContext({ viewport: tablet, baseURL: baseURL() }),
  ];
  const pages = [
    await openCashDesk(contexts[0]!, login(registers[0]!.email)),
    await openCashDesk(contexts[1]!, login(registers[1]!.email)),
  ];
  for (const page of pages) await expect(page.getByText(/Recherche hors ligne parmi/)).toBeVisible();

  for (const c of contexts) await c.setOffline(true);
  for (const [i, page] of pages.entries()) {
    const buyer = buyers[i]!;
    await page.getByPlaceholder(/Nom, e-mail, code du badge/).fill(buyer.email);
    await page.getByRole('button', { name: new RegExp(`${buyer.firstName} ${buyer.lastName}`) }).click();
    // Each tablet believes it sells the last seat.
    const line = page.locator('.cash-item').filter({ hasText: ecgItem.name });
    await expect(line).toContainText('1 place(s) restante(s)');
    await line.getByRole('checkbox').check();
    await page.getByRole('radio', { name: 'Virement' }).check();
    await page.getByRole('button', { name: 'Encaisser', exact: true }).click();
    await expect(page.getByTestId('sale-done')).toContainText(`${registers[i]!.receiptPrefix}-1`);
    // The seat is gone on this tablet now.
    await page.getByPlaceholder(/Nom, e-mail, code du badge/).fill(buyers[1 - i]!.email);
    await page
      .getByRole('button', { name: new RegExp(`${buyers[1 - i]!.firstName} ${buyers[1 - i]!.lastName}`) })
      .click();
    await expect(page.locator('.cash-item').filter({ hasText: ecgItem.name })).toContainText('Complet');
  }

  for (const c of contexts) await c.setOffline(false);
  for (const page of pages) await synced(page);

  await expect
    .poll(
      async () =>
        (await orgPull<TransactionRecord>('transactions')).filter((t) => t.lines.some((l) => l.sessionId === ecg.id))
          .length,
    )
    .toBe(2);
  const ecgSales = (await orgPull<TransactionRecord>('transactions')).filter((t) =>
    t.lines.some((l) => l.sessionId === ecg.id),
  );
  expect(ecgSales.map((s) => s.cashRegisterId).sort()).toEqual(registers.map((r) => r.id).sort());
  await expect
    .poll(
      async () =>
        (await orgPull<ReconciliationFlagRecord>('reconciliationFlags')).filter(
          (f) => f.kind === 'oversold' && f.subjectId === ecg.id,
        ).length,
    )
    .toBe(1);

  for (const c of contexts) await c.close();
  await organizer.api.dispose();
});
