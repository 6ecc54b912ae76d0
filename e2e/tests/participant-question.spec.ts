import { expect, type Page, test } from '@playwright/test';
import { pullAll } from '../fixtures/door';
import { apiSignIn } from '../support/api';
import {
  horizontalOverflow,
  phoneViewport,
  signIn,
  smallTouchTargets,
  syncBar,
  waitForServiceWorkerControl,
} from '../support/app';

/**
 * Issue #7's must-hold: a participant logs in, goes offline and reloads: the badge, the programme
 * and the announcements still show; a question asked offline reaches the room manager's moderation
 * list once back online; the room manager marks it answered there, and the participant sees it.
 */
test.use({ viewport: phoneViewport, hasTouch: true, isMobile: true });

interface ServerSession {
  id: string;
  title: string;
  roomId: string;
  startsAt: string;
}

const picture = (page: Page, name: string) => page.screenshot({ path: `../docs/images/${name}.png`, fullPage: true });

test('offline: badge, programme and news after a reload; a question asked offline reaches the room manager’s moderation', async ({
  page,
  browser,
}) => {
  const manager = await apiSignIn('manager');
  const rooms = await pullAll<{ id: string; name: string }>(manager, 'rooms');
  const auditorium = rooms.find((r) => r.name === 'Auditorium A');
  const sessions = (await pullAll<ServerSession>(manager, 'sessions'))
    .filter((s) => s.roomId === auditorium?.id)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const target = sessions[0];
  if (!target) throw new Error('no session in Auditorium A');
  await manager.api.dispose();

  // The room manager's phone, on its moderation tab for Auditorium A.
  const managerPhone = await browser.newContext({ viewport: phoneViewport, hasTouch: true, isMobile: true });
  const moderator = await managerPhone.newPage();
  await signIn(moderator, 'manager');
  await expect(moderator.getByTestId('door-verdict')).toContainText('Prêt', { timeout: 30_000 });
  await moderator.getByLabel('Salle de la porte').selectOption({ label: 'Auditorium A' });
  await moderator.getByRole('button', { name: 'Questions', exact: true }).click();
  await expect(moderator.getByRole('heading', { name: 'Modération des questions' })).toBeVisible();

  // The participant signs in once online; the shell and data are then on the device.
  await signIn(page, 'participant');
  await waitForServiceWorkerControl(page);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await expect(page.getByRole('img', { name: /Code QR du badge/ })).toBeVisible();
  await page.getByRole('button', { name: 'Programme', exact: true }).click();
  await expect(page.getByRole('heading', { name: target.title }).first()).toBeVisible();

  // Offline, after a reload: badge, programme and announcements still show.
  await page.context().setOffline(true);
  await page.reload();
  await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne', { timeout: 15_000 });
  await expect(page.getByRole('img', { name: /Code QR du badge/ })).toBeVisible();
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
  // Nothing reached the moderator meanwhile.
  await expect(moderator.getByText(text)).toHaveCount(0);

  // Back online: it reaches the room manager's moderation list, without a reload there.
  await page.context().setOffline(false);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await expect(card.getByRole('region', { name: 'Mes questions' })).not.toContainText('pas encore envoyée', {
    timeout: 30_000,
  });
  const list = moderator.getByRole('table', { name: 'Modération des questions' });
  const row = list.getByRole('row').filter({ hasText: text });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText(target.title);
  await expect(row).toContainText('Sans réponse');
  expect(await horizontalOverflow(moderator)).toBeLessThanOrEqual(0);
  expect(await smallTouchTargets(moderator)).toEqual([]);
  await moderator.mouse.move(0, 0); // no hover colour in the picture
  await picture(moderator, 'room-manager-questions');

  // The room manager marks it answered on the phone; the participant's device shows it answered.
  await row.getByRole('button', { name: 'Marquer répondue' }).click();
  await expect(list.getByRole('row').filter({ hasText: text })).toHaveCount(0);
  await moderator.getByRole('button', { name: /^Répondues/ }).click();
  await expect(list.getByRole('row').filter({ hasText: text })).toContainText('Répondue');
  await expect(card.getByRole('region', { name: 'Mes questions' })).toContainText('Répondue', { timeout: 30_000 });

  await managerPhone.close();
});

