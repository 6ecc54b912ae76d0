import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { signIn, syncBar } from '../support/app';

/**
 * Organizer › Audit trail and Permissions: an edit of a room is in the trail with its before and
 * after, the filtered trail downloads as CSV; a role's permission is adjusted within its bounds and
 * put back.
 */
test.use({ viewport: { width: 1360, height: 900 } });

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

test('an edited room appears in the audit trail with before and after, and the trail downloads as CSV', async ({
  page,
}) => {
  await signIn(page, 'organizer');
  await nav(page, 'Salles').click();
  await expect(page.getByRole('rowheader', { name: /Auditorium A/ })).toBeVisible({ timeout: 20_000 });

  const where = `Aile nord ${Date.now()}`;
  await page.getByRole('button', { name: 'Modifier la salle Auditorium A' }).click();
  const form = page.getByRole('dialog');
  const before = await form.getByLabel('Emplacement').inputValue();
  await form.getByLabel('Emplacement').fill(where);
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Salle « Auditorium A » enregistrée.')).toBeVisible();
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });

  await nav(page, 'Journal d’audit').click();
  await expect(page.getByRole('heading', { name: 'Journal d’audit', level: 1 })).toBeVisible();
  await page.getByLabel('Type d’enregistrement').selectOption('rooms');
  const table = page.getByRole('table', { name: 'Journal d’audit' });
  const row = table.getByRole('row').filter({ hasText: where });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText('Modification');
  await expect(row).toContainText('organizer@');
  await expect(row.locator('del')).toHaveText(before || '');
  await expect(row.locator('ins')).toHaveText(where);
  await row.getByRole('button', { name: 'Détails' }).click();
  const details = page.getByRole('region', { name: 'Détails' });
  await expect(details.getByText(`"location": "${where}"`)).toBeVisible();
  await page.screenshot({ path: '../docs/images/organizer-audit.png', fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter en CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await file.path()) as string, 'utf8');
  expect(csv.split('\r\n')[0]).toContain('Avant / Before');
  expect(csv).toContain(where);
  expect(csv).not.toContain('participants,');
  await expect(page.getByRole('status').filter({ hasText: 'Fichier téléchargé' })).toBeVisible();
});

test('a permission is adjusted within the safe bounds, shown as adjusted, then put back', async ({ page }) => {
  await signIn(page, 'organizer');
  await nav(page, 'Permissions').click();
  await expect(page.getByRole('heading', { name: 'Permissions', level: 1 })).toBeVisible();

  const grant = page.getByRole('checkbox', { name: 'Contrôleur de badges — Voir les statistiques' });
  await expect(grant).not.toBeChecked();
  // Outside the bounds: a badge controller can never manage the staff.
  await expect(
    page.getByRole('checkbox', { name: 'Contrôleur de badges — Gérer l’équipe et les permissions' }),
  ).toBeDisabled();
  // The organizer keeps every permission.
  await expect(page.getByRole('checkbox', { name: 'Organisateur — Lire le journal d’audit' })).toBeDisabled();

  await grant.check();
  await expect(
    page.getByRole('status').filter({ hasText: 'Permissions enregistrées : Contrôleur de badges.' }),
  ).toBeVisible();
  await expect(grant).toBeChecked();
  await expect(page.getByRole('columnheader', { name: /Contrôleur de badges \(ajusté\)/ })).toBeVisible();
  await page.screenshot({ path: '../docs/images/organizer-permissions.png', fullPage: true });

  // Put back, so the event is as before; the change and its undoing are both in the trail.
  await page.getByRole('button', { name: 'Revenir aux valeurs par défaut — Contrôleur de badges' }).click();
  await expect(grant).not.toBeChecked();
  await nav(page, 'Journal d’audit').click();
  await page.getByLabel('Type d’enregistrement').selectOption('permissionOverrides');
  const rows = page
    .getByRole('table', { name: 'Journal d’audit' })
    .getByRole('row')
    .filter({ hasText: 'badge_controller' });
  await expect(rows).toHaveCount(2);
});
