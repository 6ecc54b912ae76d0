import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';

/** One email: plain text, since codes and links are all we send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Email is the edge of the world: everything that sends mail goes through this interface, so a
 * transport (SMTP, an API) can be plugged in without touching the code that decides what to send.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * The development and test transport: keeps every message in memory (tests read verification
 * codes from it) and writes a line to the server log (a developer reads them there); with an
 * outbox folder, also one JSON file per message (`<time>-<n>.json`: to, subject, text, at).
 */
export class RecordingMailer implements Mailer {
  readonly sent: (MailMessage & { at: string })[] = [];
  private written = 0;

  constructor(
    private readonly log?: Pick<FastifyBaseLogger, 'info'>,
    private readonly keep = 200,
    private readonly outboxDir?: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const at = new Date().toISOString();
    this.sent.push({ ...message, at });
    if (this.sent.length > this.keep) this.sent.splice(0, this.sent.length - this.keep);
    if (this.outboxDir) {
      await mkdir(this.outboxDir, { recursive: true });
      const name = `${at.replace(/[:.]/g, '-')}-${String(++this.written).padStart(5, '0')}.json`;
      await writeFile(path.join(this.outboxDir, name), JSON.stringify({ ...message, at }, null, 2));
    }
    this.log?.info(
      { mail: { to: message.to, subject: message.subject, text: message.text } },
      'mail (not sent: dev mailer)',
    );
  }

  /** The newest message sent to an address, if any. */
  lastTo(address: string): MailMessage | undefined {
    const a = address.toLowerCase();
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i]?.to.toLowerCase() === a) return this.sent[i];
    return undefined;
  }
}
