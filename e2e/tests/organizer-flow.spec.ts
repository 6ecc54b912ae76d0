import { type APIRequestContext, type Browser, expect, type Page, request, test } from '@playwright/test';
import { setDoor, typeCode, waitForDoorReady } from '../fixtures/door';
import { apiSignIn, baseURL } from '../support/api';
import { localInput, phoneContext, signIn, syncBar } from '../support/app';
import { linkIn, mailsTo } from '../support/mail';

/**
 * The organizer console's must-hold, as ONE continuous flow on a NEW event (not the demo): an
 * organizer creates the event through the wizard with a PDF programme, opens it, adds a room,
 * imports 1,000 participants from a CSV with 3 bad rows (reported, not imported: the server holds
 * exactly 997 new registrations), creates a paid workshop, invites a badge controller (given the
 * room) and a cashier from the staff page; then the controller, on a phone signed in to that event,
 * checks in one of the imported participants and the organizer's live dashboard, open all along,
 * shows it without a reload.
 */
test.use({ viewport: { width: 1360, height: 900 } });

const NAME_PREFIX = 'Parcours e2e organisateur';
const CONTROLLER_PASSWORD = 'porte-nord-2027!';

/** A real PDF of about `bytes` bytes. */
function pdfOf(bytes: number): Buffer {
  const head = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n';
  const filler = `%${'x'.repeat(78)}\n`.repeat(Math.ceil(bytes / 80));
  return Buffer.from(`${head}${filler}trailer << /Root 1 0 R >>\n%%EOF\n`);
}

/** 1,000 data rows, three of them bad (no first name, two invalid emails); emails unique to this run. */
function participantsCsv(stamp: number): string {
  const lines = ['Prénom;Nom;Courriel;Organisme;Catégorie'];
  for (let i = 1; i <= 997; i++) lines.push(`Flux${i};Parcours;flux${stamp}.${i}@example.org;CHU Oran;Médecin`);
  lines.splice(100, 0, `;SansPrénom;flux${stamp}.sans@example.org;;`);
  lines.splice(500, 0, 'Mauvais;Courriel;pas-un-courriel;;');
  lines.splice(800, 0, 'Autre;Courriel;toujours@pas;;');
  return lines.join('\n');
}

