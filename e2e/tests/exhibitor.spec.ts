import { randomUUID } from 'node:crypto';
import { expect, type Page, request, test } from '@playwright/test';
import { organizerSession, pullAll, type ServerParticipant } from '../fixtures/door';
import { baseURL } from '../support/api';
import { phoneViewport, signIn, syncBar, waitForServiceWorkerControl } from '../support/app';

test.use({ viewport: phoneViewport, hasTouch: true, isMobile: true, acceptDownloads: true });

interface ServerLead {
  id: string;
  participantId: string;
  notes: string;
  rating: string | null;
  visitorEmail: string;
  deleted: boolean;
}

const SECOND_EMAIL = `second-stand-${Date.now()}@example.com`;
const SECOND_PASSWORD = 'second-stand-pass-2';

/** A second stand with its own exhibitor, created through the API as the organizer. */
async function createSecondExhibitor() {
  const organizer = await organizerSession();
  const now = new Date().toISOString();
  const standId = randomUUID();
  const pushed = await organizer.api.post('/sync/v1/exhibitors/push', {
    headers: { 'x-makeplus-device': 'e2e-organizer' },
    data: [
      {
        newDocumentState: {
          id: standId,
          eventId: organizer.event.id,
          seq: 0,
          rev: 1,
          createdAt: now,
          updatedAt: now,
          deleted: false,
          name: 'PharmaPlus',
          stand: 'C3',
          description: '',
          qualificationQuestions: [],
        },
        assumedMasterState: null,
      },
    ],
  });
  expect(pushed.status(), await pushed.text()).toBe(200);
  const anon = await request.newContext({ baseURL: baseURL() });
  const reg = await anon.post('/api/v1/auth/register', {
    data: { email: SECOND_EMAIL, password: SECOND_PASSWORD, firstName: 'Samir', lastName: 'Second' },
  });
  expect(reg.status(), await reg.text()).toBeLessThan(300);
  await anon.dispose();
  const member = await organizer.api.post(`/api/v1/events/${organizer.event.id}/memberships`, {
    data: { email: SECOND_EMAIL, role: 'exhibitor', exhibitorId: standId },
  });
  expect(member.status(), await member.text()).toBe(201);
  return organizer;
}

async function scanByCode(page: Page, code: string) {
  const field = page.getByLabel('Code du badge ou nom');
  await field.fill(code);
  await field.press('Enter');
}

