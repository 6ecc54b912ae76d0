import { expect, type Page, request, test } from '@playwright/test';
import { apiSignIn, baseURL } from '../support/api';
import { signIn } from '../support/app';

const NAME_PREFIX = 'Journées e2e assistant';

/** A real PDF of about `bytes` bytes (big enough for the upload to report progress). */
function pdfOf(bytes: number): Buffer {
  const head = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n';
  const filler = `%${'x'.repeat(78)}\n`.repeat(Math.ceil(bytes / 80));
  return Buffer.from(`${head}${filler}trailer << /Root 1 0 R >>\n%%EOF\n`);
}
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1]);

/** Events named by this spec are removed, even after a failure: other specs expect one event. */
async function removeLeftovers() {
  const organizer = await apiSignIn('organizer');
  try {
    const list = (await (await organizer.api.get('/api/v1/events?pageSize=500')).json()) as {
      items: { id: string; name: string; rev: number }[];
    };
    for (const e of list.items.filter((i) => i.name.startsWith(NAME_PREFIX))) {
      const sel = await organizer.api.post('/api/v1/auth/select-event', { data: { eventId: e.id } });
      const { accessToken } = (await sel.json()) as { accessToken: string };
      await organizer.api.delete(`/api/v1/events/${e.id}`, { headers: { authorization: `Bearer ${accessToken}` } });
    }
  } finally {
    await organizer.api.dispose();
  }
}
test.beforeAll(removeLeftovers);
test.afterAll(removeLeftovers);

test.use({ viewport: { width: 1280, height: 960 } });

