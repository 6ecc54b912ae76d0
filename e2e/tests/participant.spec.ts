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
interface ServerQuestion {
  id: string;
  sessionId: string;
  text: string;
  isAnswered: boolean;
}

test('a participant keeps badge, programme and news offline, and a question asked offline reaches the room manager', async ({
  page,
}) => {
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

  // Offline, after a reload: everything still shows.
  await page.context().setOffline(true);
  await page.reload();
  await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne', { timeout: 15_000 });
  await expect(page.getByRole('img', { name: /Code QR du badge/ })).toBeVisible();
  await page.getByRole('button', { name: 'Afficher en plein écran' }).click();
  await expect(page.getByRole('dialog')).toContainText('luminosité');
  await page.screenshot({ path: '../docs/images/participant-fullscreen-badge.png' });
  await page.getByRole('button', { name: 'Fermer le plein écran' }).click();
  await page.getByRole('button', { name: /^Annonces/ }).click();
  await expect(page.getByRole('heading', { name: /Bienvenue au congrès/ })).toBeVisible();
  await page.getByRole('button', { name: 'Programme', exact: true }).click();
  const card = page
    .getByTestId('programme-session')
    .filter({ has: page.getByRole('heading', { name: target.title }) })
    .first();
  await expect(card).toBeVisible();

  // A question asked offline is queued on the device.
  const text = `Question hors ligne ${Date.now()} : quelles études cliniques ?`;
  await card.getByText('Détails').click();
  await card.getByLabel('Votre question à l’intervenant').fill(text);
  await card.getByRole('button', { name: 'Envoyer la question' }).click();
  await expect(card.getByRole('status')).toHaveText(
    'Question enregistrée : elle sera envoyée dès que le réseau revient.',
  );
  await expect(card.getByRole('region', { name: 'Mes questions' })).toContainText('pas encore envoyée');
  await page.screenshot({ path: '../docs/images/participant-question.png', fullPage: true });

  // Back online: it reaches the room manager's questions for the session.
  await page.context().setOffline(false);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await expect
    .poll(async () => (await pullAll<ServerQuestion>(manager, 'questions')).filter((q) => q.text === text).length, {
      timeout: 30_000,
    })
    .toBe(1);
  const q = (await pullAll<ServerQuestion>(manager, 'questions')).find((x) => x.text === text);
  expect(q).toMatchObject({ sessionId: target.id, isAnswered: false });
  await expect(card.getByRole('region', { name: 'Mes questions' })).not.toContainText('pas encore envoyée');

  // The room manager marks it answered; the participant sees it.
  const full = (await pullAll<ServerQuestion & { rev: number }>(manager, 'questions')).find((x) => x.text === text);
  const now = new Date().toISOString();
  const answered = await manager.api.post('/sync/v1/questions/push', {
    headers: { 'x-makeplus-device': 'e2e-room-manager' },
    data: [
      {
        newDocumentState: { ...full, rev: (full?.rev ?? 1) + 1, isAnswered: true, answeredAt: now, updatedAt: now },
        assumedMasterState: full,
      },
    ],
  });
  expect(answered.status(), await answered.text()).toBe(200);
  await expect(card.getByRole('region', { name: 'Mes questions' })).toContainText('Répondue', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Compte', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Supprimer mon compte' })).toBeVisible();
  await page.screenshot({ path: '../docs/images/participant-account.png', fullPage: true });
  await manager.api.dispose();
});
