import { expect, type Page, test } from '@playwright/test';
import { generate } from 'otplib';
import { type DemoAccount, demoAccounts } from '../support/accounts';
import { signIn } from '../support/app';

const PASSWORD = 'e2e-secure-pass-42';

async function signInByForm(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('enrol 2FA with the QR code, sign out, sign in again with a code', async ({ page, request }) => {
  // A fresh account: the demo accounts stay without 2FA for the other specs.
  const email = `e2e-2fa-${Date.now()}@example.com`;
  const registered = await request.post('/api/v1/auth/register', {
    data: { email, password: PASSWORD, firstName: 'Double', lastName: 'Facteur' },
  });
  expect(registered.status()).toBe(201);

  await signInByForm(page, email);
  await expect(page).toHaveURL(/\/events$/);
  await page.getByRole('button', { name: 'Menu du compte' }).click();
  await page.getByRole('button', { name: 'Sécurité du compte' }).click();
  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByRole('heading', { name: 'Sécurité du compte', level: 1 })).toBeVisible();
  await expect(page.getByTestId('two-factor-status')).toContainText('Désactivée');

  const twoFactor = page.getByRole('region', { name: 'Double authentification (TOTP)' });
  await twoFactor.getByRole('button', { name: 'Activer la double authentification' }).click();
  await twoFactor.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await twoFactor.getByRole('button', { name: 'Activer la double authentification' }).click();
  const qr = page.getByRole('img', { name: 'QR code à scanner avec votre application d’authentification' });
  await expect(qr).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.screenshot({ path: '../docs/images/account-security-2fa-qr.png', fullPage: true });

  // The authenticator app's code, computed from the secret shown.
  await twoFactor.getByLabel('Code à 6 chiffres (ou code de secours)').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Confirmer' }).click();
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(codes).toHaveCount(10);
  await expect(page.getByRole('status').filter({ hasText: 'La double authentification est activée' })).toBeVisible();
  // Turning 2FA on signed out the other session (the one the test's API client opened).
  const devices = page.getByRole('region', { name: 'Appareils connectés' });
  await expect(devices.getByText('Cet appareil')).toBeVisible();
  await expect(devices.getByRole('button', { name: 'Déconnecter' })).toHaveCount(0);
  await page.screenshot({ path: '../docs/images/account-security-recovery-codes.png', fullPage: true });
  await page.getByRole('button', { name: 'J’ai noté mes codes' }).click();
  await expect(page.getByTestId('two-factor-status')).toContainText('Codes de secours restants : 10');
  await page.screenshot({ path: '../docs/images/account-security.png', fullPage: true });

  await page.getByRole('button', { name: 'Menu du compte' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await signInByForm(page, email);
  await expect(page.getByRole('heading', { name: 'Code de vérification' })).toBeVisible();
  // No session yet: the password alone gives nothing.
  expect(await page.evaluate(() => localStorage.getItem('makeplus.session'))).toBeNull();
  const codeField = page.getByLabel('Code à 6 chiffres (ou code de secours)');
  await codeField.fill('000000');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await expect(page.getByRole('alert')).toHaveText(/Code incorrect ou expiré/);
  await page.screenshot({ path: '../docs/images/login-2fa-code.png' });
  // The code of the next 30-second step: within the ±1 step window, and newer than the one used to confirm.
  await codeField.fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await expect(page).toHaveURL(/\/events$/);

  await page.getByRole('button', { name: 'Menu du compte' }).click();
  await page.getByRole('button', { name: 'Sécurité du compte' }).click();
  await expect(page.getByRole('cell', { name: /Réussie \(mot de passe \+ code\)/ })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Échouée \(mauvais code\)/ })).toBeVisible();
  await expect(page.getByText('Cet appareil')).toBeVisible();
});

test('the login screen says how long to wait after repeated failures', async ({ page, request }) => {
  const email = `e2e-lock-${Date.now()}@example.com`;
  const created = await request.post('/api/v1/auth/register', {
    data: { email, password: PASSWORD, firstName: 'Bloqué' },
  });
  expect(created.status()).toBe(201);
  await page.goto('/login');
  for (let i = 1; i <= 4; i++) {
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(`wrong-password-${i}`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert')).toHaveText('Adresse e-mail ou mot de passe incorrect.');
  }
  // The fifth failure locks the account for a minute; the screen says so, with the wait.
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill('wrong-password-5');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Trop de tentatives échouées. Par sécurité, réessayez dans 60 secondes.',
  );
  await page.screenshot({ path: '../docs/images/login-locked.png' });
});

test('no Content-Security-Policy violation on any role screen or the security page', async ({ browser }) => {
  // Six sign-ins in a row on a shared 2-core machine.
  test.setTimeout(240_000);
  for (const account of Object.keys(demoAccounts) as DemoAccount[]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(msg.text()))
        violations.push(`${account}: ${msg.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(
          `Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        );
      });
    });
    await signIn(page, account);
    if (account !== 'cashier') {
      await page.getByRole('button', { name: 'Menu du compte' }).click();
      await page.getByRole('button', { name: 'Sécurité du compte' }).click();
      await expect(page.getByRole('heading', { name: 'Sécurité du compte', level: 1 })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Historique des connexions' })).toBeVisible();
      if (account === 'organizer') {
        // The organizer also sets the event's 2FA rule and sees the staff's sign-ins.
        const policy = page.getByRole('region', { name: 'Double authentification obligatoire' });
        await expect(policy.getByRole('checkbox', { name: 'Contrôleur de badges' })).not.toBeChecked();
        const staff = page.getByRole('region', { name: 'Connexions de l’équipe de l’événement' });
        await expect(staff.getByRole('cell', { name: demoAccounts.organizer }).first()).toBeVisible();
        // The event's sync keeps running under the account page (it used to be stopped mid-pull).
        await expect(page.getByTestId('sync-bar')).not.toContainText('Erreur de synchronisation');
        await page.screenshot({ path: '../docs/images/organizer-account-security.png', fullPage: true });
      }
    }
    expect(violations).toEqual([]);
    await context.close();
  }
});
