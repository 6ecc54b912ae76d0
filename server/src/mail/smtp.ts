import type { FastifyBaseLogger } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppError } from '../http/errors';
import { type Mailer, type MailMessage, RecordingMailer } from './mailer';

/**
 * The production transport: SMTP through nodemailer (STARTTLS or TLS as the URL says, pooled
 * connections). Configured by `SMTP_URL` (e.g. `smtps://user:password@smtp.example.org:465`,
 * `smtp://user:password@smtp.example.org:587`) and `MAIL_FROM`. The log records that a message was
 * sent and to whom, never its text (it holds verification codes).
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly log?: Pick<FastifyBaseLogger, 'info' | 'error'>,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl, { from });
  }

  async send(message: MailMessage): Promise<void> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
      this.log?.info({ mail: { to: message.to, messageId: info.messageId } }, 'mail sent');
    } catch (err) {
      this.log?.error({ err, mail: { to: message.to } }, 'mail could not be sent');
      throw new AppError(
        503,
        'mail_unavailable',
        'The email could not be sent; try again in a few minutes. / Le message n’a pas pu être envoyé ; réessayez dans quelques minutes.',
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * SMTP when `SMTP_URL` is set, otherwise the recording mailer (development: mail goes to the log,
 * and to `MAIL_OUTBOX_DIR` when set).
 */
export function createMailer(
  config: { smtpUrl: string | undefined; mailFrom: string; mailOutboxDir?: string | undefined },
  log: Pick<FastifyBaseLogger, 'info' | 'error'>,
): Mailer {
  return config.smtpUrl
    ? new SmtpMailer(config.smtpUrl, config.mailFrom, log)
    : new RecordingMailer(log, 200, config.mailOutboxDir);
}
