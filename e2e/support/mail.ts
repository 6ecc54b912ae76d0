import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One mail the server "sent": with no SMTP server it writes each one to its outbox folder. */
export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  at: string;
}

/** The mails sent so far to an address, oldest first (the run's server, see support/server.ts). */
export function mailsTo(address: string): OutboxMail[] {
  const dataDir = process.env.MAKEPLUS_E2E_DATA_DIR;
  if (!dataDir) throw new Error('MAKEPLUS_E2E_DATA_DIR is not set: run through the e2e global setup');
  const outbox = path.join(dataDir, 'outbox');
  let names: string[];
  try {
    names = readdirSync(outbox).sort();
  } catch {
    return [];
  }
  const wanted = address.toLowerCase();
  return names
    .map((name) => JSON.parse(readFileSync(path.join(outbox, name), 'utf8')) as OutboxMail)
    .filter((m) => m.to.toLowerCase() === wanted);
}

/** The first http(s) link of a mail's text that leads to `pathname`. */
export function linkIn(mail: OutboxMail | undefined, pathname: string): string | undefined {
  for (const match of mail?.text.matchAll(/https?:\/\/\S+/g) ?? []) {
    if (new URL(match[0]).pathname === pathname) return match[0];
  }
  return undefined;
}
