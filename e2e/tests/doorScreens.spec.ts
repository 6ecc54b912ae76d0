import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import {
  atDoorTime,
  organizerSession,
  pullAll,
  type ServerParticipant,
  setDoor,
  typeCode,
  waitForDoorReady,
} from '../fixtures/door';
import { horizontalOverflow, phoneViewport, signIn, smallTouchTargets, syncBar } from '../support/app';
import { repoRoot } from '../support/server';

/**
 * The door and the room manager's screen on a phone: nothing scrolls sideways, touch targets are
 * 48 px, and the pictures in docs/roles/badge-controller.md are taken here (docs/images/door-*.png).
 */
test.use({ viewport: phoneViewport, hasTouch: true, isMobile: true });

const picture = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(repoRoot, 'docs', 'images', `door-${name}.png`), fullPage });

async function checkLayout(page: Page) {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  expect(await smallTouchTargets(page)).toEqual([]);
}

let people: ServerParticipant[] = [];
test.beforeAll(async () => {
  const organizer = await organizerSession();
  people = (await pullAll<ServerParticipant>(organizer, 'participants')).filter((p) => p.userLegacyId > 0);
  await organizer.api.dispose();
});

test('the badge controller at a door', async ({ page }) => {
  await atDoorTime(page);
  await signIn(page, 'controller');
  await waitForDoorReady(page);
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 30_000 });
  await setDoor(page, 'Auditorium A');
  await checkLayout(page);
  await picture(page, 'ready');
  // Other tests may have scanned at this door already today: count from where the stats start.
  const count = async (id: string) => Number((await page.getByTestId(id).innerText()).replace(/\D/g, '') || '0');
  const before = { today: await count('stat-today'), granted: await count('stat-granted') };
  const insideBefore = Number(/^(\d+)/.exec((await page.getByTestId('stat-inside').innerText()).trim())?.[1] ?? '0');

  const [a, b, c] = people.slice(20, 23) as [ServerParticipant, ServerParticipant, ServerParticipant];
  await typeCode(page, a.badgeCode);
  await expect(page.getByTestId('door-verdict')).toHaveAttribute('data-reason', 'granted');
  await expect(page.getByTestId('door-stored')).toHaveText('Enregistré sur l’appareil');
  await page.getByLabel('Code du badge ou nom').blur();
  await checkLayout(page);
  await picture(page, 'granted');

  await typeCode(page, a.badgeCode);
  await expect(page.getByTestId('door-verdict')).toHaveAttribute('data-reason', 'already_inside');
  await typeCode(page, b.badgeCode);
  await typeCode(page, 'not-a-badge');
  await expect(page.getByTestId('door-verdict')).toHaveAttribute('data-reason', 'unreadable');
  await page.getByLabel('Code du badge ou nom').blur();
  await picture(page, 'unreadable');

  await setDoor(page, 'Atelier 1');
  await typeCode(page, c.badgeCode);
  await expect(page.getByTestId('door-verdict')).toHaveAttribute('data-reason', 'payment_required');
  await page.getByLabel('Code du badge ou nom').blur();
  await picture(page, 'refused');

  // Name search in manual entry.
  await page.getByLabel('Code du badge ou nom').fill(b.lastName);
  await expect(page.getByRole('list', { name: 'Personnes trouvées' })).toBeVisible();
  await picture(page, 'search');
  await page.getByLabel('Code du badge ou nom').fill('');

  await setDoor(page, 'Auditorium A');
  await expect(page.getByTestId('stat-today')).toHaveText(String(before.today + 4));
  await expect(page.getByTestId('stat-granted')).toHaveText(String(before.granted + 2));
  await expect(page.getByTestId('stat-inside')).toContainText(`${insideBefore + 2} sur 500`);
  await page.getByRole('heading', { name: 'Aujourd’hui : Auditorium A' }).scrollIntoViewIfNeeded();
  await picture(page, 'stats');
  await page.getByRole('searchbox', { name: 'Rechercher un nom ou un code' }).fill(a.lastName);
  await expect(page.getByTestId('recent-scans').getByRole('listitem')).toHaveCount(2);
});

test('the room manager runs the room’s sessions and sees its occupancy', async ({ page }) => {
  await atDoorTime(page);
  await signIn(page, 'manager');
  await waitForDoorReady(page);
  await setDoor(page, 'Auditorium A');
  const sessions = page.getByRole('region', { name: 'Sessions : Auditorium A' });
  await expect(sessions.getByText('Ouverture du congrès')).toBeVisible();
  await expect(page.getByTestId('room-occupancy')).toContainText('sur 500 places');
  await checkLayout(page);

  const first = sessions.getByRole('listitem').filter({ hasText: 'Ouverture du congrès' });
  await first.getByRole('button', { name: 'Démarrer' }).click();
  await expect(first.getByText('En cours')).toBeVisible();
  await expect(page.getByTestId('door-session')).toContainText('Ouverture du congrès');
  await sessions.scrollIntoViewIfNeeded();
  await picture(page, 'room-manager');
  await first.getByRole('button', { name: 'Terminer' }).click();
  await expect(first.getByText('Terminée')).toBeVisible();

  const next = sessions.getByRole('listitem').filter({ hasText: 'Lunch symposium' });
  await next.getByRole('button', { name: 'Annuler la session' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Annuler la session' }).click();
  await expect(next.getByText('Annulée')).toBeVisible();

  // The changes reach the server (the organizer reads them).
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 30_000 });
  const organizer = await organizerSession();
  const all = await pullAll<{ title: string; status: string }>(organizer, 'sessions');
  await organizer.api.dispose();
  expect(all.find((s) => s.title === 'Ouverture du congrès')?.status).toBe('finished');
  expect(all.find((s) => s.title === 'Lunch symposium Saidal')?.status).toBe('cancelled');
});
