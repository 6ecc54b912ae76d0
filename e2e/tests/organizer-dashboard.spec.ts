import { readFileSync } from 'node:fs';
import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import {
  baseURL,
  organizerSession,
  pullAll,
  type ServerParticipant,
  type ServerRoom,
  setDoor,
  typeCode,
  waitForDoorReady,
} from '../fixtures/door';
import { apiSignIn } from '../support/api';
import { phoneViewport, signIn, syncBar } from '../support/app';

/**
 * Running the event from the organizer console: a check-in made on a controller's phone shows on
 * the organizer's live dashboard without a reload; exports download a CSV and an Excel file whose
 * rows are the ones on the server; a flag raised by a door is resolved in the inbox and the
 * decision (who, when, comment) reaches the server.
 */
test.use({ viewport: { width: 1360, height: 900 } });

const picture = (page: Page, name: string) => page.screenshot({ path: `../docs/images/${name}.png`, fullPage: true });

/** The number shown in a dashboard figure (« 1 234 » → 1234). */
async function figure(page: Page, label: string): Promise<number> {
  const stat = page.getByRole('region', { name: 'En chiffres' }).locator('.stat').filter({ hasText: label });
  const text = (await stat.locator('.stat__value').textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

/** Push one door scan through the sync API, as a door device would (fields over a granted entry). */
async function pushScan(api: APIRequestContext, eventId: string, deviceId: string, fields: Record<string, unknown>) {
  const now = new Date().toISOString();
  const res = await api.post('/sync/v1/scans/push', {
    headers: { 'x-makeplus-device': deviceId },
    data: [
      {
        newDocumentState: {
          id: crypto.randomUUID(),
          eventId,
          seq: 0,
          rev: 1,
          createdAt: now,
          updatedAt: now,
          deleted: false,
          deviceId,
          occurredAt: now,
          receivedAt: null,
          participantId: null,
          badgeCode: '',
          roomId: null,
          sessionId: null,
          direction: 'in',
          granted: true,
          reason: 'granted',
          issuedOffline: false,
          operatorId: null,
          ...fields,
        },
      },
    ],
  });
  expect(res.status(), await res.text()).toBe(200);
}

let people: ServerParticipant[] = [];
test.beforeAll(async () => {
  const organizer = await organizerSession();
  people = (await pullAll<ServerParticipant>(organizer, 'participants')).filter((p) => p.userLegacyId > 0);
  await organizer.api.dispose();
  expect(people.length).toBeGreaterThan(10);
});

test('a check-in on a controller phone appears on the live dashboard without a reload', async ({ page, browser }) => {
  await signIn(page, 'organizer');
  const figures = page.getByRole('region', { name: 'En chiffres' });
  await expect(figures.locator('.stat__value').first()).toHaveText(/^\d[\d\s\u202f]*$/);
  await expect(page.getByTestId('dashboard-live')).toHaveAttribute('data-live', 'true', { timeout: 20_000 });
  await expect(page.getByTestId('dashboard-live')).toContainText('En direct');
  const grantedBefore = await figure(page, 'Passages accordés');
  const deniedBefore = await figure(page, 'Passages refusés');

  // The controller, on a phone, admits someone at Auditorium A.
  const person = people.at(-2) as ServerParticipant;
  const door = await browser.newContext({
    baseURL: baseURL(),
    viewport: phoneViewport,
    hasTouch: true,
    isMobile: true,
    locale: 'fr-FR',
    timezoneId: 'Africa/Algiers',
  });
  try {
    const phone = await door.newPage();
    // The dashboard lists the latest activity by the time of the fact. Other door tests scan at
    // their door time (now, or 10:00 UTC outside the event's hours); this phone scans later than
    // all of them, at 16:55 UTC (the event is open), or now if that is later.
    const late = new Date();
    late.setUTCHours(16, 55, 0, 0);
    if (late.getTime() > Date.now()) await phone.clock.setSystemTime(late);
    await signIn(phone, 'controller');
    await waitForDoorReady(phone);
    await expect(syncBar(phone).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
    await setDoor(phone, 'Auditorium A');
    await typeCode(phone, person.badgeCode);
    await expect(phone.getByTestId('door-verdict')).toContainText(`${person.firstName} ${person.lastName}`);
    await expect(syncBar(phone)).toContainText('Tout est envoyé', { timeout: 30_000 });
  } finally {
    await door.close();
  }

  // No reload: the change stream tells the dashboard, which fetches the new figures.
  await expect
    .poll(async () => (await figure(page, 'Passages accordés')) + (await figure(page, 'Passages refusés')), {
      timeout: 20_000,
    })
    .toBe(grantedBefore + deniedBefore + 1);
  // Listed by the time of the scan: other doors' scans (other tests, other clocks) may come first.
  const recent = page.getByRole('region', { name: 'Activité récente' });
  const ours = recent.getByRole('listitem').filter({ hasText: `${person.firstName} ${person.lastName}` });
  await expect(ours.first()).toContainText('Auditorium A');
  const rooms = page.getByRole('region', { name: 'Occupation des salles' });
  await expect(rooms.getByText('Auditorium A')).toBeVisible();
  await expect(page.getByRole('img', { name: /arrivées au total/ })).toBeVisible();
  await picture(page, 'organizer-dashboard');
});

async function download(page: Page, button: Locator) {
  const pending = page.waitForEvent('download');
  await button.click();
  const file = await pending;
  const path = await file.path();
  return { name: file.suggestedFilename(), path };
}

test('exports: participants as CSV with the search on screen, scans of a room as Excel', async ({ page }) => {
  const organizer = await apiSignIn('organizer');
  const E = organizer.event.id;
  const person = people[5] as ServerParticipant;
  const rooms = await pullAll<ServerRoom>(organizer, 'rooms');
  const auditorium = rooms.find((r) => r.name === 'Auditorium A') as ServerRoom;
  // A refused scan of our own at Auditorium A, so the room's export has a row we know.
  const deviceId = 'e2e-export-door';
  await pushScan(organizer.api, E, deviceId, {
    participantId: person.id,
    badgeCode: person.badgeCode,
    roomId: auditorium.id,
    granted: false,
    reason: 'room_not_allowed',
  });

  await signIn(page, 'organizer');
  await page.getByRole('navigation').getByRole('link', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { name: 'Exports', level: 1 })).toBeVisible();

  // Participants whose name matches the search typed on the page.
  await page.getByLabel('Recherche (nom, e-mail, organisme)').fill(person.lastName);
  const participantsRow = page.getByRole('row', { name: /Participants/ });
  await expect(participantsRow).toContainText('Recherche');
  const csv = await download(page, page.getByRole('button', { name: 'Participants — CSV' }));
  expect(csv.name).toMatch(/^participants-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(csv.path, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.trim().split(/\r\n/);
  expect(lines[0]).toContain('Nom / Last name');
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line.toLowerCase()).toContain(person.lastName.toLowerCase());
  const api = await organizer.api.get(
    `/api/v1/events/${E}/participants?q=${encodeURIComponent(person.lastName)}&pageSize=500`,
  );
  const listed = (await api.json()) as { items: { lastName: string }[] };
  expect(lines.length - 1).toBeGreaterThanOrEqual(
    listed.items.filter((p) => p.lastName.toLowerCase() === person.lastName.toLowerCase()).length,
  );
  await expect(page.getByRole('status').filter({ hasText: 'lignes téléchargées' })).toBeVisible();

  // Scans refused at Auditorium A, as an Excel workbook with typed cells.
  await page.getByRole('button', { name: 'Effacer les filtres' }).click();
  await page.getByRole('combobox', { name: 'Salle', exact: true }).selectOption({ label: 'Auditorium A' });
  await page.getByRole('combobox', { name: 'Verdict' }).selectOption('false');
  const xlsx = await download(page, page.getByRole('button', { name: 'Passages — Excel' }));
  expect(xlsx.name).toMatch(/^scans-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx.path);
  const sheet = wb.worksheets[0] as ExcelJS.Worksheet;
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  expect(header).toEqual(expect.arrayContaining(['Date / Time', 'Salle / Room', 'Motif / Reason']));
  const col = (name: string) => header.indexOf(name) + 1;
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push(row);
  });
  expect(rows.length).toBeGreaterThanOrEqual(1);
  for (const row of rows) {
    expect(row.getCell(col('Salle / Room')).value).toBe('Auditorium A');
    expect(row.getCell(col('Accordé / Granted')).value).toBe('non / no');
  }
  const ours = rows.find((r) => r.getCell(col('Appareil / Device')).value === deviceId);
  expect(ours?.getCell(col('Motif / Reason')).value).toBe('room_not_allowed');
  expect(ours?.getCell(col('Date / Time')).value).toBeInstanceOf(Date);
  await picture(page, 'organizer-exports');

  // The event summary as a PDF.
  const pdf = await download(page, page.getByRole('button', { name: 'PDF' }));
  expect(pdf.name).toMatch(/-summary-\d{4}-\d{2}-\d{2}\.pdf$/);
  expect(readFileSync(pdf.path).subarray(0, 5).toString()).toBe('%PDF-');
  await organizer.api.dispose();
});

test('a badge admitted offline is reviewed in the inbox; the decision reaches the server', async ({ page }) => {
  const organizer = await apiSignIn('organizer');
  const controller = await apiSignIn('controller');
  const E = organizer.event.id;
  const deviceId = 'e2e-inbox-door';
  const badge = `e2e-offline-${Date.now()}`;
  const scanId = crypto.randomUUID();
  await pushScan(controller.api, E, deviceId, { id: scanId, badgeCode: badge, issuedOffline: true });
  await controller.api.dispose();

  await signIn(page, 'organizer');
  await page
    .getByRole('navigation')
    .getByRole('link', { name: /Rapprochement/ })
    .click();
  await page.getByLabel('Rechercher dans les signalements').fill(badge);
  const card = page.getByRole('article', { name: 'Badge admis hors ligne' });
  await expect(card).toHaveCount(1, { timeout: 20_000 });
  await expect(card).toContainText(badge);
  await expect(card).toContainText(deviceId);
  await card.getByLabel('Commentaire').fill('Badge vérifié à l’accueil');
  await picture(page, 'organizer-reconciliation');
  await card.getByRole('button', { name: 'Marquer comme traité' }).click();
  // The open list no longer shows it; the resolved list does, with who and when.
  await expect(card).toHaveCount(0);
  await page.getByRole('combobox', { name: 'État' }).selectOption('resolved');
  await expect(card).toContainText('Décision de vous');
  await expect(card).toContainText('Badge vérifié à l’accueil');

  await expect
    .poll(async () => {
      const res = await organizer.api.get(
        `/api/v1/events/${E}/reconciliation-flags?kind=offline_badge&subjectId=${scanId}`,
      );
      const body = (await res.json()) as {
        items: { status: string; resolution: string | null; resolvedBy: string | null; resolvedAt: string | null }[];
      };
      const f = body.items[0];
      return f ? `${f.status} ${f.resolution} ${Boolean(f.resolvedBy)} ${Boolean(f.resolvedAt)}` : 'missing';
    })
    .toBe('resolved Badge vérifié à l’accueil true true');
  await organizer.api.dispose();
});
