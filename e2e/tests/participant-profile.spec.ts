import { expect, test } from '@playwright/test';
import { pullAll } from '../fixtures/door';
import { apiSignIn } from '../support/api';
import { phoneViewport, signIn, storedSession } from '../support/app';

test.use({ viewport: phoneViewport, hasTouch: true, isMobile: true });

interface Registration {
  userId: string | null;
  firstName: string;
  lastName: string;
  phone: string;
}

test('a participant edits the profile: a bad phone is refused next to the field, the new name reaches the organizer', async ({
  page,
}) => {
  const participant = await apiSignIn('participant');
  const me = (await (await participant.api.get('/api/v1/auth/me')).json()) as {
    user: { id: string; firstName: string; lastName: string; phone: string };
  };
  const original = me.user;
  try {
    await signIn(page, 'participant');
    await page.getByRole('button', { name: 'Compte', exact: true }).click();
    const form = page.getByRole('form', { name: 'Profil' });
    await expect(form.getByLabel('Prénom')).toHaveValue(original.firstName);

    await form.getByLabel('Téléphone').fill('appelez-moi');
    await form.getByRole('button', { name: 'Enregistrer le profil' }).click();
    await expect(form.getByLabel('Téléphone')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByRole('alert')).toContainText('Échec');

    await form.getByLabel('Prénom').fill('Nadia');
    await form.getByLabel('Nom', { exact: true }).fill('Belkacem');
    await form.getByLabel('Téléphone').fill('+213 661 00 11 22');
    await form.getByRole('button', { name: 'Enregistrer le profil' }).click();
    await expect(form.getByRole('status')).toHaveText('Profil enregistré.');
    await expect(form.getByLabel('Téléphone')).not.toHaveAttribute('aria-invalid', 'true');
    await form.screenshot({ path: '../docs/images/participant-profile.png' });

    // The device keeps the new name for the next start (the account menu shows it).
    const stored = (await storedSession(page)) as { user: { firstName: string; lastName: string } };
    expect(stored.user).toMatchObject({ firstName: 'Nadia', lastName: 'Belkacem' });
    await page.reload();
    await page.getByRole('button', { name: 'Compte', exact: true }).click();
    await expect(page.getByRole('form', { name: 'Profil' }).getByLabel('Prénom')).toHaveValue('Nadia');

    // The organizer's registration list has the new name and phone (synced through the record store).
    const organizer = await apiSignIn('organizer');
    const mine = (await pullAll<Registration>(organizer, 'participants')).filter((p) => p.userId === original.id);
    expect(mine).toEqual([
      expect.objectContaining({ firstName: 'Nadia', lastName: 'Belkacem', phone: '+213 661 00 11 22' }),
    ]);
    await organizer.api.dispose();
  } finally {
    // Other specs know the demo participant by its name: put it back.
    const back = await participant.api.patch('/api/v1/auth/me', {
      data: { firstName: original.firstName, lastName: original.lastName, phone: original.phone },
    });
    expect(back.status(), await back.text()).toBe(200);
    await participant.api.dispose();
  }
});
