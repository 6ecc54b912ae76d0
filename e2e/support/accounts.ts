/** The demo accounts the server seeds (server/src/demo/seed.ts), all with the same password. */
export const DEMO_PASSWORD = 'makeplus-demo';

export const demoAccounts = {
  organizer: 'organizer@demo.makeplus.local',
  manager: 'manager@demo.makeplus.local',
  controller: 'controller@demo.makeplus.local',
  cashier: 'cashier@demo.makeplus.local',
  exhibitor: 'exhibitor@demo.makeplus.local',
  participant: 'participant@demo.makeplus.local',
} as const;
export type DemoAccount = keyof typeof demoAccounts;

/** Where each demo account lands after sign-in (client/src/app/homes.ts). */
export const homePathOf: Record<DemoAccount, string> = {
  organizer: '/organizer',
  manager: '/room',
  controller: '/door',
  cashier: '/cash-desk',
  exhibitor: '/stand',
  participant: '/me',
};

/** The key under which the PWA keeps its session in localStorage (client/src/auth/session.ts). */
export const SESSION_STORAGE_KEY = 'makeplus.session';
