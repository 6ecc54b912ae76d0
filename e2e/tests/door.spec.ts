import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import {
  atDoorTime,
  baseURL,
  deviceIdOf,
  organizerSession,
  pullAll,
  type ServerFlag,
  type ServerParticipant,
  type ServerScan,
  setDoor,
  waitForDoorReady,
} from '../fixtures/door';
import { browserWithCamera, qrVideo } from '../fixtures/fakeCamera';
import { phoneContext, signIn, syncBar, waitForServiceWorkerControl } from '../support/app';

/**
 * The door with a real (fake) camera: Chromium films a video of a generated badge QR code, the app
 * decodes it with html5-qrcode, decides offline, stores the scan and syncs it later.
 */

let people: ServerParticipant[] = [];

test.beforeAll(async () => {
  const organizer = await organizerSession();
  // People registered before the event (the demo's), not walk-ins made by earlier specs at the cash
  // desk: a tablet-signed badge carries its workshops, a denser QR code for this fake camera.
  people = (await pullAll<ServerParticipant>(organizer, 'participants')).filter(
    (p) => p.userLegacyId > 0 && p.source !== 'walk_in',
  );
  await organizer.api.dispose();
  expect(people.length).toBeGreaterThan(10);
});

/** A phone signed in as the badge controller, synced, at its door's time. */
async function controllerPhone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    ...phoneContext,
    permissions: ['camera'],
  });
  const page = await context.newPage();
  await atDoorTime(page);
  await signIn(page, 'controller');
  // A phone at the door has opened the app before: its shell is cached for offline use.
  await waitForServiceWorkerControl(page);
  await waitForDoorReady(page);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await expect(syncBar(page)).toContainText('Tout est envoyé');
  return { context, page };
}

async function scanWithCamera(page: Page) {
  await page.getByRole('button', { name: 'Scanner avec la caméra' }).click();
  await expect(page.getByRole('button', { name: 'Arrêter la caméra' })).toBeVisible();
}

async function serverScansOf(deviceId: string): Promise<ServerScan[]> {
  const organizer = await organizerSession();
  try {
    return (await pullAll<ServerScan>(organizer, 'scans')).filter((s) => s.deviceId === deviceId);
  } finally {
    await organizer.api.dispose();
  }
}

test('offline, a badge filmed by the camera is granted, recorded, and reaches the server once back online', async () => {
  const person = people[3] as ServerParticipant;
  const browser = await browserWithCamera(await qrVideo(person.badgeCode));
  try {
    const { context, page } = await controllerPhone(browser);
    await setDoor(page, 'Auditorium A');
    await context.setOffline(true);
    await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne');

    await scanWithCamera(page);
    const verdict = page.getByTestId('door-verdict');
    await expect(verdict).toHaveAttribute('data-reason', 'granted', { timeout: 45_000 });
    await expect(verdict).toContainText('Entrée autorisée');
    await expect(verdict).toContainText(`${person.firstName} ${person.lastName}`);
    await expect(page.getByTestId('door-stored')).toHaveText('Enregistré sur l’appareil');
    await expect(page.getByTestId('door-session')).toBeVisible();
    // The badge stays in front of the camera: it is recorded once, not once per frame.
    await page.waitForTimeout(2500);
    await expect(page.getByTestId('recent-scans').getByRole('listitem')).toHaveCount(1);
    await expect(syncBar(page)).toContainText('1 opération en attente');

    const deviceId = await deviceIdOf(page);
    await context.setOffline(false);
    await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 30_000 });
    const onServer = await serverScansOf(deviceId);
    expect(onServer).toHaveLength(1);
    expect(onServer[0]).toMatchObject({ participantId: person.id, granted: true, reason: 'granted' });
    await context.close();
  } finally {
    await browser.close();
  }
});

