import { expect, type Page, test } from '@playwright/test';
import { horizontalOverflow, phoneViewport, signIn, smallTouchTargets, syncBar } from '../support/app';

/**
 * The main screens at phone and desktop sizes: nothing scrolls sideways at 360 px, touch targets
 * are at least 48 px on phones, and a full-page screenshot of each is kept with the test results.
 */
async function snapshot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test.describe('on a phone (360 px)', () => {
  test.use({ viewport: phoneViewport, hasTouch: true, isMobile: true });

  test('login', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    await snapshot(page, 'login-phone');
  });

  test('create an account, in French and in English', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await expect(page.getByRole('button', { name: 'Créer mon compte' })).toBeVisible();
    // A field left empty is said next to it, on the device.
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await expect(page.getByLabel('Prénom')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Prénom')).toBeFocused();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    await snapshot(page, 'signup-phone');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Create an account', level: 1 })).toBeVisible();
    await expect(page.getByLabel('Confirm the password')).toBeVisible();
    // What was said about the fields follows the language.
    await expect(page.getByText('Champ obligatoire.')).toHaveCount(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    await snapshot(page, 'signup-phone-en');
  });

  test('badge controller home', async ({ page }) => {
    await signIn(page, 'controller');
    await expect(page.getByTestId('door-verdict')).toBeVisible({ timeout: 30_000 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    await snapshot(page, 'controller-home-phone');

    // The same screen in English, switched from the account menu.
    await page.getByRole('button', { name: 'Menu du compte' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('door-verdict')).toContainText('Ready');
    await expect(syncBar(page).getByRole('status')).toHaveText('Online');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    await snapshot(page, 'controller-home-phone-en');
  });

  test('participant home shows the badge QR code', async ({ page }) => {
    await signIn(page, 'participant');
    const qr = page.getByRole('img', { name: /Code QR du badge/ });
    await expect(qr).toBeVisible();
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await snapshot(page, 'participant-home-phone');
  });

  test('organizer rooms', async ({ page }) => {
    await signIn(page, 'organizer');
    await page.goto('/organizer/rooms');
    await expect(page.getByRole('rowheader', { name: 'Auditorium A' })).toBeVisible();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    await snapshot(page, 'organizer-rooms-phone');
    await page.getByRole('button', { name: 'Ouvrir le menu' }).click();
    const nav = page.getByRole('navigation');
    await expect(nav.getByRole('link', { name: 'Salles' })).toBeInViewport();
    // Let the drawer finish sliding in before the picture.
    const drawer = page.getByRole('complementary', { name: 'Sections de la console' });
    await expect.poll(() => drawer.evaluate((el) => Math.round(el.getBoundingClientRect().left))).toBe(0);
    await snapshot(page, 'organizer-nav-phone');
  });
});

test.describe('on a desktop', () => {
  test.use({ viewport: { width: 1366, height: 860 } });

  test('organizer rooms and the room form', async ({ page }) => {
    await signIn(page, 'organizer');
    // The dashboard's figures are counted by the server.
    const figures = page.getByRole('region', { name: 'En chiffres' });
    await expect(figures.getByRole('definition').first()).toHaveText(/^\d[\d\s\u202f]*$/);
    await snapshot(page, 'organizer-dashboard-desktop');
    await page.getByRole('navigation').getByRole('link', { name: 'Salles' }).click();
    await expect(page.getByRole('rowheader', { name: 'Auditorium A' })).toBeVisible();
    await expect(syncBar(page)).toBeVisible();
    await snapshot(page, 'organizer-rooms-desktop');
    await page.getByRole('button', { name: 'Nouvelle salle' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Créer la salle' }).click();
    await expect(page.getByRole('dialog').getByText('Champ obligatoire.').first()).toBeVisible();
    await snapshot(page, 'organizer-room-form-errors-desktop');
  });
});
