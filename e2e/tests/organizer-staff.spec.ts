import { expect, type Page, test } from '@playwright/test';
import { apiSignIn } from '../support/api';
import { localInput, signIn } from '../support/app';

/**
 * Organizer › Staff: invite a badge controller and a cashier by email, give the controller a room
 * for a time slot that is on now (shown as current), and deactivate someone; the server holds it all.
 */
test.use({ viewport: { width: 1360, height: 900 } });

const picture = (page: Page, name: string) => page.screenshot({ path: `../docs/images/${name}.png` });

interface Membership {
  id: string;
  userId: string;
  role: string;
  isActive: boolean;
}
interface Assignment {
  userId: string;
  roomId: string;
  role: string;
  startsAt: string;
  endsAt: string;
  isActive: boolean;
}

test('invite a badge controller and a cashier, assign the controller a room for a time slot', async ({ page }) => {
  const stamp = Date.now();
  const controllerEmail = `e2e.controller.${stamp}@example.org`;
  const cashierEmail = `e2e.cashier.${stamp}@example.org`;
  const organizer = await apiSignIn('organizer');
  const eventId = organizer.event.id;

  await signIn(page, 'organizer');
  await page
    .getByRole('link', { name: /Équipe/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: 'Équipe', level: 1 })).toBeVisible();
  const team = page.getByRole('table', { name: 'Membres et rôles' });
  await expect(team.getByRole('rowheader').first()).toBeVisible({ timeout: 30_000 });

  // A badge controller, invited by email (no account yet).
  await page.getByRole('button', { name: 'Inviter', exact: true }).click();
  const invite = page.getByRole('dialog', { name: 'Inviter une personne dans l’équipe' });
  await invite.getByLabel('E-mail').fill(controllerEmail);
  await invite.getByLabel('Prénom').fill('Karim');
  await invite.getByLabel('Nom de famille').fill(`Porte${stamp}`);
  await invite.getByLabel('Rôle').selectOption('badge_controller');
  await picture(page, 'organizer-staff-invite');
  await invite.getByRole('button', { name: 'Inviter et envoyer l’e-mail' }).click();
  await expect(page.getByRole('status').filter({ hasText: controllerEmail })).toBeVisible();

  // A wrong email is refused next to its field, nothing is sent.
  await page.getByRole('button', { name: 'Inviter', exact: true }).click();
  await invite.getByLabel('E-mail').fill('pas-une-adresse');
  await invite.getByRole('button', { name: 'Inviter et envoyer l’e-mail' }).click();
  await expect(invite.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await expect(invite.getByLabel('E-mail')).toBeFocused();
  await invite.getByLabel('E-mail').fill(cashierEmail);
  await invite.getByLabel('Rôle').selectOption('cashier');
  await invite.getByRole('button', { name: 'Inviter et envoyer l’e-mail' }).click();
  await expect(page.getByRole('status').filter({ hasText: cashierEmail })).toBeVisible();

  // Both reach this device by sync; search and the role filter find them.
  await page.getByRole('searchbox', { name: 'Rechercher dans l’équipe' }).fill(String(stamp));
  await expect(team.getByRole('row')).toHaveCount(3, { timeout: 30_000 });
  await page.getByRole('combobox', { name: 'Rôle' }).selectOption('badge_controller');
  await expect(team.getByRole('row')).toHaveCount(2);
  await expect(team.getByRole('rowheader', { name: `Karim Porte${stamp}` })).toBeVisible();
  await page.getByRole('combobox', { name: 'Rôle' }).selectOption('');

  const members = (await (await organizer.api.get(`/api/v1/events/${eventId}/memberships?q=${stamp}`)).json())
    .items as (Membership & { userEmail: string })[];
  expect(members.map((m) => [m.userEmail, m.role]).sort()).toEqual([
    [cashierEmail, 'cashier'],
    [controllerEmail, 'badge_controller'],
  ]);
  const controller = members.find((m) => m.role === 'badge_controller') as Membership;

  // A room for a slot that is on now: the team shows the room, the slot is « En cours ».
  await page.getByRole('button', { name: 'Affecter à une salle', exact: true }).click();
  const assign = page.getByRole('dialog', { name: 'Affecter à une salle pour un créneau' });
  await assign.getByLabel('Personne').selectOption(controller.userId);
  await assign.getByLabel('Salle').selectOption({ label: 'Auditorium A' });
  await assign.getByLabel('Début').fill(await localInput(page, -1));
  await assign.getByLabel('Fin').fill(await localInput(page, 3));
  await picture(page, 'organizer-staff-assign');
  await assign.getByRole('button', { name: 'Affecter', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'est affecté(e) à Auditorium A' })).toBeVisible();

  const slots = page.getByRole('table', { name: 'Affectations aux salles' });
  const slot = slots.getByRole('row').filter({ hasText: `Karim Porte${stamp}` });
  await expect(slot).toContainText('Auditorium A');
  await expect(slot).toContainText('En cours');
  await expect(team.getByRole('row').filter({ hasText: `Karim Porte${stamp}` })).toContainText('Auditorium A');

  const held = (await (
    await organizer.api.get(`/api/v1/events/${eventId}/room-assignments?userId=${controller.userId}`)
  ).json()) as { items: Assignment[] };
  expect(held.items).toHaveLength(1);
  expect(held.items[0]).toMatchObject({ role: 'badge_controller', isActive: true });
  const first = held.items[0] as Assignment;
  expect(Date.parse(first.startsAt)).toBeLessThan(Date.now());
  expect(Date.parse(first.endsAt)).toBeGreaterThan(Date.now());

  // The same person cannot be in two rooms at once: the server's refusal is shown in the dialog.
  await page.getByRole('button', { name: 'Affecter à une salle', exact: true }).click();
  await assign.getByLabel('Personne').selectOption(controller.userId);
  await assign.getByLabel('Salle').selectOption({ index: 1 });
  await assign.getByLabel('Début').fill(await localInput(page, 0));
  await assign.getByLabel('Fin').fill(await localInput(page, 1));
  await assign.getByRole('button', { name: 'Affecter', exact: true }).click();
  await expect(assign.getByRole('alert')).toBeVisible();
  await assign.getByRole('button', { name: 'Annuler' }).click();

  // Deactivate the cashier: written on this computer, it reaches the server by sync.
  await team
    .getByRole('row')
    .filter({ hasText: cashierEmail })
    .getByRole('button', { name: /^Désactiver/ })
    .click();
  await expect(team.getByRole('row').filter({ hasText: cashierEmail })).toContainText('Désactivé', { timeout: 30_000 });
  await page.getByRole('searchbox', { name: 'Rechercher dans l’équipe' }).fill('');
  await page.getByRole('heading', { name: 'Équipe', level: 1 }).scrollIntoViewIfNeeded();
  await picture(page, 'organizer-staff');
  await page
    .getByRole('region', { name: 'Affectations aux salles' })
    .screenshot({ path: '../docs/images/organizer-staff-assignments.png' });

  // The deactivation was written on this computer; it reaches the server by sync.
  const deactivated = async () =>
    (
      (await (await organizer.api.get(`/api/v1/events/${eventId}/memberships?q=${stamp}&isActive=false`)).json())
        .items as (Membership & { userEmail: string })[]
    ).map((m) => m.userEmail);
  await expect.poll(deactivated, { timeout: 30_000 }).toEqual([cashierEmail]);
  await organizer.api.dispose();
});
