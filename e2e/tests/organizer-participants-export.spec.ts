import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { signIn } from '../support/app';

/**
 * Organizer › Participants: « Exporter la liste » writes the rows on screen, with the search, the
 * filters and the sort as set (issue: exports filtered as on screen).
 */
test.use({ viewport: { width: 1360, height: 900 } });

test('the participants export carries the search, the filters and the sort on screen', async ({ page }) => {
  await signIn(page, 'organizer');
  await page.getByRole('navigation').getByRole('link', { name: 'Participants', exact: true }).click();
  const table = page.getByRole('main').getByRole('table');
  await expect(table.getByRole('rowheader').first()).toBeVisible({ timeout: 30_000 });

  // Search « chu » (accents and case ignored), category Étudiant, sorted by email, descending.
  await page.getByLabel('Rechercher un participant').fill('chu');
  await page.getByRole('combobox', { name: 'Catégorie' }).selectOption('Étudiant');
  const emailHeader = table.getByRole('columnheader', { name: 'E-mail' });
  await emailHeader.getByRole('button').click();
  await emailHeader.getByRole('button').click();
  await expect(emailHeader).toHaveAttribute('aria-sort', 'descending');
  const count = page.getByText(/^\d[\d\s\u202f]* sur \d[\d\s\u202f]* participants$/);
  await expect(count).toBeVisible();
  const shown = Number((await count.textContent())?.split(' sur ')[0]?.replace(/\D/g, ''));
  expect(shown).toBeGreaterThan(0);
  // The emails of the page on screen, read from the email column.
  const onScreen = await table.evaluate((t) => {
    const heads = [...t.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
    const col = heads.findIndex((h) => h.startsWith('E-mail'));
    return [...t.querySelectorAll('tbody tr')].map((r) => (r.children[col]?.textContent ?? '').trim());
  });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Exporter la liste en CSV/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^participants-.*\.csv$/);
  const text = (await readFile(await file.path(), 'utf8')).replace(/^\uFEFF/, '');
  const [header, ...lines] = text.trim().split('\r\n');
  const columns = (header ?? '').split(',');
  const at = (name: string) => columns.indexOf(name);
  const rows = lines.map((l) => l.split(','));
  // Every row on screen and only those, in the screen's order.
  expect(rows).toHaveLength(shown);
  expect(rows.every((r) => r[at('Catégorie / Category')] === 'Étudiant')).toBe(true);
  expect(rows.every((r) => /chu/i.test(r[at('Organisme / Organization')] ?? ''))).toBe(true);
  const emails = rows.map((r) => r[at('Email')] ?? '');
  expect(emails).toEqual(
    [...emails].sort((a, b) => b.localeCompare(a, undefined, { sensitivity: 'base', numeric: true })),
  );
  expect(emails.slice(0, onScreen.length)).toEqual(onScreen.map((e) => (e === '—' ? '' : e)));
});
