import { expect, type Page, test } from '@playwright/test';
import { apiSignIn, baseURL } from '../support/api';
import { localInput, phoneContext, signIn, syncBar } from '../support/app';
import { linkIn, mailsTo } from '../support/mail';

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

test('a new person invited as cashier opens the mailed link, creates the account and reaches the cash desk', async ({
  page,
  browser,
}) => {
  const stamp = Date.now();
  const email = `e2e.newcashier.${stamp}@example.org`;

  // The organizer invites an email that has no account yet, as cashier.
  await signIn(page, 'organizer');
  await page
    .getByRole('link', { name: /Équipe/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Inviter', exact: true }).click();
  const invite = page.getByRole('dialog', { name: 'Inviter une personne dans l’équipe' });
  await invite.getByLabel('E-mail').fill(email);
  await invite.getByLabel('Prénom').fill('Nour');
  await invite.getByLabel('Rôle').selectOption('cashier');
  await invite.getByRole('button', { name: 'Inviter et envoyer l’e-mail' }).click();
  await expect(page.getByRole('status').filter({ hasText: email })).toBeVisible();

  // The invitation mail (captured in the server's outbox) links to the sign-up screen.
  await expect.poll(() => mailsTo(email).length, { timeout: 15_000 }).toBe(1);
  const mail = mailsTo(email)[0];
  expect(mail?.subject).toContain('caissier');
  expect(mail?.text).toContain(`Créez votre compte avec cette adresse e-mail (${email})`);
  const link = linkIn(mail, '/signup');
  expect(link, mail?.text).toBeTruthy();

  // The new person opens it on a phone: the email is filled in, the password policy answers.
  const context = await browser.newContext({ ...phoneContext, baseURL: baseURL() });
  const phone = await context.newPage();
  try {
    await phone.goto(link as string);
    await expect(phone.getByRole('heading', { name: 'Créer un compte', level: 1 })).toBeVisible();
    const emailField = phone.getByLabel('Adresse e-mail');
    await expect(emailField).toHaveValue(email);
    await expect(emailField).toHaveAttribute('readonly', '');
    await phone.getByLabel('Prénom').fill('Nour');
    await phone.getByLabel('Nom de famille').fill(`Caisse${stamp}`);
    const password = phone.getByLabel('Mot de passe', { exact: true });
    const confirm = phone.getByLabel('Confirmer le mot de passe');
    const create = phone.getByRole('button', { name: 'Créer mon compte' });
    // Too short: the server's reason, next to the field.
    await password.fill('court-1');
    await confirm.fill('court-1');
    await create.click();
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(phone.getByText('Au moins 10 caractères.')).toBeVisible();
    await expect(password).toBeFocused();
    await phone.screenshot({ path: '../docs/images/signup.png', fullPage: true });
    // Too common (the server's list): refused the same way.
    await password.fill('monkey123456');
    await confirm.fill('monkey123456');
    await create.click();
    await expect(phone.getByText('Mot de passe trop courant : choisissez-en un autre.')).toBeVisible();
    // The two entries differ: said on the device, nothing sent.
    await password.fill('caisse-nour-2026');
    await confirm.fill('caisse-nour-2025');
    await create.click();
    await expect(phone.getByText('Les deux mots de passe ne sont pas identiques.')).toBeVisible();
    await confirm.fill('caisse-nour-2026');
    await create.click();

    // Signed in, in the event, with the role that was waiting: the cash desk.
    await expect(phone).toHaveURL(/\/cash-desk$/, { timeout: 30_000 });
    await expect(syncBar(phone)).toBeVisible();
    await expect(phone.getByRole('banner')).toContainText('Caisse');
    await expect(phone.getByRole('navigation', { name: 'Sections de la caisse' })).toBeVisible();
  } finally {
    await context.close();
  }

  // One account for this email: the invitation's, now with a password and its cashier role.
  const organizer = await apiSignIn('organizer');
  const members = (
    (await (await organizer.api.get(`/api/v1/events/${organizer.event.id}/memberships?q=${stamp}`)).json()) as {
      items: { userEmail: string; role: string; isActive: boolean }[];
    }
  ).items;
  expect(members.map((m) => [m.userEmail, m.role, m.isActive])).toEqual([[email, 'cashier', true]]);
  await organizer.api.dispose();

  // From the sign-in screen, « Créer un compte » again with that email: « connectez-vous ».
  const again = await browser.newContext({ ...phoneContext, baseURL: baseURL() });
  const other = await again.newPage();
  try {
    await other.goto('/login');
    await other.getByRole('link', { name: 'Créer un compte' }).click();
    await expect(other).toHaveURL(/\/signup$/);
    await other.getByLabel('Prénom').fill('Nour');
    await other.getByLabel('Adresse e-mail').fill(email);
    await other.getByLabel('Mot de passe', { exact: true }).fill('another-pass-2026');
    await other.getByLabel('Confirmer le mot de passe').fill('another-pass-2026');
    await other.getByRole('button', { name: 'Créer mon compte' }).click();
    await expect(other.getByText('Un compte existe déjà avec cette adresse : connectez-vous.')).toBeVisible();
    await expect(other.getByLabel('Adresse e-mail')).toHaveAttribute('aria-invalid', 'true');
    await other.getByRole('link', { name: 'Se connecter' }).first().click();
    await expect(other).toHaveURL(/\/login$/);
  } finally {
    await again.close();
  }
});
