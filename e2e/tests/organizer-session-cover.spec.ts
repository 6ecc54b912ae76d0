import { expect, test } from '@playwright/test';
import { apiSignIn } from '../support/api';
import { signIn, syncBar } from '../support/app';

/**
 * Organizer › Sessions: a cover image sent from the computer (checked before sending, as the server
 * checks again), its URL saved with the session, which syncs; the server serves the image.
 */
test.use({ viewport: { width: 1360, height: 900 } });

const onePixelPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

test('a session’s cover image is uploaded, refused when it is not an image, and saved with the session', async ({
  page,
}) => {
  const title = `Session avec couverture ${Date.now()}`;
  await signIn(page, 'organizer');
  await page.getByRole('navigation').getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });
  await expect(page.getByRole('article').first()).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Nouvelle session' }).click();
  const form = page.getByRole('dialog', { name: 'Nouvelle session' });
  await form.getByLabel(/^Titre \*/).fill(title);
  await form.getByLabel('Début').fill('2030-05-11T09:00');
  await form.getByLabel('Fin').fill('2030-05-11T10:00');
  const upload = form.getByLabel(/^Ou envoyer une image de couverture/);

  // A PDF renamed .png is refused on the computer, judged by its first bytes.
  await upload.setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await expect(form.getByRole('alert')).toContainText('n’est pas un fichier PNG, JPEG, WEBP');

  await upload.setInputFiles({ name: 'couverture.png', mimeType: 'image/png', buffer: onePixelPng });
  const address = form.getByLabel('Image de couverture (adresse)');
  await expect(address).toHaveValue(/^\/api\/v1\/files\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(form.getByRole('img', { name: 'Aperçu de l’image de couverture' })).toBeVisible();
  const url = await address.inputValue();
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText(`Session « ${title} » enregistrée`)).toBeVisible();

  const { api, event } = await apiSignIn('organizer');
  await expect
    .poll(
      async () => {
        const body = (await (await api.get(`/api/v1/events/${event.id}/sessions?pageSize=500`)).json()) as {
          items: { title: string; coverImageUrl: string }[];
        };
        return body.items.find((s) => s.title === title)?.coverImageUrl;
      },
      { timeout: 30_000 },
    )
    .toBe(url);
  const served = await api.get(url);
  expect(served.headers()['content-type']).toBe('image/png');
  await api.dispose();
});
