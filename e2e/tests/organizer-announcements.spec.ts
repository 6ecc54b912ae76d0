import { expect, type Page, test } from '@playwright/test';
import { pullAll } from '../fixtures/door';
import { apiSignIn } from '../support/api';
import { phoneViewport, signIn, syncBar } from '../support/app';

/**
 * Organizer › Announcements: one targeted at participants reaches a participant's phone by sync
 * (and is edited there live), never a badge controller's device; deleted, it leaves the phone too.
 */
test.use({ viewport: { width: 1360, height: 900 } });

const picture = (page: Page, name: string) => page.screenshot({ path: `../docs/images/${name}.png` });

test('an announcement for participants reaches a participant’s device, and only theirs', async ({ page, browser }) => {
  const stamp = Date.now();
  const title = `Navette vers l’hôtel ${stamp}`;

  // The participant's phone, signed in and synced, on its news tab.
  const phone = await browser.newContext({ viewport: phoneViewport, hasTouch: true, isMobile: true });
  const participant = await phone.newPage();
  await signIn(participant, 'participant');
  await expect(syncBar(participant).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await participant.getByRole('button', { name: /^Annonces/ }).click();

  await signIn(page, 'organizer');
  await page
    .getByRole('link', { name: /Annonces/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: 'Annonces', level: 1 })).toBeVisible();

  // A title is required: refused on the device, before anything is stored.
  await page.getByRole('button', { name: 'Nouvelle annonce' }).click();
  const form = page.getByRole('dialog', { name: 'Nouvelle annonce' });
  await form.getByLabel('Message').fill('Départ à 18 h 30 devant l’entrée principale.');
  await form.getByRole('button', { name: 'Publier' }).click();
  await expect(form.getByLabel('Titre')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Titre').fill(title);
  await form.getByLabel('Destinataires').selectOption('participants');
  await picture(page, 'organizer-announcement-form');
  await form.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByRole('status').filter({ hasText: title })).toBeVisible();

  const table = page.getByRole('table', { name: 'Annonces' });
  const row = table.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('Participants');
  await expect(row).toContainText('Envoyée', { timeout: 30_000 });

  // It reaches the participant's phone by sync, without a reload.
  await expect(participant.getByRole('heading', { name: title })).toBeVisible({ timeout: 30_000 });
  await expect(participant.getByText('Départ à 18 h 30 devant l’entrée principale.')).toBeVisible();
  await participant.screenshot({ path: '../docs/images/participant-announcement.png', fullPage: true });

  // The filter by audience, then an edit that follows to the phone.
  await page.getByRole('combobox', { name: 'Destinataires' }).selectOption('controllers');
  await expect(table.getByRole('row').filter({ hasText: title })).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Destinataires' }).selectOption('participants');
  await row.getByRole('button', { name: `Modifier « ${title} »` }).click();
  const edit = page.getByRole('dialog', { name: 'Modifier l’annonce' });
  await edit.getByLabel('Titre').fill(`${title} (19 h)`);
  await edit.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(participant.getByRole('heading', { name: `${title} (19 h)` })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('combobox', { name: 'Destinataires' }).selectOption('');
  await picture(page, 'organizer-announcements');

  // A badge controller's device never receives it; the participant's does (server-side scopes).
  const controller = await apiSignIn('controller');
  const seen = await pullAll<{ title: string }>(controller, 'announcements');
  expect(seen.map((a) => a.title)).not.toContain(`${title} (19 h)`);
  const me = await apiSignIn('participant');
  expect((await pullAll<{ title: string }>(me, 'announcements')).map((a) => a.title)).toContain(`${title} (19 h)`);

  // Deleted: it leaves the phone too.
  await table
    .getByRole('row')
    .filter({ hasText: `${title} (19 h)` })
    .getByRole('button', { name: /^Supprimer/ })
    .click();
  await page.getByRole('dialog').getByRole('button', { name: 'Supprimer' }).click();
  await expect(participant.getByRole('heading', { name: `${title} (19 h)` })).toHaveCount(0, { timeout: 30_000 });

  await controller.api.dispose();
  await me.api.dispose();
  await phone.close();
});
