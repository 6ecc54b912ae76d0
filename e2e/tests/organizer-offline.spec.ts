import { expect, type Page, test } from '@playwright/test';
import { type ApiSession, apiSignIn } from '../support/api';
import { signIn, syncBar, waitForServiceWorkerControl } from '../support/app';

/**
 * The organizer console offline: after a reload with no network, rooms, sessions and participants
 * still show (they are read from the device's database, the shell from the service worker), an
 * edit made offline is kept on the device, and it reaches the server once the network is back; the same
 * for items on sale, cash registers and staff roles.
 */
test.use({ viewport: { width: 1360, height: 900 } });

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

/** Records seeded online for one test alone, through the organizer's REST API (201 expected). */
function seeder(organizer: ApiSession) {
  return async (path: string, data: Record<string, unknown>) => {
    const res = await organizer.api.post(`/api/v1/events/${organizer.event.id}/${path}`, { data });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as { id: string };
  };
}

test('the console reads offline after a reload, and an edit made offline syncs when back online', async ({
  page,
  context,
}) => {
  await signIn(page, 'organizer');
  await waitForServiceWorkerControl(page);
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });
  // Everything the console keeps has reached the device before the network goes.
  await nav(page, 'Participants').click();
  await expect(page.getByRole('heading', { name: 'Participants', level: 1 })).toBeVisible();
  await expect(page.getByRole('main').getByRole('table')).toBeVisible({ timeout: 30_000 });

  await context.setOffline(true);
  await page.reload();
  await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne', { timeout: 20_000 });
  await expect(page.getByRole('heading', { name: 'Participants', level: 1 })).toBeVisible();
  await expect(page.getByRole('table').getByRole('rowheader').first()).toBeVisible({ timeout: 30_000 });

  await nav(page, 'Sessions').click();
  await expect(page.getByRole('heading', { name: 'Sessions', level: 1 })).toBeVisible();
  await expect(page.getByRole('article').first()).toBeVisible({ timeout: 20_000 });

  await nav(page, 'Salles').click();
  await expect(page.getByRole('rowheader', { name: /Auditorium A/ })).toBeVisible({ timeout: 20_000 });

  // An edit offline: the hall moves, on this device first.
  const where = `Hall 2, niveau 0 (modifié hors ligne ${Date.now()})`;
  await page.getByRole('button', { name: 'Modifier la salle Hall d’exposition' }).click();
  const form = page.getByRole('dialog');
  await form.getByLabel('Emplacement').fill(where);
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Salle « Hall d’exposition » enregistrée.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Hall d’exposition/ })).toContainText(where);
  await expect(syncBar(page)).toContainText('1 opération en attente');
  await page.screenshot({ path: '../docs/images/organizer-offline.png', fullPage: true });

  // The dashboard offline shows the last figures it had, and says they are not live.
  await nav(page, 'Tableau de bord').click();
  await expect(page.getByTestId('dashboard-live')).toHaveAttribute('data-live', 'false');
  await expect(page.getByRole('region', { name: 'En chiffres' }).locator('.stat__value').first()).toHaveText(
    /^\d[\d\s\u202f]*$/,
  );

  await context.setOffline(false);
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });
  const organizer = await apiSignIn('organizer');
  await expect
    .poll(async () => {
      const res = await organizer.api.get(
        `/api/v1/events/${organizer.event.id}/rooms?q=${encodeURIComponent('Hall d’exposition')}`,
      );
      const body = (await res.json()) as { items: { name: string; location: string }[] };
      return body.items.find((r) => r.name === 'Hall d’exposition')?.location;
    })
    .toBe(where);
  await organizer.api.dispose();
});