test('offline, a badge at a paid workshop without an entitlement is refused with the reason', async () => {
  const person = people[5] as ServerParticipant;
  const browser = await browserWithCamera(await qrVideo(person.badgeCode));
  try {
    const { context, page } = await controllerPhone(browser);
    await setDoor(page, 'Atelier 1');
    await expect(page.getByTestId('door-session')).toContainText('Atelier échographie cardiaque');
    await context.setOffline(true);

    await scanWithCamera(page);
    const verdict = page.getByTestId('door-verdict');
    await expect(verdict).toHaveAttribute('data-reason', 'payment_required', { timeout: 45_000 });
    await expect(verdict).toContainText('Refusé : séance payante');
    await expect(verdict).toContainText(
      "Séance payante : aucun droit d'accès valide. Orientez la personne vers la caisse.",
    );
    await expect(verdict).toContainText(`${person.firstName} ${person.lastName}`);
    await expect(verdict).toHaveClass(/verdict--refused/);
    await expect(page.getByTestId('stat-refused')).toHaveText('1');

    // The refusal is a fact too, and syncs.
    const deviceId = await deviceIdOf(page);
    await context.setOffline(false);
    await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 30_000 });
    const onServer = await serverScansOf(deviceId);
    expect(onServer).toHaveLength(1);
    expect(onServer[0]).toMatchObject({ granted: false, reason: 'payment_required', participantId: person.id });
    await context.close();
  } finally {
    await browser.close();
  }
});

test('two doors offline admit the same badge into one room; after sync the organizer sees a double_admission flag', async () => {
  const person = people[7] as ServerParticipant;
  const browser = await browserWithCamera(await qrVideo(person.badgeCode));
  try {
    const first = await controllerPhone(browser);
    const second = await controllerPhone(browser);
    const devices = [first, second];
    for (const d of devices) {
      await setDoor(d.page, 'Auditorium A');
      await d.context.setOffline(true);
    }
    // Each door knows only its own scans: both let the person in.
    for (const d of devices) {
      await scanWithCamera(d.page);
      await expect(d.page.getByTestId('door-verdict')).toHaveAttribute('data-reason', 'granted', { timeout: 45_000 });
      await expect(d.page.getByTestId('door-stored')).toHaveText('Enregistré sur l’appareil');
      await d.page.getByRole('button', { name: 'Arrêter la caméra' }).click();
    }
    const ids = await Promise.all(devices.map((d) => deviceIdOf(d.page)));
    expect(ids[0]).not.toBe(ids[1]);

    for (const d of devices) {
      await d.context.setOffline(false);
      await expect(syncBar(d.page)).toContainText('Tout est envoyé', { timeout: 30_000 });
    }

    const organizer = await organizerSession();
    try {
      await expect
        .poll(
          async () =>
            (await pullAll<ServerFlag>(organizer, 'reconciliationFlags')).filter(
              (f) =>
                f.kind === 'double_admission' && (f.details as { participantId?: string }).participantId === person.id,
            ).length,
          { timeout: 20_000 },
        )
        .toBe(1);
      const flag = (await pullAll<ServerFlag>(organizer, 'reconciliationFlags')).find(
        (f) => f.kind === 'double_admission' && (f.details as { participantId?: string }).participantId === person.id,
      ) as ServerFlag;
      const scans = (await pullAll<ServerScan>(organizer, 'scans')).filter((s) => s.participantId === person.id);
      expect(scans).toHaveLength(2);
      expect(new Set(scans.map((s) => s.deviceId))).toEqual(new Set(ids));
      expect(flag.subjectCollection).toBe('scans');
      expect(scans.map((s) => s.id)).toContain(flag.subjectId);

      // The door learns about the other door's entry once synced: a third scan is refused.
      await first.page.getByLabel('Code du badge ou nom').fill(person.badgeCode);
      await first.page.getByLabel('Code du badge ou nom').press('Enter');
      await expect(first.page.getByTestId('door-verdict')).toHaveAttribute('data-reason', 'already_inside');
    } finally {
      await organizer.api.dispose();
    }
    for (const d of devices) await d.context.close();
  } finally {
    await browser.close();
  }
});
