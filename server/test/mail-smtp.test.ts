import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { RecordingMailer } from '../src/mail/mailer';
import { createMailer, SmtpMailer } from '../src/mail/smtp';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * The production mail sender against a real SMTP listener on this machine (the edge of the world
 * is the mail server: nothing in our code is replaced). The signup of the mobile app goes through it
 * when SMTP_URL is configured.
 */
interface Received {
  from: string;
  to: string[];
  raw: string;
}
let received: Received[] = [];
let smtp: SMTPServer;
let port = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

describe('configuration', () => {
  it('SMTP_URL and MAIL_FROM pick the SMTP sender; without them mail goes to the log', () => {
    const log = { info: () => {}, error: () => {} };
    const withSmtp = loadConfig(
      { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Congrès <congres@example.org>' },
      { dataDir: '/tmp/makeplus-mail-test', jwtSecret: 'x'.repeat(40) },
    );
    expect(withSmtp).toMatchObject({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Congrès <congres@example.org>' });
    expect(createMailer(withSmtp, log)).toBeInstanceOf(SmtpMailer);
    const without = loadConfig({}, { dataDir: '/tmp/makeplus-mail-test', jwtSecret: 'x'.repeat(40) });
    expect(without.smtpUrl).toBeUndefined();
    expect(createMailer(without, log)).toBeInstanceOf(RecordingMailer);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org' }, { jwtSecret: 'x'.repeat(40) })).toThrow(
      /SMTP_URL/,
    );
  });
});

describe('SmtpMailer', () => {
  it('delivers a message with its sender, recipient, subject and UTF-8 text', async () => {
    received = [];
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'MakePlus <no-reply@example.org>');
    await mailer.send({ to: 'amina@example.com', subject: 'Votre code 123456', text: 'Le code expire à 10 h.' });
    mailer.close();
    expect(received).toHaveLength(1);
    expect(received[0]?.from).toBe('no-reply@example.org');
    expect(received[0]?.to).toEqual(['amina@example.com']);
    expect(received[0]?.raw).toMatch(/^Subject: Votre code 123456/m);
    expect(received[0]?.raw).toContain('Le code expire =C3=A0 10 h.');
  });

  it('an unreachable mail server is a clear 503, not a crash', async () => {
    const closed = new SMTPServer({ authOptional: true, logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${deadPort}`, 'no-reply@example.org');
    await expect(mailer.send({ to: 'x@example.com', subject: 's', text: 't' })).rejects.toMatchObject({
      statusCode: 503,
      code: 'mail_unavailable',
    });
    mailer.close();
  });
});

describe('the mobile signup through SMTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'no-reply@example.org' } });
  });
  afterAll(() => t?.close());

  it('the code arrives by mail and creates the account', async () => {
    received = [];
    const email = 'smtp-signup@example.com';
    const req = await t.request('POST', '/api/auth/signup/request/', {
      body: { email, first_name: 'Sami', last_name: 'Kaci', password: 'a-good-password-42' },
    });
    expect(req.status, JSON.stringify(req.body)).toBe(200);
    const mail = received.find((r) => r.to.includes(email));
    const code = /code[^\d]*(\d{6})/i.exec(mail?.raw ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const verify = await t.request('POST', '/api/auth/signup/verify/', { body: { email, code } });
    expect(verify.status, JSON.stringify(verify.body)).toBe(201);
    expect(verify.body.user.email).toBe(email);
  });
});
