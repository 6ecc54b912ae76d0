import { expect, test } from '@playwright/test';
import { demoAccounts } from '../support/accounts';
import { patchStoredSession, signIn, storedSession, syncBar } from '../support/app';

test('an expired session keeps the screen and its data, and signing in again resumes', async ({ page, request }) => {
  await signIn(page, 'organizer');
  await page.getByRole('navigation').getByRole('link', { name: 'Salles' }).click();
  await expect(page.getByRole('rowheader', { name: 'Auditorium A' })).toBeVisible();

  // The server ends this device's session (as an expired or revoked refresh token would)…
  const session = await storedSession(page);
  const revoke = await request.post('/api/v1/auth/logout', { data: { refreshToken: session?.refreshToken } });
  expect(revoke.status()).toBe(204);
  // …and the access token is no longer accepted.
  await patchStoredSession(page, { accessToken: 'no-longer-valid' });

  await expect(syncBar(page).getByText('Session expirée.')).toBeVisible();
  // The rooms are read on the device (issue #6): the list stays, nothing to fetch, no error to show.
  await expect(page.getByRole('rowheader', { name: 'Auditorium A' })).toBeVisible();
  // Nothing was wiped: still signed in on this device, same event.
  const kept = await storedSession(page);
  expect(kept).toMatchObject({ needsSignIn: true, email: demoAccounts.organizer, refreshToken: session?.refreshToken });
  await expect(page.getByRole('complementary')).toContainText('Congrès');

  await syncBar(page).getByRole('button', { name: 'Se reconnecter' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reconnectez-vous' });
  await expect(dialog.getByLabel('Adresse e-mail')).toHaveValue(demoAccounts.organizer);
  await expect(dialog.getByLabel('Adresse e-mail')).not.toBeEditable();
  await dialog.getByLabel('Mot de passe').fill('wrong-password-1');
  await dialog.getByRole('button', { name: 'Se connecter' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Adresse e-mail ou mot de passe incorrect.');
  await dialog.getByLabel('Mot de passe').fill('makeplus-demo');
  await dialog.getByRole('button', { name: 'Se connecter' }).click();

  await expect(dialog).toBeHidden();
  await expect(syncBar(page).getByText('Session expirée.')).toBeHidden();
  await expect(page).toHaveURL(/\/organizer\/rooms$/);
  await expect(page.getByRole('rowheader', { name: 'Auditorium A' })).toBeVisible();
  expect(await storedSession(page)).toMatchObject({ needsSignIn: false });
});

test('signing out forgets the session on the device and returns to the login screen', async ({ page }) => {
  await signIn(page, 'exhibitor');
  await page.getByRole('button', { name: 'Menu du compte' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(await storedSession(page)).toBeNull();
  await page.goto('/stand');
  await expect(page).toHaveURL(/\/login$/);
});
