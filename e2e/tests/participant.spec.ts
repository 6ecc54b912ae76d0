import { expect, test } from '@playwright/test';
import { pullAll } from '../fixtures/door';
import { apiSignIn } from '../support/api';
import { phoneViewport, signIn, syncBar, waitForServiceWorkerControl } from '../support/app';

test.use({ viewport: phoneViewport, hasTouch: true, isMobile: true });

interface ServerSession {
  id: string;
  title: string;
  roomId: string;
  startsAt: string;
}

test('a participant sees the badge, the programme, the news and the account', async ({ page }) => {
  const manager = await apiSignIn('manager');
  const rooms = await pullAll<{ id: string; name: string }>(manager, 'rooms');
  const auditorium = rooms.find((r) => r.name === 'Auditorium A');
  const sessions = (await pullAll<ServerSession>(manager, 'sessions'))
    .filter((s) => s.roomId === auditorium?.id)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const target = sessions[0];
  if (!target) throw new Error('no session in Auditorium A');

  await signIn(page, 'participant');
  await waitForServiceWorkerControl(page);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await expect(page.getByRole('img', { name: /Code QR du badge/ })).toBeVisible();
  await expect(page.getByTestId('unread-count')).not.toHaveText('0');
  await page.screenshot({ path: '../docs/images/participant-badge.png' });

  // Programme and news are on the device once synced.
  await page.getByRole('button', { name: 'Programme', exact: true }).click();
  await expect(page.getByRole('heading', { name: target.title }).first()).toBeVisible();
  await page.screenshot({ path: '../docs/images/participant-programme.png', fullPage: true });
  await page.getByRole('button', { name: /^Annonces/ }).click();
  await expect(page.getByRole('heading', { name: /Bienvenue au congrès/ })).toBeVisible();
  await expect(page.getByTestId('unread-count')).toHaveCount(0);
  await page.screenshot({ path: '../docs/images/participant-news.png', fullPage: true });

  // Full screen, with the brightness hint. (Offline after a reload, and a question asked offline
  // reaching the room manager's moderation: participant-question.spec.ts.)
  await page.getByRole('button', { name: 'Badge', exact: true }).click();
  await page.getByRole('button', { name: 'Afficher en plein écran' }).click();
  await expect(page.getByRole('dialog')).toContainText('luminosité');
  await page.screenshot({ path: '../docs/images/participant-fullscreen-badge.png' });
  await page.getByRole('button', { name: 'Fermer le plein écran' }).click();

  await page.getByRole('button', { name: 'Compte', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Supprimer mon compte' })).toBeVisible();
  await page.screenshot({ path: '../docs/images/participant-account.png', fullPage: true });
  await manager.api.dispose();
});