test('an exhibitor captures three leads offline; they sync, export, and never reach another stand', async ({
  page,
  browser,
}) => {
  const organizer = await createSecondExhibitor();
  const people = (await pullAll<ServerParticipant & { email: string }>(organizer, 'participants'))
    .filter((p) => p.email)
    .slice(0, 3);
  expect(people).toHaveLength(3);

  await signIn(page, 'exhibitor');
  await waitForServiceWorkerControl(page);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await expect(page.getByText('Scannez le badge d’un visiteur')).toBeVisible();
  await page.screenshot({ path: '../docs/images/exhibitor-scan.png' });

  await page.context().setOffline(true);
  const ratings = ['Chaud', 'Tiède', 'Froid'] as const;
  for (const [i, p] of people.entries()) {
    await page.getByRole('button', { name: 'Scanner', exact: true }).click();
    await scanByCode(page, p.badgeCode);
    const name = `${p.firstName} ${p.lastName}`.trim();
    await expect(page.getByRole('status').filter({ hasText: `Nouveau contact : ${name}` })).toBeVisible();
    const form = page.getByRole('form', { name });
    await form.getByRole('button', { name: ratings[i] }).click();
    await form.getByLabel('Remarques').fill(`Note hors ligne ${i + 1} pour ${p.lastName}`);
    if (i === 0) {
      await form.getByLabel('Produit qui intéresse').selectOption('ECG');
      await form.getByRole('group', { name: 'Budget validé ?' }).getByRole('button', { name: 'Oui' }).click();
      await form.getByLabel('Projet / délai').fill('Achat au T3');
      await form.getByLabel('À relancer').check();
      await page.screenshot({ path: '../docs/images/exhibitor-lead.png', fullPage: true });
    }
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(form).toBeHidden();
  }

  // Scanning the first visitor again opens the existing lead (a repeat visit, not a duplicate).
  await page.getByRole('button', { name: 'Scanner', exact: true }).click();
  const first = people[0] as ServerParticipant & { email: string };
  await scanByCode(page, first.badgeCode);
  await expect(page.getByText(`visite n° 2`)).toBeVisible();
  await expect(page.getByLabel('Remarques')).toHaveValue(`Note hors ligne 1 pour ${first.lastName}`);
  await page.getByRole('button', { name: 'Retour' }).click();

  // Signing out is refused while leads are not synced.
  await page.getByRole('button', { name: 'Menu du compte' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('dialog')).toContainText('pas encore envoyés au serveur');
  await page.getByRole('dialog').getByText('Fermer', { exact: true }).click();

  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await expect(page.getByText('3 contacts')).toBeVisible();
  await page.getByLabel('Rechercher (nom, organisation, remarque)').fill(first.lastName);
  await expect(page.locator('.lead-row')).toHaveCount(1);
  await page.getByLabel('Rechercher (nom, organisation, remarque)').fill('');
  await page.screenshot({ path: '../docs/images/exhibitor-leads.png', fullPage: true });

  // Offline CSV export from the device's data.
  await page.getByRole('button', { name: 'Statistiques', exact: true }).click();
  await expect(page.getByTestId('stat-total')).toHaveText('4');
  await expect(page.getByTestId('stat-unique')).toHaveText('3');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'CSV (depuis l’appareil, hors ligne)' }).click(),
  ]);
  const localCsv = await readDownload(download);
  for (const [i, p] of people.entries()) expect(localCsv).toContain(`Note hors ligne ${i + 1} pour ${p.lastName}`);
  expect(localCsv).toContain('Achat au T3');
  const [xlsx] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Excel (depuis l’appareil, hors ligne)' }).click(),
  ]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const workbook = await readDownloadBytes(xlsx);
  // An .xlsx is a zip holding the sheet.
  expect(workbook.subarray(0, 2).toString('latin1')).toBe('PK');
  expect(workbook.includes(Buffer.from('xl/worksheets/sheet1.xml'))).toBe(true);
  await page.screenshot({ path: '../docs/images/exhibitor-stats.png', fullPage: true });

  // Back online: everything reaches the server.
  await page.context().setOffline(false);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await expect.poll(async () => (await pullAll<ServerLead>(organizer, 'leads')).length, { timeout: 30_000 }).toBe(3);
  const leads = await pullAll<ServerLead>(organizer, 'leads');
  for (const [i, p] of people.entries()) {
    const lead = leads.find((l) => l.participantId === p.id);
    expect(lead?.notes, JSON.stringify(leads)).toBe(`Note hors ligne ${i + 1} pour ${p.lastName}`);
    // The server filled the contact details from the registration once the scan arrived.
    expect(lead?.visitorEmail).toBe(p.email);
  }
  await expect.poll(async () => (await pullAll(organizer, 'leadScans')).length).toBe(4);

  // The server's CSV export holds them.
  const csv = await organizer.api.get(`/api/v1/events/${organizer.event.id}/leads/export?format=csv`);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  for (const [i, p] of people.entries()) expect(text).toContain(`Note hors ligne ${i + 1} pour ${p.lastName}`);

  // The second stand's device never receives them.
  const other = await browser.newContext({ viewport: phoneViewport, baseURL: baseURL() });
  const otherPage = await other.newPage();
  await otherPage.goto('/login');
  await otherPage.getByLabel('Adresse e-mail').fill(SECOND_EMAIL);
  await otherPage.getByLabel('Mot de passe').fill(SECOND_PASSWORD);
  await otherPage.getByRole('button', { name: 'Se connecter' }).click();
  await expect(otherPage).toHaveURL(/\/stand$/);
  await expect(syncBar(otherPage).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await otherPage.getByRole('button', { name: 'Contacts', exact: true }).click();
  await expect(otherPage.getByText('Aucun contact pour l’instant')).toBeVisible();
  const local = await otherPage.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '');
    return names;
  });
  expect(local.length).toBeGreaterThan(0);
  const otherLeads = await otherPage.evaluate(async () => {
    // Count lead documents in every local database of this browser profile.
    let n = 0;
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name as string);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        if (!/leads/i.test(store) || /leadScans/i.test(store)) continue;
        n += await new Promise<number>((res) => {
          const c = db.transaction(store).objectStore(store).count();
          c.onsuccess = () => res(c.result);
          c.onerror = () => res(0);
        });
      }
      db.close();
    }
    return n;
  });
  expect(otherLeads).toBe(0);
  await other.close();
  await organizer.api.dispose();
});

async function readDownloadBytes(download: import('@playwright/test').Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function readDownload(download: import('@playwright/test').Download): Promise<string> {
  return (await readDownloadBytes(download)).toString('utf8');
}
