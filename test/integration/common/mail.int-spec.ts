import { loadConfig } from '../../../src/config/config';
import { MailRejectedError, MailService } from '../../../src/common/mail/mail.service';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: 'test-admin-token-0123456789',
  JWT_SECRET: 'test-jwt-secret-0123456789-0123456789',
  PUBLIC_BASE_URL: 'https://sway.test',
};

describe('MailService over real SMTP', () => {
  let sink: SmtpSink;
  let mail: MailService;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mail = new MailService(loadConfig({ ...base, SMTP_URL: sink.url, MAIL_FROM: 'Sway <mail@sway.test>' }));
  });
  afterAll(async () => {
    mail.onModuleDestroy();
    await sink.close();
  });

  it('delivers text and HTML parts with the given Message-ID and headers', async () => {
    const messageId = mail.messageIdFor('n-1');
    const result = await mail.send({
      to: 'ada@example.test',
      subject: 'Your perk',
      text: 'plain body',
      html: '<p>html body</p>',
      headers: { 'List-Unsubscribe': '<https://sway.test/v1/unsubscribe/t>' },
      messageId,
    });
    expect(result).toEqual({ messageId: '<n-1@sway.test>', delivered: true });
    const got = await sink.waitFor((m) => m.subject === 'Your perk');
    expect(got.to).toEqual(['ada@example.test']);
    expect(got.from).toBe('mail@sway.test');
    expect(got.text.trim()).toBe('plain body');
    expect(got.html).toContain('<p>html body</p>');
    expect(got.messageId).toBe('<n-1@sway.test>');
    expect(got.headers.get('list-unsubscribe')).toContain('https://sway.test/v1/unsubscribe/t');
  });

  it('turns a permanent refusal into MailRejectedError and a transient one into a retryable error', async () => {
    sink.rejectRecipients.add('gone@example.test');
    await expect(mail.send({ to: 'gone@example.test', subject: 's', text: 't' })).rejects.toBeInstanceOf(
      MailRejectedError,
    );
    sink.failNext.count = 1;
    const transient = mail.send({ to: 'later@example.test', subject: 'again', text: 't' });
    await expect(transient).rejects.toThrow(/mail not sent/);
    await expect(transient).rejects.not.toBeInstanceOf(MailRejectedError);
    // The error text must not carry the address (it ends up in job logs).
    await transient.catch((err: Error) => expect(err.message).not.toContain('later@example.test'));
    await mail.send({ to: 'later@example.test', subject: 'again', text: 't' });
    await sink.waitFor((m) => m.subject === 'again');
  });

  it('without SMTP_URL writes the mail to the log and reports it undelivered', async () => {
    const local = new MailService(loadConfig(base));
    expect(local.configured).toBe(false);
    await expect(local.send({ to: 'x@example.test', subject: 's', text: 'link' })).resolves.toMatchObject({
      delivered: false,
    });
  });
});
