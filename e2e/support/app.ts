import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD, type DemoAccount, demoAccounts, homePathOf, SESSION_STORAGE_KEY } from './accounts';

/** A phone the size of a small Android (the narrowest screen the app supports). */
export const phoneViewport = { width: 360, height: 740 };

/** A French-speaking phone at an Algerian venue: the context options of every phone in the specs. */
export const phoneContext = {
  viewport: phoneViewport,
  hasTouch: true,
  isMobile: true,
  locale: 'fr-FR',
  timezoneId: 'Africa/Algiers',
} as const;

/**
 * Sign in through the login screen, as a person would, and wait for the account's home.
 * The UI is in French unless the test switched language first.
 */
export async function signIn(page: Page, account: DemoAccount): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Adresse e-mail').fill(demoAccounts[account]);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(new RegExp(`${homePathOf[account]}$`));
  await expect(syncBar(page)).toBeVisible();
}

/** The sync status bar every signed-in screen shows. */
export function syncBar(page: Page) {
  return page.getByTestId('sync-bar');
}

/** The session the PWA keeps in localStorage (null when signed out). */
export async function storedSession(page: Page): Promise<Record<string, unknown> | null> {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
  }, SESSION_STORAGE_KEY);
}

/** Change fields of the stored session (e.g. spoil the access token) and reload so the app reads it. */
export async function patchStoredSession(page: Page, patch: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    ({ key, patch }) => {
      const raw = localStorage.getItem(key);
      if (!raw) throw new Error('no stored session');
      localStorage.setItem(key, JSON.stringify({ ...JSON.parse(raw), ...patch }));
    },
    { key: SESSION_STORAGE_KEY, patch },
  );
  await page.reload();
}

/**
 * Wait until the service worker controls the page, i.e. the shell is precached and a reload works
 * offline. On a first visit the worker claims the page once it has activated.
 */
export async function waitForServiceWorkerControl(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    async () => {
      if (!('serviceWorker' in navigator)) throw new Error('no service worker support');
      await navigator.serviceWorker.ready;
      return navigator.serviceWorker.controller !== null;
    },
    undefined,
    { timeout: timeoutMs },
  );
}

/** Width of content past the right edge of the viewport (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * Visible controls smaller than `min` px in either dimension (phones need 48 px touch targets).
 * Checkboxes count with their label, which is clickable too.
 */
export async function smallTouchTargets(page: Page, min = 48): Promise<string[]> {
  return page.evaluate((min) => {
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, summary');
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (el.closest('.visually-hidden, [hidden], .skip-link')) continue;
      if (getComputedStyle(el).visibility === 'hidden' || box.right <= 0 || box.left >= window.innerWidth) continue;
      let { width, height } = box;
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') && el.labels?.[0]) {
        const label = el.labels[0].getBoundingClientRect();
        width += label.width;
        height = Math.max(height, label.height);
      }
      if (width < min || height < min) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.getAttribute('name') ?? '').trim();
        out.push(`${el.tagName.toLowerCase()} "${name.slice(0, 40)}" ${Math.round(width)}×${Math.round(height)}`);
      }
    }
    return out;
  }, min);
}

/** The value of a datetime-local input, `hours` from now, in the browser's time zone. */
export function localInput(page: Page, hours: number): Promise<string> {
  return page.evaluate((h) => {
    const d = new Date(Date.now() + h * 3600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, hours);
}