/** The number shown in a dashboard figure (« 1 234 » → 1234). */
async function figure(page: Page, label: string): Promise<number> {
  const stat = page
    .getByRole('region', { name: 'En chiffres' })
    .locator('.stat')
    .filter({ has: page.getByText(label, { exact: true }) });
  const text = (await stat.locator('.stat__value').textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

/** The demo organizer's API, with tokens bound to `eventId`. Dispose it when done. */
async function organizerApiOn(eventId: string): Promise<APIRequestContext> {
  const organizer = await apiSignIn('organizer');
  try {
    const sel = await organizer.api.post('/api/v1/auth/select-event', { data: { eventId } });
    expect(sel.status(), await sel.text()).toBe(200);
    const { accessToken } = (await sel.json()) as { accessToken: string };
    return await request.newContext({
      baseURL: baseURL(),
      extraHTTPHeaders: { authorization: `Bearer ${accessToken}` },
    });
  } finally {
    await organizer.api.dispose();
  }
}

/** Events made by this spec are removed, even after a failure: other specs expect the demo alone. */
async function removeLeftovers() {
  const organizer = await apiSignIn('organizer');
  try {
    const list = (await (await organizer.api.get('/api/v1/events?pageSize=500')).json()) as {
      items: { id: string; name: string }[];
    };
    for (const e of list.items.filter((i) => i.name.startsWith(NAME_PREFIX))) {
      const api = await organizerApiOn(e.id);
      await api.delete(`/api/v1/events/${e.id}`);
      await api.dispose();
    }
  } finally {
    await organizer.api.dispose();
  }
}
test.beforeAll(removeLeftovers);
test.afterAll(removeLeftovers);

/** A phone in its own browser context, signed in through the login screen with `email`. */
async function phoneSignedIn(browser: Browser, email: string, password: string) {
  const context = await browser.newContext({
    baseURL: baseURL(),
    ...phoneContext,
  });
  const phone = await context.newPage();
  await phone.goto('/login');
  await phone.getByLabel('Adresse e-mail').fill(email);
  await phone.getByLabel('Mot de passe').fill(password);
  await phone.getByRole('button', { name: 'Se connecter' }).click();
  return { context, phone };
}

test('one flow: a new event set up from the console, run with a door, seen live on the dashboard', async ({
  page,
  browser,
}) => {
  // Ten steps, a thousand rows imported and synced to two devices: a long test by nature.
  test.setTimeout(300_000);
  const stamp = Date.now();
  const name = `${NAME_PREFIX} ${stamp}`;
  const room = `Salle Atlas ${stamp}`;
  const controllerEmail = `flux.controle.${stamp}@example.org`;
  const cashierEmail = `flux.caisse.${stamp}@example.org`;
  const programme = pdfOf(300_000);
  const console = page.getByRole('complementary', { name: 'Sections de la console' });

  // 1. The wizard: a new event running from yesterday to tomorrow, with its PDF programme.
  await signIn(page, 'organizer');
  await console.getByRole('link', { name: 'Événements' }).click();
  await page.getByRole('link', { name: 'Créer un événement' }).click();
  await expect(page.getByRole('heading', { name: 'Créer un événement' })).toBeVisible();
  await page.getByLabel('Nom de l’événement').fill(name);
  await page.getByLabel('Début', { exact: true }).fill(await localInput(page, -24));
  await page.getByLabel('Fin', { exact: true }).fill(await localInput(page, 48));
  await page.getByLabel('Lieu', { exact: true }).fill('Centre des congrès, Oran');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page
    .getByTestId('file-programme')
    .locator('input[type=file]')
    .setInputFiles({ name: 'programme.pdf', mimeType: 'application/pdf', buffer: programme });
  await expect(page.getByTestId('file-programme')).toContainText('programme.pdf');
  for (let step = 0; step < 3; step++) await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('button', { name: 'Créer l’événement' }).click();
  await expect(page).toHaveURL(/\/organizer\/events$/, { timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: `« ${name} » a été créé.` })).toBeVisible();

  // The server holds it with its programme, served as the same PDF.
  const demo = await apiSignIn('organizer');
  const mine = (await (await demo.api.get('/api/v1/events?pageSize=500')).json()) as {
    items: { id: string; name: string; programmeUrl: string | null }[];
  };
  await demo.api.dispose();
  const created = mine.items.find((e) => e.name === name);
  expect(created?.programmeUrl).toBeTruthy();
  const eventId = created?.id as string;
  const anon = await request.newContext({ baseURL: baseURL() });
  const file = await anon.get(created?.programmeUrl as string);
  expect(file.headers()['content-type']).toBe('application/pdf');
  expect((await file.body()).equals(programme)).toBe(true);
  await anon.dispose();
  const api = await organizerApiOn(eventId);

  // 2. Open it on this device: the console now works on the new event.
  await page.getByRole('button', { name: `Ouvrir « ${name} » sur cet appareil` }).click();
  await expect(page).toHaveURL(/\/organizer$/);
  await expect(page.getByText(name).first()).toBeVisible();
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 60_000 });

  // 3. A room, where the door will stand.
  await console.getByRole('link', { name: /Salles/ }).click();
  await page.getByRole('button', { name: 'Nouvelle salle' }).first().click();
  const roomForm = page.getByRole('dialog', { name: 'Nouvelle salle' });
  await roomForm.getByLabel(/^Nom/).fill(room);
  await roomForm.getByLabel(/^Capacité/).fill('400');
  await roomForm.getByRole('button', { name: 'Créer la salle' }).click();
  await expect(page.getByText(`Salle « ${room} » créée.`)).toBeVisible();

  // 4. 1,000 rows from a CSV, three bad: reported, not imported.
  await console.getByRole('link', { name: /Participants/ }).click();
  await expect(page.getByRole('heading', { name: 'Participants', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Importer un CSV' }).click();
  await page.getByLabel('Fichier CSV').setInputFiles({
    name: 'participants.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(participantsCsv(stamp), 'utf8'),
  });
  await expect(page.getByLabel('E-mail', { exact: true })).toHaveValue('2');
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  await expect(page.getByText(/997 participants à importer/)).toBeVisible();
  await expect(page.getByText('3 lignes invalides, non importées')).toBeVisible();
  const errors = page.getByRole('table', { name: 'Lignes invalides' });
  await expect(errors.getByRole('row')).toHaveCount(4);
  await expect(errors).toContainText('pas-un-courriel');
  await expect(errors).toContainText('toujours@pas');
  await page.getByRole('button', { name: /Importer 997 participants/ }).click();
  await expect(page.getByText(/997 participants importés\./)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('3 lignes invalides n’ont pas été importées.')).toBeVisible();
  await page.getByRole('button', { name: 'Fermer' }).last().click();
  // The server holds exactly 997 registrations in the new event, none of the bad rows.
  const listed = async (q: string) =>
    (
      (await (
        await api.get(`/api/v1/events/${eventId}/participants?q=${encodeURIComponent(q)}&pageSize=1`)
      ).json()) as { total: number }
    ).total;
  expect(await listed('')).toBe(997);
  expect(await listed(`flux${stamp}`)).toBe(997);
  expect(await listed('SansPrénom')).toBe(0);
  // And they reach this device by sync.
  await page.getByRole('searchbox').fill('flux997 parcours');
  await expect(page.getByRole('rowheader', { name: 'Flux997 Parcours' })).toBeVisible({ timeout: 30_000 });

  // 5. A paid workshop tomorrow, with its price and places.
  await console.getByRole('link', { name: /Sessions/ }).click();
  await expect(page.getByRole('heading', { name: 'Sessions', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Nouvelle session' }).first().click();
  const form = page.getByRole('dialog', { name: 'Nouvelle session' });
  await form.getByLabel(/^Titre \*/).fill('Atelier suture du parcours');
  await form.getByLabel('Type').selectOption('workshop');
  await form.getByLabel('Salle').selectOption({ label: room });
  await form.getByLabel('Début').fill(await localInput(page, 24));
  await form.getByLabel('Fin').fill(await localInput(page, 27));
  await form.getByLabel('Atelier payant').check();
  await form.getByLabel('Tarif').fill('3500');
  await form.getByLabel(/Places/).fill('25');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText(/Session « Atelier suture du parcours » enregistrée/)).toBeVisible();
  await expect
    .poll(async () => {
      const res = await api.get(`/api/v1/events/${eventId}/sessions?pageSize=500`);
      const body = (await res.json()) as { items: { title: string; priceMinor: number; capacity: number | null }[] };
      const s = body.items.find((x) => x.title === 'Atelier suture du parcours');
      return s ? `${s.priceMinor} ${s.capacity}` : 'missing';
    })
    .toBe('350000 25');

  // 6. The team: a badge controller given the room for a slot on now, and a cashier.
  await console.getByRole('link', { name: /Équipe/ }).click();
  await expect(page.getByRole('heading', { name: 'Équipe', level: 1 })).toBeVisible();
  const invite = page.getByRole('dialog', { name: 'Inviter une personne dans l’équipe' });
  for (const [email, first, role] of [
    [controllerEmail, 'Nadia', 'badge_controller'],
    [cashierEmail, 'Samir', 'cashier'],
  ] as const) {
    await page.getByRole('button', { name: 'Inviter', exact: true }).click();
    await invite.getByLabel('E-mail').fill(email);
    await invite.getByLabel('Prénom').fill(first);
    await invite.getByLabel('Nom de famille').fill(`Parcours${stamp}`);
    await invite.getByLabel('Rôle').selectOption(role);
    await invite.getByRole('button', { name: 'Inviter et envoyer l’e-mail' }).click();
    await expect(page.getByRole('status').filter({ hasText: email })).toBeVisible();
  }
  const team = page.getByRole('table', { name: 'Membres et rôles' });
  await expect(team.getByRole('rowheader', { name: `Nadia Parcours${stamp}` })).toBeVisible({ timeout: 30_000 });
  const members = (await (await api.get(`/api/v1/events/${eventId}/memberships?q=${stamp}`)).json()).items as {
    userId: string;
    userEmail: string;
    role: string;
  }[];
  expect(members.map((m) => [m.userEmail, m.role]).sort()).toEqual([
    [cashierEmail, 'cashier'],
    [controllerEmail, 'badge_controller'],
  ]);
  const controllerId = members.find((m) => m.role === 'badge_controller')?.userId as string;
  await page.getByRole('button', { name: 'Affecter à une salle', exact: true }).click();
  const assign = page.getByRole('dialog', { name: 'Affecter à une salle pour un créneau' });
  await assign.getByLabel('Personne').selectOption(controllerId);
  await assign.getByLabel('Salle').selectOption({ label: room });
  await assign.getByLabel('Début').fill(await localInput(page, -1));
  await assign.getByLabel('Fin').fill(await localInput(page, 4));
  await assign.getByRole('button', { name: 'Affecter', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `est affecté(e) à ${room}` })).toBeVisible();
  const slot = page.getByRole('table', { name: 'Affectations aux salles' }).getByRole('row').filter({ hasText: room });
  await expect(slot).toContainText('En cours');

  // 7. The live dashboard of the new event, left open from here on.
  await console.getByRole('link', { name: /Tableau de bord/ }).click();
  await expect(page.getByTestId('dashboard-live')).toHaveAttribute('data-live', 'true', { timeout: 30_000 });
  await expect.poll(() => figure(page, 'Inscrits')).toBe(997);
  const grantedBefore = await figure(page, 'Passages accordés');

  // 8. The invited controller creates the account the invitation waits for, with the invitation of
  // the mailed link (organizer-staff.spec.ts does it on the sign-up screen), then signs in on a
  // phone: that event opens, on the door.
  const invitationLink = linkIn(mailsTo(controllerEmail).at(-1), '/signup');
  expect(invitationLink).toBeTruthy();
  const anonymous = await request.newContext({ baseURL: baseURL() });
  const signup = await anonymous.post('/api/v1/auth/register', {
    data: {
      email: controllerEmail,
      password: CONTROLLER_PASSWORD,
      firstName: 'Nadia',
      lastName: `Parcours${stamp}`,
      invitation: new URL(invitationLink as string).searchParams.get('invitation'),
    },
  });
  expect(signup.status(), await signup.text()).toBe(201);
  await anonymous.dispose();
  const person = (
    (await (await api.get(`/api/v1/events/${eventId}/participants?q=Flux42&pageSize=500`)).json()) as {
      items: { firstName: string; lastName: string; badgeCode: string; email: string }[];
    }
  ).items.find((p) => p.email === `flux${stamp}.42@example.org`);
  expect(person?.badgeCode).toBeTruthy();
  const door = await phoneSignedIn(browser, controllerEmail, CONTROLLER_PASSWORD);
  try {
    const phone = door.phone;
    await expect(phone).toHaveURL(/\/door$/);
    await waitForDoorReady(phone);
    await expect(syncBar(phone).getByRole('status')).toHaveText('En ligne', { timeout: 30_000 });
    await setDoor(phone, room);
    await typeCode(phone, person?.badgeCode as string);
    const verdict = phone.getByTestId('door-verdict');
    await expect(verdict).toContainText('Flux42 Parcours');
    await expect(verdict).toContainText('Entrée autorisée');
    await expect(syncBar(phone)).toContainText('Tout est envoyé', { timeout: 30_000 });
  } finally {
    await door.context.close();
  }

  // 9. No reload: the dashboard shows the check-in, and who it was.
  await expect.poll(() => figure(page, 'Passages accordés'), { timeout: 30_000 }).toBe(grantedBefore + 1);
  const recent = page.getByRole('region', { name: 'Activité récente' });
  await expect(recent.getByRole('listitem').filter({ hasText: 'Flux42 Parcours' }).first()).toContainText(room);
  await page.screenshot({ path: '../docs/images/organizer-flow-dashboard.png', fullPage: true });
  await api.dispose();
});