test('an offline edit that lost to a newer version shows both versions in the inbox and is re-applied', async ({
  page,
  context,
}) => {
  const organizer = await apiSignIn('organizer');
  const E = organizer.event.id;
  const roomOnServer = async () => {
    const res = await organizer.api.get(`/api/v1/events/${E}/rooms?q=${encodeURIComponent('Salle B')}`);
    const body = (await res.json()) as { items: { id: string; name: string; location: string; rev: number }[] };
    return body.items.find((r) => r.name === 'Salle B') as { id: string; location: string; rev: number };
  };
  const stamp = Date.now();
  const mine = `Aile nord (console hors ligne ${stamp})`;
  const theirs = `Aile sud (autre poste ${stamp})`;

  await signIn(page, 'organizer');
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });
  await nav(page, 'Salles').click();
  await expect(page.getByRole('rowheader', { name: /Salle B/ })).toBeVisible({ timeout: 20_000 });

  // Offline, this console moves Salle B; meanwhile someone else moves it on the server.
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Modifier la salle Salle B' }).click();
  await page.getByRole('dialog').getByLabel('Emplacement').fill(mine);
  await page.getByRole('dialog').getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row', { name: /Salle B/ })).toContainText(mine);
  const before = await roomOnServer();
  const patched = await organizer.api.patch(`/api/v1/events/${E}/rooms/${before.id}`, {
    data: { location: theirs, rev: before.rev },
  });
  expect(patched.status(), await patched.text()).toBe(200);

  // Back online: the server's newer version wins on every device, the lost edit becomes a flag.
  await context.setOffline(false);
  await expect(page.getByRole('row', { name: /Salle B/ })).toContainText(theirs, { timeout: 30_000 });
  await nav(page, 'Rapprochement').click();
  await page.getByRole('combobox', { name: 'Type' }).selectOption('conflicting_edit');
  await page.getByLabel('Rechercher dans les signalements').fill(String(stamp));
  const card = page.getByRole('article', { name: 'Modification en conflit' });
  await expect(card).toHaveCount(1, { timeout: 30_000 });
  const versions = card.getByRole('table', { name: 'Les deux versions' });
  await expect(versions.getByRole('row', { name: /location/ })).toContainText(mine);
  await expect(versions.getByRole('row', { name: /location/ })).toContainText(theirs);

  await card.screenshot({ path: '../docs/images/organizer-conflict.png' });

  // Re-applied as a new edit on top of the server's version: the flag is resolved, the edit syncs.
  await card.getByRole('button', { name: 'Réappliquer ma modification' }).click();
  await expect(card).toHaveCount(0);
  await expect.poll(async () => (await roomOnServer()).location, { timeout: 30_000 }).toBe(mine);
  await organizer.api.dispose();
});

test('offline, an item’s price, a register’s deactivation and a role change are kept and reach the server', async ({
  page,
  context,
}) => {
  test.slow(); // three pages, offline then online: a long flow on a shared machine
  // Seeded online for this test alone (other tests use the demo's register and people).
  const organizer = await apiSignIn('organizer');
  const E = organizer.event.id;
  const stamp = Date.now();
  const made = seeder(organizer);
  const item = await made('payable-items', {
    name: `Déjeuner ${stamp}`,
    kind: 'dinner',
    priceMinor: 100_000,
    isActive: true,
  });
  const register = await made('cash-registers', {
    name: `Caisse hors ligne ${stamp}`,
    email: `caisse.offline.${stamp}@example.org`,
    password: 'un-bon-mot-de-passe',
  });
  const member = await made('memberships', {
    email: `e2e.offline.${stamp}@example.org`,
    firstName: 'Lina',
    lastName: `Horsligne${stamp}`,
    role: 'badge_controller',
  });

  await signIn(page, 'organizer');
  // A computer that has opened the console before: the app (every section) is cached for offline.
  await waitForServiceWorkerControl(page);
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });
  await nav(page, 'Caisses').click();
  const items = page.getByRole('table', { name: 'Articles en vente' });
  const registers = page.getByRole('table', { name: 'Caisses', exact: true });
  await expect(items.getByRole('rowheader', { name: `Déjeuner ${stamp}` })).toBeVisible({ timeout: 30_000 });
  await expect(registers.getByRole('rowheader', { name: new RegExp(`Caisse hors ligne ${stamp}`) })).toBeVisible({
    timeout: 30_000,
  });

  await context.setOffline(true);
  await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne', { timeout: 20_000 });
  // Creating a register (a login) needs the network, and the page says so.
  await expect(page.getByRole('button', { name: 'Nouvelle caisse' })).toBeDisabled();
  await expect(page.getByText('Hors ligne : créer une caisse demande le réseau')).toBeVisible();

  // A new price, typed as people write it.
  await page.getByRole('button', { name: `Modifier Déjeuner ${stamp}` }).click();
  const itemForm = page.getByRole('dialog');
  await itemForm.getByLabel(/^Prix/).fill('1 250,50');
  await itemForm.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(items.getByRole('row').filter({ hasText: `Déjeuner ${stamp}` })).toContainText(/1\s250,50 DZD/);

  // The register is deactivated.
  await page.getByRole('button', { name: `Désactiver la caisse Caisse hors ligne ${stamp}` }).click();
  await expect(registers.getByRole('row').filter({ hasText: `Caisse hors ligne ${stamp}` })).toContainText(
    'Désactivée',
  );

  // The badge controller becomes a room manager.
  await nav(page, 'Équipe').click();
  await expect(page.getByRole('button', { name: 'Inviter', exact: true })).toBeDisabled();
  await expect(page.getByText('Hors ligne : inviter demande le réseau')).toBeVisible();
  const team = page.getByRole('table', { name: 'Membres et rôles' });
  await page.getByRole('button', { name: `Modifier Lina Horsligne${stamp}` }).click();
  const memberForm = page.getByRole('dialog');
  await memberForm.getByLabel('Rôle').selectOption('room_manager');
  await memberForm.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(team.getByRole('row').filter({ hasText: `Horsligne${stamp}` })).toContainText('Gestionnaire de salle');
  await expect(syncBar(page)).toContainText('3 opérations en attente');

  // Back online: the server holds all three.
  await context.setOffline(false);
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });
  const held = async (path: string) =>
    (await (await organizer.api.get(`/api/v1/events/${E}/${path}`)).json()) as Record<string, unknown>;
  await expect.poll(async () => (await held(`payable-items/${item.id}`)).priceMinor, { timeout: 30_000 }).toBe(125_050);
  await expect
    .poll(async () => (await held(`cash-registers/${register.id}`)).isActive, { timeout: 30_000 })
    .toBe(false);
  await expect
    .poll(async () => (await held(`memberships/${member.id}`)).role, { timeout: 30_000 })
    .toBe('room_manager');
  await organizer.api.dispose();
});

