import { randomUUID } from 'node:crypto';
import { NotificationDelivery } from '../../src/notifications/delivery.service';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { brandPseudonym } from '../../src/common/privacy/pseudonym';
import { createBrand, TestBrand } from '../factories/brands';
import { activateOffline, createCampaign, eventually } from '../factories/campaigns';
import { activeCampaign, claimFor, quote } from '../factories/claims';
import { linkAccount, TestMember } from '../factories/influencers';
import { setScores } from '../factories/scores';
import { signupOwner } from '../factories/teams';
import { FakeStripe } from '../support/fake-stripe';
import { captureLog } from '../support/log-capture';
import { expectProblem } from '../support/problem';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink';
import { TestApp, bearer, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { reply, WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';
const ADDRESS = { name: 'Maya L', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
type Prefs = Partial<Record<'offers' | 'offerExpiring' | 'fulfilment' | 'contests', 'instant' | 'daily' | 'off'>>;

describe('notifications (mail through a real SMTP server in the test process)', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let fake: FakeStripe;
  const receiver = new WebhookReceiver();
  const log = captureLog();
  const emails: string[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    fake = await new FakeStripe().start();
    await receiver.start();
    t = await startTestApp(
      {
        ...fake.env,
        SMTP_URL: sink.url,
        MAIL_FROM: 'Sway <mail@sway.test>',
        LOG_LEVEL: 'info',
        WEBHOOKS_ALLOW_INSECURE: 'true',
        WEBHOOKS_RETRY_SCHEDULE: '0,400ms',
        WEBHOOKS_TIMEOUT: '1s',
      },
      { logStream: log.stream },
    );
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
    await receiver.stop();
    await sink.close();
  });

  const signup = async (prefs?: Prefs): Promise<TestMember> => {
    const email = `n-${randomUUID().slice(0, 8)}@example.com`;
    emails.push(email);
    const res = await t.http
      .post('/v1/influencers')
      .send({
        email,
        password: PASSWORD,
        displayName: 'Nora',
        dateOfBirth: '1990-04-12',
        country: 'US',
        consents: { matching: true, shareStatsWithBrands: false },
        ...(prefs ? { notifications: prefs } : {}),
      })
      .expect(201);
    return {
      id: res.body.influencer.id,
      email,
      displayName: 'Nora',
      token: res.body.accessToken,
      auth: bearer(res.body.accessToken),
    };
  };
  const mailsTo = (email: string): ReceivedMail[] => sink.messages.filter((m) => m.to.includes(email.toLowerCase()));
  const mailTo = (email: string, subject: RegExp, timeoutMs = 20_000): Promise<ReceivedMail> =>
    sink.waitFor((m) => m.to.includes(email.toLowerCase()) && subject.test(m.subject), timeoutMs);
  const brandEmail = async (b: TestBrand): Promise<string> =>
    (await t.db.query(`SELECT email FROM brands.brands WHERE id = $1`, [b.id]))[0].email;
  const rows = (recipientId: string, kind?: string) =>
    t.db.query(
      `SELECT id, kind, email_state AS state, email_attempts AS attempts, params FROM notifications.notifications
       WHERE recipient_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY created_at`,
      [recipientId, kind ?? null],
    );
  const settle = (ms = 1_500) => new Promise((r) => setTimeout(r, ms));
  const service = () => t.app.get(NotificationsService);
  const delivery = () => t.app.get(NotificationDelivery);
  const recordDirect = (n: Parameters<NotificationsService['record']>[1]) =>
    t.db.transaction((m) => service().record(m, n));

  /** Every mail: a plain-text and an HTML part, our Message-ID, no tracking pixel, links only into Sway. */
  function expectCleanMail(mail: ReceivedMail): void {
    expect(mail.text.length).toBeGreaterThan(20);
    expect(mail.html).toContain('<p>');
    expect(mail.messageId).toMatch(/^<(n|d)-[0-9a-f-]{36}@sway\.test>$/);
    expect(mail.html).not.toMatch(/<img/i);
    for (const [, href] of mail.html.matchAll(/href="([^"]+)"/g)) expect(href).toMatch(/^https:\/\/sway\.test\//);
  }

  describe('preferences', () => {
    it('are asked at signup and never pre-ticked: unanswered is off', async () => {
      const none = await signup();
      expect((await t.http.get('/v1/me/notification-preferences').set(none.auth).expect(200)).body).toEqual({
        offers: 'off',
        offerExpiring: 'off',
        fulfilment: 'off',
        contests: 'off',
      });
      const some = await signup({ offers: 'instant', offerExpiring: 'daily' });
      expect((await t.http.get('/v1/me/notification-preferences').set(some.auth).expect(200)).body).toEqual({
        offers: 'instant',
        offerExpiring: 'daily',
        fulfilment: 'off',
        contests: 'off',
      });
      const put = await t.http
        .put('/v1/me/notification-preferences')
        .set(some.auth)
        .send({ fulfilment: 'instant' })
        .expect(200);
      expect(put.body).toMatchObject({ offers: 'instant', fulfilment: 'instant' });
      expectProblem(
        await t.http.put('/v1/me/notification-preferences').set(some.auth).send({ offers: 'hourly' }),
        400,
        'validation_failed',
      );
      expectProblem(
        await t.http.post('/v1/influencers').send({
          email: 'bad-pref@example.com',
          password: PASSWORD,
          displayName: 'X',
          dateOfBirth: '1990-01-01',
          country: 'US',
          notifications: { offers: 'yes' },
        }),
        400,
        'validation_failed',
      );
    });

    it('a new offer: instant mails at once, daily waits for the digest (one per day), off stays in-app', async () => {
      const instant = await signup({ offers: 'instant' });
      const daily = await signup({ offers: 'daily' });
      const off = await signup({ offers: 'off' });
      for (const m of [instant, daily, off]) await setScores(t, m.id, { overall: 60, topics: { coffee: 70 } });
      const brand = await createBrand(t, 'Bean Co');
      const c = await createCampaign(t, brand, {
        inventory: 5,
        perk: {
          title: 'Single-origin beans',
          description: 'd',
          kind: 'discount',
          unitCostCents: 1800,
          currency: 'usd',
        },
      });
      await activateOffline(t, c.id, quote(5, 1800, t.config.platformFeeBps));

      const mail = await mailTo(instant.email, /Single-origin beans/);
      expectCleanMail(mail);
      expect(mail.text).toContain('Bean Co offers you Single-origin beans');
      expect(mail.text).toMatch(/yours until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(mail.headers.get('list-unsubscribe')).toMatch(/^<https:\/\/sway\.test\/v1\/unsubscribe\/[\w.-]+>$/);
      expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const [n] = await rows(instant.id, 'offer_created');
      expect(mail.messageId).toBe(`<n-${n.id}@sway.test>`);

      await eventually(async () => ((await rows(off.id, 'offer_created')).length ? true : undefined), 10_000, 'off');
      expect(await rows(off.id, 'offer_created')).toEqual([expect.objectContaining({ state: 'none' })]);
      expect(await rows(daily.id, 'offer_created')).toEqual([expect.objectContaining({ state: 'digest' })]);
      await settle();
      expect(mailsTo(daily.email)).toHaveLength(0);
      expect(mailsTo(off.email)).toHaveLength(0);

      // The daily run: one digest job per recipient per day, however often the run repeats.
      const day = new Date().toISOString().slice(0, 10);
      await delivery().fanOutDigests(day);
      const digest = await mailTo(daily.email, /daily Sway digest/);
      expectCleanMail(digest);
      expect(digest.text).toContain('Single-origin beans');
      expect(digest.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      await delivery().fanOutDigests(day);
      await delivery().sendDigest('member', daily.id, day);
      await settle();
      expect(mailsTo(daily.email)).toHaveLength(1);
      expect(await rows(daily.id, 'offer_created')).toEqual([expect.objectContaining({ state: 'digested' })]);
      expect(mailsTo(off.email)).toHaveLength(0);
    });

    it('an offer about to expire: one reminder, 12 h before', async () => {
      const m = await signup({ offerExpiring: 'instant' });
      const brand = await createBrand(t);
      const campaignId = await activeCampaign(t, brand, {
        perk: { title: 'Grinder', description: 'd', kind: 'discount', unitCostCents: 1800, currency: 'usd' },
      });
      const [soon, later] = await t.db.query(
        `INSERT INTO offers (campaign_id, influencer_id, status, match_score, created_at, expires_at)
         VALUES ($1, $2, 'pending', 60, now() - interval '61 hours', now() + interval '11 hours')
         RETURNING id`,
        [campaignId, m.id],
      );
      expect(later).toBeUndefined();
      await service().remindExpiring();
      await service().remindExpiring();
      const mail = await mailTo(m.email, /expires soon/);
      expect(mail.text).toContain('this is the only reminder');
      await settle();
      expect(mailsTo(m.email).filter((x) => /expires soon/.test(x.subject))).toHaveLength(1);
      expect(await rows(m.id, 'offer_expiring')).toEqual([
        expect.objectContaining({ params: expect.objectContaining({ offerId: soon.id }) }),
      ]);
    });
  });

  describe('member kinds', () => {
    it('a claim fulfilled carries the tracking number; the brand hears the campaign sold out', async () => {
      const m = await signup({ fulfilment: 'instant' });
      await t.http.patch('/v1/me').set(m.auth).send({ shippingAddress: ADDRESS }).expect(200);
      const brand = await createBrand(t, 'Kettle Co');
      const campaignId = await activeCampaign(t, brand, {
        inventory: 1,
        name: 'Kettle drop',
        perk: { title: 'Gooseneck kettle', description: 'd', kind: 'product', unitCostCents: 1800, currency: 'usd' },
      });
      const claim = await claimFor(t, campaignId, m);
      const soldOut = await mailTo(await brandEmail(brand), /Kettle drop is sold out/);
      expectCleanMail(soldOut);

      // Claims awaiting shipping: the brand's daily digest, one per day, naming no member.
      const day = `2031-01-0${Math.floor(Math.random() * 9) + 1}`;
      await delivery().fanOutDigests(day);
      await delivery().fanOutDigests(day);
      const digest = await mailTo(await brandEmail(brand), /daily Sway digest/);
      expect(digest.text).toContain('1 product claim(s) are waiting to be shipped');
      expect(digest.text).toContain('Kettle drop: 1');
      expect(digest.text).not.toContain(m.email);
      expect(digest.text).not.toContain('Nora');
      await settle();
      expect(mailsTo(await brandEmail(brand)).filter((x) => /digest/.test(x.subject))).toHaveLength(1);

      await t.http
        .patch(`/v1/campaigns/${campaignId}/claims/${claim.id}`)
        .set(brand.auth)
        .send({ status: 'fulfilled', trackingNumber: '1Z999AA10123456784' })
        .expect(200);
      const mail = await mailTo(m.email, /on its way: Gooseneck kettle/);
      expectCleanMail(mail);
      expect(mail.text).toContain('Tracking number: 1Z999AA10123456784');
      expect(mail.html).toContain('1Z999AA10123456784');
    });

    it('security notices always go out and carry no unsubscribe: consent, account, new device', async () => {
      const m = await signup(); // every optional kind off
      await t.http.put('/v1/me/consents').set(m.auth).send({ shareStatsWithBrands: true }).expect(200);
      const consent = await mailTo(m.email, /consent settings changed/);
      expectCleanMail(consent);
      expect(consent.text).toContain('“Share my stats with brands” is now on');
      expect(consent.headers.has('list-unsubscribe')).toBe(false);

      await linkAccount(t, m, 'instagram', `ig-${randomUUID().slice(0, 8)}`);
      await mailTo(m.email, /social account was linked/);

      const session = (ua: string) =>
        t.http
          .post('/v1/sessions')
          .set('user-agent', ua)
          .send({ kind: 'member', email: m.email, password: PASSWORD })
          .expect(201);
      const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
      const chrome =
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
      await session(firefox); // the first browser ever: remembered, not reported
      await session(firefox);
      await settle();
      expect(mailsTo(m.email).filter((x) => /New sign-in/.test(x.subject))).toHaveLength(0);
      await session(chrome);
      const signin = await mailTo(m.email, /New sign-in/);
      expect(signin.text).toContain('(Chrome on Windows)');
      await settle();
      expect(mailsTo(m.email).filter((x) => /New sign-in/.test(x.subject))).toHaveLength(1);
    });

    it('kinds whose facts are built elsewhere (contests, passkeys) render and respect preferences', async () => {
      const m = await signup({ contests: 'instant' });
      await recordDirect({
        to: { kind: 'member', id: m.id },
        kind: 'contest_answered',
        key: `contest:${randomUUID()}`,
        params: { subject: 'my coffee score', outcome: 'upheld, the score was recomputed' },
      });
      const contest = await mailTo(m.email, /contest has been answered/);
      expect(contest.text).toContain('about my coffee score was answered: upheld');
      await recordDirect({
        to: { kind: 'member', id: m.id },
        kind: 'passkey_added',
        key: `passkey:${randomUUID()}`,
        params: { name: 'Laptop', at: new Date().toISOString() },
      });
      const passkey = await mailTo(m.email, /passkey was added/);
      expect(passkey.headers.has('list-unsubscribe')).toBe(false);
    });
  });

  describe('brand kinds', () => {
    it('campaign completed and its refund; funding failed; a webhook endpoint disabled; a fraud signal', async () => {
      const brand = await createBrand(t, 'Roast Co');
      const to = await brandEmail(brand);
      const campaignId = await activeCampaign(t, brand, { name: 'Roast week', inventory: 4 });
      await t.http.post(`/v1/campaigns/${campaignId}/close`).set(brand.auth).expect(200);
      const completed = await mailTo(to, /Roast week is completed/);
      expectCleanMail(completed);
      expect(completed.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const refund = await mailTo(to, /Refund for Roast week/);
      expect(refund.text).toMatch(/79\.20 USD of the funding of Roast week was refunded/);

      // Funding failed: Stripe says the (asynchronous) payment did not go through.
      const draft = await createCampaign(t, brand, { name: 'Unpaid launch' });
      const checkout = await t.http.post(`/v1/campaigns/${draft.id}/funding`).set(brand.auth).expect(201);
      const event = fake.event('checkout.session.async_payment_failed', fake.lapse(checkout.body.checkoutSessionId));
      const { payload, header } = FakeStripe.sign(event);
      await t.http
        .post('/v1/webhooks/stripe')
        .set('content-type', 'application/json')
        .set('stripe-signature', header)
        .send(payload)
        .expect((r) => expect(r.status).toBeLessThan(300));
      const failed = await mailTo(to, /Funding failed for Unpaid launch/);
      expectCleanMail(failed);

      // Webhooks: a 410 disables the endpoint, and the brand is told.
      const path = `/hooks/${randomUUID()}`;
      receiver.on(path, reply(410));
      await t.http
        .post('/v1/webhook-endpoints')
        .set(brand.auth)
        .send({ url: receiver.url(path), eventTypes: ['campaign.completed', 'campaign.activated'] })
        .expect(201);
      await activeCampaign(t, brand, { name: 'Trigger' });
      const disabled = await mailTo(to, /webhook endpoint was disabled/);
      expect(disabled.text).toContain('answered 410 Gone');

      // Fraud signals (wip/fraud): the brand's mail names the member by the brand's pseudonym only.
      const member = await signup();
      const ref = brandPseudonym(t.config.hashSecret, brand.id, member.id);
      await recordDirect({
        to: { kind: 'brand', id: brand.id },
        kind: 'fraud_signal_opened',
        key: `fraud:${randomUUID()}`,
        params: { campaignName: 'Roast week', signal: 'click burst', memberRef: ref },
      });
      const fraud = await mailTo(to, /fraud signal was opened/);
      expect(fraud.text).toContain(`concerning member ${ref}`);
      expect(fraud.text).not.toContain(member.email);
    });
  });

  describe('brand users (teams)', () => {
    it('mail goes to the roles that act; the team reads its list under /v1/users/me/notifications', async () => {
      const owner = await signupOwner(t, 'Team Roasters');
      emails.push(owner.email);
      const brand = { id: owner.brandId, apiKey: '', auth: owner.write };
      const campaignId = await activeCampaign(t, brand, { name: 'Team week', inventory: 2 });
      await t.http.post(`/v1/campaigns/${campaignId}/close`).set(owner.write).expect(200);
      const mail = await mailTo(owner.email, /Team week is completed/);
      expectCleanMail(mail);
      const list = await t.http.get('/v1/users/me/notifications').set(owner.read).expect(200);
      expect(list.body.data.map((n: { kind: string }) => n.kind)).toEqual(
        expect.arrayContaining(['campaign_completed', 'funding_refunded']),
      );
      expect(list.body.unread).toBeGreaterThanOrEqual(2);
      await t.http.post('/v1/users/me/notifications/read').set(owner.write).send({}).expect(204);
      expect((await t.http.get('/v1/users/me/notifications').set(owner.read)).body.unread).toBe(0);
      // An API key is no person: the list is for brand users' sessions.
      const keyed = await createBrand(t);
      expectProblem(await t.http.get('/v1/users/me/notifications').set(keyed.auth), 403, 'forbidden');
    });
  });

  describe('mail done properly', () => {
    it('one-click unsubscribe without signing in stops that kind; a GET unsubscribes nobody', async () => {
      const m = await signup({ offers: 'instant', fulfilment: 'instant' });
      const offer = () =>
        recordDirect({
          to: { kind: 'member', id: m.id },
          kind: 'offer_created',
          key: `offer:${randomUUID()}`,
          params: { perkTitle: 'Mug', brandName: 'Cup Co', expiresAt: new Date(Date.now() + 3600e3).toISOString() },
        });
      await offer();
      const mail = await mailTo(m.email, /New perk for you: Mug/);
      const url = new URL(mail.headers.get('list-unsubscribe')!.slice(1, -1));

      const page = await t.http.get(url.pathname).expect(200);
      expect(page.text).toContain('<form method="post"');
      expect((await t.http.get('/v1/me/notification-preferences').set(m.auth)).body.offers).toBe('instant');

      // What a mail client sends (RFC 8058 §3.2): a form POST with no cookie and no credentials.
      const res = await t.http
        .post(url.pathname)
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('List-Unsubscribe=One-Click')
        .expect(200);
      expect(res.body).toEqual({ status: 'unsubscribed', kind: 'offer_created' });
      expect((await t.http.get('/v1/me/notification-preferences').set(m.auth)).body).toMatchObject({
        offers: 'off',
        fulfilment: 'instant',
      });
      await offer();
      await settle();
      expect(mailsTo(m.email).filter((x) => /Mug/.test(x.subject))).toHaveLength(1);

      const forged = url.pathname.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      expectProblem(
        await t.http
          .post(forged)
          .set('content-type', 'application/x-www-form-urlencoded')
          .send('List-Unsubscribe=One-Click'),
        404,
        'not_found',
      );
      // Forms are read on that route only.
      expectProblem(
        await t.http.put('/v1/me/notification-preferences').set(m.auth).type('form').send('offers=instant'),
        415,
        'unsupported_media_type',
      );
    });

    it('a retried job never sends twice: a 451 then success is one mail, and a replayed job sends nothing', async () => {
      const m = await signup();
      sink.failNext.count = 1;
      await t.http.put('/v1/me/consents').set(m.auth).send({ matching: false }).expect(200);
      const mail = await mailTo(m.email, /consent settings changed/, 30_000);
      const [n] = await rows(m.id, 'consent_changed');
      expect(mail.messageId).toBe(`<n-${n.id}@sway.test>`);
      await eventually(async () => ((await rows(m.id, 'consent_changed'))[0].state === 'sent' ? true : undefined));
      expect((await rows(m.id, 'consent_changed'))[0].attempts).toBe(2);
      expect(await delivery().deliver(n.id)).toBe('done');
      await settle();
      expect(mailsTo(m.email)).toHaveLength(1);
    });

    it('records a bounce on a permanent refusal and suppresses the address', async () => {
      const m = await signup();
      sink.rejectRecipients.add(m.email.toLowerCase());
      await t.http.put('/v1/me/consents').set(m.auth).send({ matching: false }).expect(200);
      await eventually(async () => ((await rows(m.id))[0]?.state === 'bounced' ? true : undefined));
      const bounces = await t.db.query(
        `SELECT response_code AS code FROM notifications.bounces WHERE recipient_id = $1`,
        [m.id],
      );
      expect(bounces).toEqual([{ code: 550 }]);
      await t.http.put('/v1/me/consents').set(m.auth).send({ matching: true }).expect(200);
      await eventually(async () => ((await rows(m.id))[1]?.state === 'suppressed' ? true : undefined));
      expect(mailsTo(m.email)).toHaveLength(0);
    });

    it('rate-limits per recipient: optional mail beyond the hourly budget waits for the digest', async () => {
      const m = await signup({ offers: 'instant' });
      for (let i = 0; i < 12; i++)
        await recordDirect({
          to: { kind: 'member', id: m.id },
          kind: 'offer_created',
          key: `offer:${randomUUID()}`,
          params: { perkTitle: `Perk ${i}`, brandName: 'B', expiresAt: new Date(Date.now() + 3600e3).toISOString() },
        });
      await eventually(
        async () =>
          (await rows(m.id)).every((r: { state: string }) => r.state !== 'queued' && r.state !== 'sending')
            ? true
            : undefined,
        30_000,
      );
      const states = (await rows(m.id)).map((r: { state: string }) => r.state);
      expect(states.filter((s: string) => s === 'sent')).toHaveLength(10);
      expect(states.filter((s: string) => s === 'digest')).toHaveLength(2);
      expect(mailsTo(m.email)).toHaveLength(10);
    });
  });

  describe('the in-app list and privacy', () => {
    it('lists newest first with the unread count; marks read by id or all', async () => {
      const m = await signup();
      await t.http.put('/v1/me/consents').set(m.auth).send({ matching: false }).expect(200);
      await t.http.put('/v1/me/consents').set(m.auth).send({ matching: true }).expect(200);
      await t.http.put('/v1/me/consents').set(m.auth).send({ shareStatsWithBrands: true }).expect(200);
      const first = await t.http.get('/v1/me/notifications?limit=2').set(m.auth).expect(200);
      expect(first.body).toEqual({
        data: [
          {
            id: expect.any(String),
            kind: 'consent_changed',
            title: 'Your consent settings changed',
            at: expect.any(String),
          },
          expect.objectContaining({ kind: 'consent_changed' }),
        ],
        nextCursor: expect.any(String),
        unread: 3,
      });
      const second = await t.http
        .get(`/v1/me/notifications?limit=2&cursor=${first.body.nextCursor}`)
        .set(m.auth)
        .expect(200);
      expect(second.body.data).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      await t.http
        .post('/v1/me/notifications/read')
        .set(m.auth)
        .send({ ids: [first.body.data[0].id] })
        .expect(204);
      const after = await t.http.get('/v1/me/notifications').set(m.auth).expect(200);
      expect(after.body.unread).toBe(2);
      expect(after.body.data[0].readAt).toEqual(expect.any(String));
      await t.http.post('/v1/me/notifications/read').set(m.auth).send({}).expect(204);
      expect((await t.http.get('/v1/me/notifications').set(m.auth)).body.unread).toBe(0);
      // Another member sees none of them, and cannot mark them.
      const other = await signup();
      expect((await t.http.get('/v1/me/notifications').set(other.auth)).body).toMatchObject({ data: [], unread: 0 });
      expectProblem(await t.http.get('/v1/me/notifications?cursor=nonsense').set(m.auth), 400, 'validation_failed');
      expectProblem(
        await t.http
          .post('/v1/me/notifications/read')
          .set(m.auth)
          .send({ ids: ['x'] }),
        400,
        'validation_failed',
      );
    });

    it('the export holds notifications and preferences; erasure sends one last notice, then nothing', async () => {
      const m = await signup({ offers: 'instant', fulfilment: 'daily' });
      await t.http.put('/v1/me/consents').set(m.auth).send({ matching: false }).expect(200);
      await mailTo(m.email, /consent settings changed/);
      // The sink has the mail as soon as SMTP accepts it; the row is marked sent just after.
      const exported = await waitFor(
        async () => {
          const r = await t.http.get('/v1/me/export').set(m.auth).expect(200);
          return r.body.notifications.notifications[0]?.emailState === 'sending' ? null : r;
        },
        10_000,
        'the notice marked sent',
      );
      expect(exported.body.notifications).toEqual({
        preferences: { offers: 'instant', offerExpiring: 'off', fulfilment: 'daily', contests: 'off' },
        notifications: [expect.objectContaining({ kind: 'consent_changed', emailState: 'sent' })],
      });

      await t.http.delete('/v1/me').set(m.auth).expect(202);
      const farewell = await mailTo(m.email, /being deleted/);
      expect(farewell.headers.has('list-unsubscribe')).toBe(false);
      await eventually(async () => ((await rows(m.id)).length === 0 ? true : undefined), 20_000, 'rows erased');
      expect(
        await t.db.query(`SELECT 1 FROM notifications.notifications WHERE address IS NOT NULL AND recipient_id = $1`, [
          m.id,
        ]),
      ).toEqual([]);
      // Nothing reaches an erased member: a fact about them makes no notification and no mail.
      expect(
        await recordDirect({
          to: { kind: 'member', id: m.id },
          kind: 'consent_changed',
          key: `consent:${randomUUID()}`,
          params: { purpose: 'matching', granted: true },
        }),
      ).toBeNull();
      await delivery().fanOutDigests('2032-02-02');
      await settle();
      expect(mailsTo(m.email)).toHaveLength(2);
      expect(
        (await t.db.query(`SELECT reason FROM notifications.suppressions WHERE reason = 'erased'`)).length,
      ).toBeGreaterThan(0);
    });

    it('never writes a recipient address to the log', () => {
      expect(log.lines.length).toBeGreaterThan(0);
      for (const e of emails) expect(log.lines.filter((l) => l.toLowerCase().includes(e.toLowerCase()))).toEqual([]);
    });
  });
});