/** A screenshot of the console as seen (the sticky bars would cover a full-page one), from the top. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => document.getElementById('main')?.scrollTo(0, 0));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `../docs/images/${name}.png` });
}
const uploadProgress = (page: Page) =>
  page.evaluate(() => (window as unknown as { __uploadProgress: [number, number][] }).__uploadProgress);

test('an organizer creates an event through the wizard with a PDF programme, then finds, edits and deletes it', async ({
  page,
}) => {
  // Record the upload progress events the browser gives the page (what the progress bar shows).
  await page.addInitScript(() => {
    const w = window as unknown as { __uploadProgress: [number, number][] };
    w.__uploadProgress = [];
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
      this.upload.addEventListener('progress', (e) => w.__uploadProgress.push([e.loaded, e.total]));
      return send.call(this, body);
    };
  });
  const name = `${NAME_PREFIX} ${Date.now()}`;
  const programme = pdfOf(1_500_000);

  await signIn(page, 'organizer');
  await page
    .getByRole('complementary', { name: 'Sections de la console' })
    .getByRole('link', { name: 'Événements' })
    .click();
  await expect(page).toHaveURL(/\/organizer\/events$/);
  await expect(page.getByRole('heading', { name: 'Mes événements' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Congrès MakePlus 2026/ })).toBeVisible();
  await shot(page, 'organizer-events');
  await page.getByRole('link', { name: 'Créer un événement' }).click();

  // 1. Details: checked before the next step.
  await expect(page.getByRole('heading', { name: 'Créer un événement' })).toBeVisible();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByText('Champ obligatoire.')).toBeVisible();
  await page.getByLabel('Nom de l’événement').fill(name);
  await page.getByLabel('Début', { exact: true }).fill('2027-04-10T08:30');
  await page.getByLabel('Fin', { exact: true }).fill('2027-04-09T18:00');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByText('La fin doit être après le début.')).toBeVisible();
  await page.getByLabel('Fin', { exact: true }).fill('2027-04-11T18:00');
  await page.getByLabel('Lieu', { exact: true }).fill('Palais des congrès, Oran');
  await page.getByLabel('Lien du plan (Google Maps…)').fill('https://maps.google.com/?q=Oran');
  await page.getByLabel('Indications d’accès').fill('Entrée nord');
  await page
    .getByLabel('Description', { exact: true })
    .fill('Deux jours de cardiologie et d’intelligence artificielle.');
  await shot(page, 'organizer-wizard-1-details');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // 2. Files: a PNG disguised as a PDF is refused on the device; the PDF programme is kept.
  await expect(page.getByRole('heading', { name: 'Fichiers', exact: true })).toBeVisible();
  await page
    .getByTestId('file-guide')
    .locator('input[type=file]')
    .setInputFiles({ name: 'guide.pdf', mimeType: 'application/pdf', buffer: png });
  await expect(page.getByTestId('file-guide').getByRole('alert')).toContainText(
    '« guide.pdf » n’est pas un fichier PDF',
  );
  await page
    .getByTestId('file-programme')
    .locator('input[type=file]')
    .setInputFiles({ name: 'programme.pdf', mimeType: 'application/pdf', buffer: programme });
  await expect(page.getByTestId('file-programme')).toContainText('programme.pdf');
  await expect(page.getByTestId('file-programme').getByRole('alert')).toHaveCount(0);
  await shot(page, 'organizer-wizard-2-files');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // 3. Themes and categories.
  await page.getByLabel('Thèmes (un par ligne)').fill('Cardiologie\nIntelligence artificielle');
  await page.getByLabel('Catégories de participants (une par ligne)').fill('Médecin\nRésident\nÉtudiant');
  await shot(page, 'organizer-wizard-3-themes');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // 4. Colour.
  await page.getByLabel('Couleur de l’événement').fill('#1e88e5');
  await expect(page.getByText('#1E88E5')).toBeVisible();
  await shot(page, 'organizer-wizard-4-colour');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // 5. Advanced settings: invalid JSON is refused with the parser's reason.
  await page.getByLabel('Réglages (JSON)').fill('{"badgeLayout": "a6",');
  await page.getByRole('button', { name: 'Créer l’événement' }).click();
  await expect(page.getByText(/JSON invalide :/)).toBeVisible();
  await shot(page, 'organizer-wizard-5-advanced');
  await page.getByLabel('Réglages (JSON)').fill('{"badgeLayout": "a6"}');
  // A slow venue uplink (Chromium's network emulation), so the progress bar is seen filling.
  const cdp = await page.context().newCDPSession(page);
  const uplink = (bytesPerSecond: number) =>
    cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: bytesPerSecond,
    });
  await uplink(256 * 1024);
  await page.getByRole('button', { name: 'Créer l’événement' }).click();
  const bar = page.getByRole('progressbar', { name: 'Envoi de « programme.pdf »' });
  await expect(bar).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => bar.evaluate((el) => (el as HTMLProgressElement).value)).toBeGreaterThan(0);
  await bar.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '../docs/images/organizer-wizard-upload.png' });
  await uplink(-1);

  // Created, the programme uploaded with progress, and the event in my list.
  await expect(page).toHaveURL(/\/organizer\/events$/, { timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: `« ${name} » a été créé.` })).toBeVisible();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row).toContainText('Palais des congrès, Oran');
  await expect(row).toContainText('À venir');
  await shot(page, 'organizer-events-created');
  const progress = await uploadProgress(page);
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.at(-1)).toEqual([programme.length, programme.length]);

  // The server holds the event with its programme, served as the same PDF.
  const organizer = await apiSignIn('organizer');
  const list = (await (await organizer.api.get('/api/v1/events?pageSize=500')).json()) as {
    items: { id: string; name: string; programmeUrl: string | null; themes: string[]; primaryColor: string }[];
  };
  await organizer.api.dispose();
  const created = list.items.find((e) => e.name === name);
  expect(created).toMatchObject({ themes: ['Cardiologie', 'Intelligence artificielle'], primaryColor: '#1E88E5' });
  const anon = await request.newContext({ baseURL: baseURL() });
  const file = await anon.get(created?.programmeUrl ?? '/missing');
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toBe('application/pdf');
  expect((await file.body()).equals(programme)).toBe(true);
  await anon.dispose();

  // Edit with the same wizard: it opens with the event's values and current programme.
  await row.getByRole('button', { name: `Modifier « ${name} »` }).click();
  await expect(page.getByLabel('Nom de l’événement')).toHaveValue(name);
  await page.getByLabel('État', { exact: true }).selectOption('cancelled');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).first().click();
  await expect(page.getByRole('status').filter({ hasText: `« ${name} » a été enregistré.` })).toBeVisible();
  await expect(row).toContainText('Annulé');

  // Delete, after confirming.
  await row.getByRole('button', { name: `Supprimer « ${name} »` }).click();
  const dialog = page.getByRole('dialog', { name: `Supprimer « ${name} » ?` });
  await expect(dialog).toContainText('ne peut être supprimé qu’une fois terminé ou annulé');
  await dialog.getByRole('button', { name: 'Supprimer définitivement' }).click();
  await expect(page.getByRole('status').filter({ hasText: `« ${name} » a été supprimé.` })).toBeVisible();
  await expect(page.getByRole('rowheader', { name })).toHaveCount(0);
});
