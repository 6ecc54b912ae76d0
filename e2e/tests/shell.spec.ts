import { expect, test } from '@playwright/test';
import { apiSignIn } from '../support/api';
import { phoneViewport, signIn, syncBar, waitForServiceWorkerControl } from '../support/app';

test('the organizer signs in, opens the demo event console and creates a room that is then listed', async ({
  page,
}) => {
  const { event, api } = await apiSignIn('organizer');
  await api.dispose();

  await signIn(page, 'organizer');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Bonjour');
  await expect(page.getByRole('heading', { name: event.name })).toBeVisible();
  await expect(syncBar(page)).toContainText('En ligne');

  await page.getByRole('navigation').getByRole('link', { name: 'Salles' }).click();
  await expect(page).toHaveURL(/\/organizer\/rooms$/);
  await expect(page.getByRole('heading', { name: 'Salles', level: 1 })).toBeVisible();
  // The demo event's rooms come from the server.
  await expect(page.getByRole('rowheader', { name: 'Auditorium A' })).toBeVisible();

  // Submitting an empty form: the API's field errors appear next to their fields.
  await page.getByRole('button', { name: 'Nouvelle salle' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Nouvelle salle' });
  await dialog.getByRole('button', { name: 'Créer la salle' }).click();
  await expect(dialog.getByLabel('Nom')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Capacité')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText('Champ obligatoire.').first()).toBeVisible();

  const name = `Salle e2e ${Date.now().toString(36)}`;
  await dialog.getByLabel('Nom').fill(name);
  await dialog.getByLabel('Capacité').fill('42');
  await dialog.getByLabel('Emplacement').fill('Niveau 3');
  await dialog.getByRole('button', { name: 'Créer la salle' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Salle « ${name} » créée.` })).toBeVisible();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row).toContainText('42');
  await expect(row).toContainText('Niveau 3');

  // And it is really on the server.
  const again = await apiSignIn('organizer');
  const list = await again.api.get(`/api/v1/events/${event.id}/rooms`, { params: { q: name } });
  expect((await list.json()).items.map((r: { name: string }) => r.name)).toEqual([name]);
  await again.api.dispose();
});

test('signed in once, the app reloads offline: the shell, the home and an offline sync bar', async ({ browser }) => {
  const context = await browser.newContext({ viewport: phoneViewport, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signIn(page, 'controller');
  await expect(page.getByTestId('door-verdict')).toBeVisible({ timeout: 30_000 });
  await waitForServiceWorkerControl(page);

  await context.setOffline(true);
  await page.reload();

  await expect(page).toHaveURL(/\/door$/);
  // The door screen itself, working offline on the device's data.
  await expect(page.getByTestId('door-verdict')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.appbar__event')).toContainText('Congrès MakePlus 2026');
  await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne');
  await expect(syncBar(page).getByRole('button', { name: 'Synchroniser maintenant' })).toBeDisabled();

  // A deep link the server never served to this page also opens from the cache (navigateFallback).
  await page.goto('/events');
  await expect(page.getByRole('heading', { name: 'Choisir un événement' })).toBeVisible();
  await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne');

  await context.setOffline(false);
  await context.close();
});

test('English can be chosen and is remembered after a reload', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Email address')).toBeVisible();
});

test.describe('every demo account lands on its own home, with its event and role', () => {
  const homes = [
    { account: 'manager', role: 'Gestionnaire de salle' },
    { account: 'controller', role: 'Contrôleur de badges' },
    { account: 'cashier', role: 'Caisse' },
    { account: 'exhibitor', role: 'Exposant' },
    { account: 'participant', role: 'Participant' },
  ] as const;
  for (const { account, role } of homes) {
    test(account, async ({ browser }) => {
      const { event, api } = await apiSignIn(account);
      await api.dispose();
      const context = await browser.newContext({ viewport: phoneViewport, hasTouch: true, isMobile: true });
      const page = await context.newPage();
      await signIn(page, account);
      // The role's own screen, under the event's name.
      await expect(page.locator('.appbar__event')).toContainText(event.name);
      void role;
      // The event's colour is the app's theme colour.
      expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(event.primaryColor);
      // Another role's screens send it back home.
      await page.goto('/organizer/rooms');
      await expect(page.locator('.appbar__event')).toContainText(event.name);
      expect(new URL(page.url()).pathname).not.toContain('/organizer');
      await context.close();
    });
  }
});
