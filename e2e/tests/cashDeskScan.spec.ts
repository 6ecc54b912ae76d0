import { expect, test } from '@playwright/test';
import { apiSignIn } from '../support/api';
import { signIn } from '../support/app';

/** At the cash desk a badge can be read instead of searched: every format the doors accept. */
test('the cashier reads a badge and the person is selected, offline', async ({ page, context }) => {
  const org = await apiSignIn('organizer');
  const res = await org.api.get(`/api/v1/events/${org.event.id}/participants?pageSize=5&sort=legacyId`);
  const people = (await res.json()).items as {
    firstName: string;
    lastName: string;
    userLegacyId: number;
    legacyBadgeId: string;
    badgeCode: string;
  }[];
  await org.api.dispose();
  const [a, b, c] = people;
  if (!a || !b || !c) throw new Error('demo participants missing');

  await signIn(page, 'cashier');
  await expect(page.getByText(/Recherche hors ligne parmi \d+ participants/)).toBeVisible({ timeout: 30_000 });
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Scanner un badge' }).click();
  const field = page.getByLabel('Code du badge', { exact: true });
  for (const [person, code] of [
    [a, a.badgeCode],
    [b, String(b.userLegacyId)],
    [c, c.legacyBadgeId],
  ] as const) {
    if (!(await field.isVisible())) await page.getByRole('button', { name: 'Scanner un badge' }).click();
    await field.fill(code);
    await field.press('Enter');
    await expect(page.getByRole('button', { name: 'Changer de personne' })).toBeVisible();
    await expect(page.getByText(`${person.firstName} ${person.lastName}`).first()).toBeVisible();
  }
  await page.getByRole('button', { name: 'Scanner un badge' }).click();
  await field.fill('USER-999999-ABCDEF12');
  await field.press('Enter');
  await expect(page.getByText('Badge inconnu sur cet appareil')).toBeVisible();
});