test.describe('the organizer’s console', () => {
  test.use({ viewport: { width: 1360, height: 900 }, hasTouch: false, isMobile: false });

  test('moderates every session’s questions: filter, mark answered, hide', async ({ page }) => {
    const participant = await apiSignIn('participant');
    const sessions = await pullAll<ServerSession>(participant, 'sessions');
    const me = (await pullAll<{ id: string }>(participant, 'participants'))[0];
    const session = sessions[0];
    if (!me || !session) throw new Error('no participant or session in the demo');
    // Two questions asked from the participant's own device (the sync protocol, as the app does).
    const now = new Date().toISOString();
    const stamp = Date.now();
    const question = (text: string) => ({
      id: crypto.randomUUID(),
      eventId: participant.event.id,
      seq: 0,
      rev: 1,
      createdAt: now,
      updatedAt: now,
      deleted: false,
      sessionId: session.id,
      participantId: me.id,
      askedBy: null,
      text,
      askedAt: now,
      isAnswered: false,
      answeredBy: null,
      answeredAt: null,
      isHidden: false,
      legacyId: 0,
    });
    const pushed = await participant.api.post('/sync/v1/questions/push', {
      headers: { 'x-makeplus-device': `e2e-participant-${stamp}` },
      data: [
        { newDocumentState: question(`Posologie chez l’enfant ? ${stamp}`), assumedMasterState: null },
        { newDocumentState: question(`Publicité hors sujet ${stamp}`), assumedMasterState: null },
      ],
    });
    expect(pushed.status(), await pushed.text()).toBe(200);
    await participant.api.dispose();

    await signIn(page, 'organizer');
    await page
      .getByRole('link', { name: /Questions/ })
      .first()
      .click();
    await expect(page.getByRole('heading', { name: 'Questions du public', level: 1 })).toBeVisible();
    await page.getByRole('combobox', { name: 'Séance' }).selectOption({ label: session.title });
    await page.getByRole('searchbox').fill(String(stamp));
    const list = page.getByRole('table', { name: 'Modération des questions' });
    await expect(list.getByRole('row')).toHaveCount(3, { timeout: 30_000 });

    await list
      .getByRole('row')
      .filter({ hasText: 'Publicité hors sujet' })
      .getByRole('button', { name: 'Masquer' })
      .click();
    await list
      .getByRole('row')
      .filter({ hasText: 'Posologie' })
      .getByRole('button', { name: 'Marquer répondue' })
      .click();
    await expect(list).toHaveCount(0);
    await page.getByRole('button', { name: 'Masquées (1)' }).click();
    await expect(list.getByRole('row').filter({ hasText: 'Publicité hors sujet' })).toContainText('Masquée');
    await page.getByRole('button', { name: 'Toutes', exact: true }).click();
    await expect(list.getByRole('row')).toHaveCount(3);
    await page.mouse.move(0, 0); // no hover colour in the picture
    await page.screenshot({ path: '../docs/images/organizer-questions.png' });

    // The server holds the moderation (it synced from the console).
    const organizer = await apiSignIn('organizer');
    await expect
      .poll(async () =>
        (await pullAll<{ text: string; isAnswered: boolean; isHidden: boolean }>(organizer, 'questions'))
          .filter((q) => q.text.endsWith(String(stamp)))
          .map((q) => `${q.text.split(' ')[0]}:${q.isAnswered}:${q.isHidden}`)
          .sort(),
      )
      .toEqual(['Posologie:true:false', 'Publicité:false:true']);
    await organizer.api.dispose();
  });
});
