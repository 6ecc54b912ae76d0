import { expect, type Page, test } from '@playwright/test';
import { apiSignIn } from '../support/api';
import { signIn } from '../support/app';

/**
 * Organizer › Cash registers: a register with its own login, an item priced as people type it
 * (« 1 500,00 » is 150 000 centimes on the server), withdrawn from sale, and a register's figures.
 */
test.use({ viewport: { width: 1360, height: 900 } });

const picture = (page: Page, name: string) => page.screenshot({ path: `../docs/images/${name}.png` });

test('create a register and a priced item, withdraw it, read a register’s figures', async ({ page }) => {
  const stamp = Date.now();
  const organizer = await apiSignIn('organizer');
  const eventId = organizer.event.id;

  await signIn(page, 'organizer');
  await page
    .getByRole('link', { name: /Caisses/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: 'Caisses et articles', level: 1 })).toBeVisible();
  const registers = page.getByRole('table', { name: 'Caisses', exact: true });
  await expect(registers.getByRole('rowheader').first()).toBeVisible({ timeout: 30_000 });

  // A register: its own sign-in; a short password is refused before anything is sent.
  await page.getByRole('button', { name: 'Nouvelle caisse' }).click();
  const form = page.getByRole('dialog', { name: 'Nouvelle caisse' });
  await form.getByLabel('Nom').fill(`Caisse E2E ${stamp}`);
  await form.getByLabel('E-mail de connexion').fill(`caisse.${stamp}@example.org`);
  await form.getByLabel('Mot de passe').fill('court');
  await form.getByRole('button', { name: 'Créer la caisse' }).click();
  await expect(form.getByLabel('Mot de passe')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Mot de passe').fill('un-bon-mot-de-passe');
  await form.getByRole('button', { name: 'Créer la caisse' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Caisse E2E ${stamp}` })).toBeVisible();
  await expect(registers.getByRole('rowheader', { name: `Caisse E2E ${stamp}` })).toBeVisible({ timeout: 30_000 });

  // An item priced « 1 500,00 »: exactly 150 000 centimes on the server. An ambiguous price is refused.
  await page.getByRole('button', { name: 'Nouvel article' }).click();
  const item = page.getByRole('dialog', { name: 'Nouvel article' });
  await item.getByLabel('Article').fill(`Dîner de gala ${stamp}`);
  await item.getByLabel('Type').selectOption('dinner');
  await item.getByLabel(/^Prix/).fill('1,500');
  await item.getByRole('button', { name: 'Créer l’article' }).click();
  await expect(item.getByText('Montant non reconnu')).toBeVisible();
  await expect(item.getByLabel(/^Prix/)).toBeFocused();
  await item.getByLabel(/^Prix/).fill('1 500,00');
  await item.getByRole('button', { name: 'Créer l’article' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Dîner de gala ${stamp} est en vente à` })).toBeVisible();

  const items = page.getByRole('table', { name: 'Articles en vente' });
  const row = items.getByRole('row').filter({ hasText: `Dîner de gala ${stamp}` });
  await expect(row).toContainText(/1\s500,00 DZD/, { timeout: 30_000 });
  // Items are written on the computer and reach the server by sync.
  const held = async () =>
    (
      (await (await organizer.api.get(`/api/v1/events/${eventId}/payable-items?q=${stamp}`)).json()) as {
        items: { name: string; priceMinor: number; kind: string; isActive: boolean }[];
      }
    ).items;
  await expect
    .poll(held, { timeout: 30_000 })
    .toEqual([expect.objectContaining({ priceMinor: 150000, kind: 'dinner', isActive: true })]);

  // Withdrawn from sale; the « on sale » filter no longer lists it.
  await row.getByRole('button', { name: `Retirer Dîner de gala ${stamp} de la vente` }).click();
  await expect(row).toContainText('Retiré', { timeout: 30_000 });
  await page.getByRole('searchbox', { name: 'Rechercher un article…' }).fill(String(stamp));
  await page.getByRole('combobox', { name: 'État' }).last().selectOption('active');
  await expect(items).toHaveCount(0);
  await page.getByRole('combobox', { name: 'État' }).last().selectOption('');
  await page.getByRole('searchbox', { name: 'Rechercher un article…' }).fill('');
  await picture(page, 'organizer-cash-registers');

  // A register's figures, from the server.
  const demoRegister = registers.getByRole('row').nth(1);
  await demoRegister.getByRole('button', { name: /^Chiffres de la caisse/ }).click();
  const stats = page.getByRole('dialog', { name: /^Chiffres de la caisse/ });
  await expect(stats.getByText('Espèces attendues')).toBeVisible();
  await expect(stats.getByRole('heading', { name: 'Par article' })).toBeVisible();
  await picture(page, 'organizer-cash-register-stats');
  await stats.getByRole('button', { name: 'Fermer' }).first().click();

  await expect.poll(async () => (await held()).map((i) => i.isActive), { timeout: 30_000 }).toEqual([false]);
  await organizer.api.dispose();
});