test('an offline edit the server refuses is set aside with its reason, and the other edits go through', async ({
  page,
  context,
}) => {
  test.slow(); // offline then online, then the inbox: a long flow on a shared machine
  const organizer = await apiSignIn('organizer');
  const E = organizer.event.id;
  const stamp = Date.now();
  const made = seeder(organizer);
  const room = await made('rooms', { name: `Salle éphémère ${stamp}`, capacity: 30 });
  const refused = await made('memberships', {
    email: `e2e.refused.${stamp}@example.org`,
    firstName: 'Nadia',
    lastName: `Refus${stamp}`,
    role: 'badge_controller',
  });
  const accepted = await made('memberships', {
    email: `e2e.accepted.${stamp}@example.org`,
    firstName: 'Karim',
    lastName: `Accord${stamp}`,
    role: 'badge_controller',
  });

  await signIn(page, 'organizer');
  await waitForServiceWorkerControl(page);
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });
  await nav(page, 'Équipe').click();
  const team = page.getByRole('table', { name: 'Membres et rôles' });
  await expect(team.getByRole('row').filter({ hasText: `Accord${stamp}` })).toBeVisible({ timeout: 30_000 });

  // Offline: Nadia is to manage the new room, Karim becomes a cashier.
  await context.setOffline(true);
  await expect(syncBar(page).getByRole('status')).toHaveText('Hors ligne', { timeout: 20_000 });
  await page.getByRole('button', { name: `Modifier Nadia Refus${stamp}` }).click();
  let form = page.getByRole('dialog');
  await form.getByLabel('Rôle').selectOption('room_manager');
  await form.getByLabel('Salle gérée').selectOption({ label: `Salle éphémère ${stamp}` });
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(team.getByRole('row').filter({ hasText: `Refus${stamp}` })).toContainText('Gestionnaire de salle');
  await page.getByRole('button', { name: `Modifier Karim Accord${stamp}` }).click();
  form = page.getByRole('dialog');
  await form.getByLabel('Rôle').selectOption('cashier');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(syncBar(page)).toContainText('2 opérations en attente');

  // Meanwhile, on another computer, that room is deleted.
  const deleted = await organizer.api.delete(`/api/v1/events/${E}/rooms/${room.id}`);
  expect(deleted.status(), await deleted.text()).toBe(204);

  // Back online: Karim's change goes through; Nadia's is refused, undone here, and said so.
  await context.setOffline(false);
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });
  const banner = syncBar(page).getByRole('alert').filter({ hasText: 'refusée par le serveur' });
  await expect(banner).toContainText('1 modification refusée par le serveur.');
  await expect(banner).toContainText('no such room in this event');
  await expect(team.getByRole('row').filter({ hasText: `Refus${stamp}` })).toContainText('Contrôleur', {
    timeout: 30_000,
  });
  const role = async (id: string) =>
    ((await (await organizer.api.get(`/api/v1/events/${E}/memberships/${id}`)).json()) as { role: string }).role;
  await expect.poll(() => role(accepted.id), { timeout: 30_000 }).toBe('cashier');
  expect(await role(refused.id)).toBe('badge_controller');
  await banner.getByRole('button', { name: 'Compris' }).click();
  await expect(banner).toHaveCount(0);

  // Kept in the inbox with the server's reason and both versions.
  await nav(page, 'Rapprochement').click();
  await page.getByRole('combobox', { name: 'Type' }).selectOption('refused_edit');
  await page.getByLabel('Rechercher dans les signalements').fill(`Refus${stamp}`);
  const card = page.getByRole('article', { name: 'Modification refusée par le serveur' });
  await expect(card).toHaveCount(1, { timeout: 30_000 });
  await expect(card).toContainText('assignedRoomId : no such room in this event');
  const versions = card.getByRole('table', { name: 'Les deux versions' });
  await expect(versions.getByRole('row', { name: /^role/ })).toContainText('room_manager');
  await expect(versions.getByRole('row', { name: /^role/ })).toContainText('badge_controller');
  await card.screenshot({ path: '../docs/images/organizer-refused-edit.png' });
  await organizer.api.dispose();
});
