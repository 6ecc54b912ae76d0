import { expect, test } from '@playwright/test';
import {
  atDoorTime,
  organizerSession,
  pullAll,
  type ServerParticipant,
  setDoor,
  typeCode,
  waitForDoorReady,
} from '../fixtures/door';
import { phoneViewport, signIn, syncBar } from '../support/app';

test.use({ viewport: phoneViewport, hasTouch: true, isMobile: true });

test('manual entry, keyboard wedge and name search at the door', async ({ page }) => {
  const organizer = await organizerSession();
  const people = await pullAll<ServerParticipant>(organizer, 'participants');
  await organizer.api.dispose();
  const [a, b] = people.filter((p) => p.userLegacyId > 0);
  if (!a || !b) throw new Error('demo participants missing');

  await atDoorTime(page);
  await signIn(page, 'controller');
  await waitForDoorReady(page);
  await expect(syncBar(page).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
  await setDoor(page, 'Auditorium A');

  await typeCode(page, a.badgeCode);
  const verdict = page.getByTestId('door-verdict');
  await expect(verdict).toHaveAttribute('data-reason', 'granted');
  await expect(verdict).toContainText(`${a.firstName} ${a.lastName}`);
  await expect(page.getByTestId('door-stored')).toHaveText('Enregistré sur l’appareil');

  // A hardware scanner types the legacy id fast and presses Enter, focus anywhere but a text field.
  await page.getByRole('heading', { name: 'Derniers passages' }).click();
  await page.keyboard.type(String(a.userLegacyId));
  await page.keyboard.press('Enter');
  await expect(verdict).toHaveAttribute('data-reason', 'already_inside');

  // Search by name.
  await page.getByLabel('Code du badge ou nom').fill(b.lastName);
  await page.getByRole('list', { name: 'Personnes trouvées' }).getByRole('button').first().click();
  await expect(verdict).toHaveAttribute('data-reason', /granted|already_inside/);
  await expect(page.getByTestId('stat-today')).not.toHaveText('0');
  await page.screenshot({ path: test.info().outputPath('door-manual.png'), fullPage: true });
});
