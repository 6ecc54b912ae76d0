import { expect, test } from '@playwright/test';
import { apiSignIn } from '../support/api';
import { phoneViewport, signIn, syncBar, waitForServiceWorkerControl } from '../support/app';

test.use({ viewport: phoneViewport, hasTouch: true, isMobile: true });

test('a participant keeps the programme and guide PDFs and reads them offline after a reload', async ({ page }) => {
  // The demo event publishes a programme and a guide PDF (server/src/demo/demoDocuments.ts).
  const participant = await apiSignIn('participant');
  const event = (await (await participant.api.get(`/api/v1/events/${participant.event.id}`)).json()) as {
    programmeUrl: string | null;
    guideUrl: string | null;
  };
  await participant.api.dispose();
  const programmeUrl = event.programmeUrl;
  if (!programmeUrl || !event.guideUrl) throw new Error('the demo event has no programme or guide PDF');

  await signIn(page, 'participant');
  await waitForServiceWorkerControl(page);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Programme', exact: true }).click();
  const docs = page.getByRole('region', { name: 'Documents' });
  await expect(docs.getByRole('button', { name: 'Programme (PDF) · Ouvrir' })).toBeVisible();
  await expect(docs.getByRole('button', { name: 'Guide (PDF) · Ouvrir' })).toBeVisible();
  // Kept on the device as soon as the app is online.
  await expect(docs.getByText('Disponible hors ligne')).toHaveCount(2, { timeout: 20_000 });
  await docs.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '../docs/images/participant-documents.png' });

  // Offline, after a reload: the PDFs still open, from the device.
  await page.context().setOffline(true);
  await page.reload();
  await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Programme', exact: true }).click();
  await expect(docs.getByText('Disponible hors ligne')).toHaveCount(2);
  for (const url of [programmeUrl, event.guideUrl]) {
    // The file's own URL answers offline (the service worker serves the kept copy).
    const got = await page.evaluate(async (u) => {
      const res = await fetch(u);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        head: new TextDecoder().decode(bytes.slice(0, 5)),
        size: bytes.length,
      };
    }, url);
    expect(got).toMatchObject({ status: 200, type: 'application/pdf', head: '%PDF-' });
    expect(got.size).toBeGreaterThan(500);
  }
  // And the button opens the document from the device.
  const popup = page.waitForEvent('popup');
  await docs.getByRole('button', { name: 'Programme (PDF) · Ouvrir' }).click();
  expect((await popup).url()).toMatch(/^blob:/);
  await expect(docs.getByRole('alert')).toHaveCount(0);
  await page.context().setOffline(false);
});
