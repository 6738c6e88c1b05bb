import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { APP_CONFIG, type AppConfig } from '../../config/config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers such as List-Unsubscribe; never put personal data here beyond what the recipient sees. */
  headers?: Record<string, string>;
  /** Stable `Message-ID` (`<id@host>`), so a retried send is recognisable as the same message. */
  messageId?: string;
}

export interface MailResult {
  messageId: string;
  /** false when no SMTP transport is configured and the message went to the log instead. */
  delivered: boolean;
}

/** The SMTP server refused the recipient or message for good (5xx): record a bounce, do not retry. */
export class MailRejectedError extends Error {
  constructor(readonly responseCode: number | undefined) {
    super(`mail refused by the SMTP server${responseCode ? ` (${responseCode})` : ''}`);
    this.name = 'MailRejectedError';
  }
}

/**
 * The one way Sway sends mail. Transient SMTP failures throw a plain error so the caller's queue retries;
 * a permanent refusal throws MailRejectedError. Nothing here logs a recipient address.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo> | null;
  private readonly host: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.mail.smtpUrl ? createTransport(config.mail.smtpUrl, { from: config.mail.from }) : null;
    this.host = new URL(config.publicBaseUrl).hostname || 'sway.local';
  }

  /** Whether mail really leaves the process; flows that can show a link instead (invitations) ask this. */
  get configured(): boolean {
    return this.transport !== null;
  }

  /** A Message-ID derived from a stable key (a notification id), so retries carry the same id. */
  messageIdFor(key: string): string {
    return `<${key}@${this.host}>`;
  }

  async send(message: MailMessage): Promise<MailResult> {
    const messageId = message.messageId ?? this.messageIdFor(`${Date.now()}.${Math.random().toString(36).slice(2)}`);
    if (!this.transport) {
      // Development without SMTP: the content goes to the log so links can be followed, the address never does.
      this.logger.log(`mail (SMTP_URL unset, not sent) ${messageId} subject="${message.subject}"\n${message.text}`);
      return { messageId, delivered: false };
    }
    try {
      const info = await this.transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
        messageId,
      });
      if (info.rejected.length > 0) throw new MailRejectedError(undefined);
      return { messageId, delivered: true };
    } catch (err) {
      if (err instanceof MailRejectedError) throw err;
      const code = (err as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500 && code < 600) throw new MailRejectedError(code);
      // The error text of nodemailer can quote the recipient; pass on only what is safe to log.
      throw new Error(`mail not sent: ${(err as { code?: string }).code ?? 'SMTP error'}${code ? ` (${code})` : ''}`);
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
