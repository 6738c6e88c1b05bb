import { BillingService } from '../../src/billing/billing.service';
import { createBrand, TestBrand } from '../factories/brands';
import { activateOffline, createCampaign, eventually, simulateClaims } from '../factories/campaigns';
import { FakeStripe } from '../support/fake-stripe';
import { expectProblem } from '../support/problem';
import { jobsFor } from '../support/queues';
import { TestApp, admin, startTestApp } from '../support/test-app';

jest.setTimeout(30_000);

/** 10 perks × $18.00 = $180.00, plus the default 10 % platform fee. */
const PERK = 18_000;
const FEE = 1_800;
const QUOTE = PERK + FEE;

type Json = Record<string, unknown>;

describe('billing (Stripe through the fake)', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let brand: TestBrand;

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await startTestApp({ ...fake.env, STRIPE_TIMEOUT_MS: '1000' });
    brand = await createBrand(t);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const deliver = (event: Json, opts: { secret?: string; timestamp?: number } = {}) => {
    const { payload, header } = FakeStripe.sign(event, opts);
    return t.http
      .post('/v1/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('stripe-signature', header)
      .send(payload);
  };
  const campaign = async (id: string): Promise<Json> =>
    (await t.http.get(`/v1/campaigns/${id}`).set(brand.auth).expect(200)).body;
  const ledger = async (id: string): Promise<Json & { [k: string]: number }> =>
    (await t.http.get(`/v1/campaigns/${id}/ledger`).set(brand.auth).expect(200)).body;
  const untilStatus = (id: string, status: string) =>
    eventually(async () => ((await campaign(id)).status === status ? true : undefined), 10_000, `status ${status}`);
  const processed = (eventId: string) =>
    eventually(
      async () => {
        const [row] = await t.db.query(`SELECT processed_at FROM stripe_events WHERE id = $1`, [eventId]);
        return row?.processed_at ? true : undefined;
      },
      10_000,
      `event ${eventId} processed`,
    );
  const fundingRow = async (id: string): Promise<Json> =>
    (await t.db.query(`SELECT status, stripe_payment_intent_id AS pi FROM fundings WHERE id = $1`, [id]))[0];
  const ledgerEntries = async (campaignId: string, kind: string): Promise<Json[]> =>
    t.db.query(
      `SELECT amount_cents::int AS amount, reference FROM ledger_entries WHERE campaign_id = $1 AND kind = $2`,
      [campaignId, kind],
    );
  const startCheckout = async (id: string) => {
    const res = await t.http.post(`/v1/campaigns/${id}/funding`).set(brand.auth);
    expect(res.status).toBe(201);
    return res.body as { checkoutSessionId: string; checkoutUrl: string; fundingId: string; amountCents: number };
  };
  const paidEvent = (sessionId: string, opts: { id?: string } = {}) =>
    fake.event('checkout.session.completed', fake.pay(sessionId), opts);

  it('funds through Checkout, activates on the signed webhook, pauses, resumes and refunds the rest on close', async () => {
    const c = await createCampaign(t, brand);

    const checkout = await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth).expect(201);
    expect(checkout.body).toEqual({
      checkoutUrl: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/),
      checkoutSessionId: expect.stringMatching(/^cs_test_/),
      amountCents: QUOTE,
      currency: 'usd',
      perkCents: PERK,
      platformFeeCents: FEE,
      fundingId: expect.any(String),
    });
    const { checkoutSessionId: sessionId, fundingId } = checkout.body;
    const [create] = fake.calls('POST', '/v1/checkout/sessions');
    expect(create.idempotencyKey).toBe(`funding:${fundingId}`);
    expect(create.params).toMatchObject({
      mode: 'payment',
      line_items: [
        {
          quantity: '1',
          price_data: { currency: 'usd', unit_amount: String(QUOTE), product_data: { name: c.body.name } },
        },
      ],
      metadata: { campaignId: c.id, fundingId },
      client_reference_id: fundingId,
      success_url: expect.stringMatching(/^https:\/\/sway\.test\//),
      cancel_url: expect.stringMatching(/^https:\/\/sway\.test\//),
    });
    expect((await campaign(c.id)).status).toBe('pending_funding');
    expectProblem(await t.http.patch(`/v1/campaigns/${c.id}`).set(brand.auth).send({ inventory: 1 }), 409);

    // Asking again while pending returns the same session, without a second one at Stripe.
    const again = await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth).expect(201);
    expect(again.body).toEqual(checkout.body);
    expect(fake.calls('POST', '/v1/checkout/sessions')).toHaveLength(1);

    // The brand pays; Stripe tells us, twice.
    const event = paidEvent(sessionId);
    expect((await deliver(event).expect(200)).body).toEqual({ received: true });
    await untilStatus(c.id, 'active');
    await deliver(event).expect(200);
    await processed(String(event.id));
    expect(await campaign(c.id)).toMatchObject({ status: 'active', fundedCents: QUOTE, remaining: 10 });
    expect(await fundingRow(fundingId)).toEqual({ status: 'paid', pi: expect.stringMatching(/^pi_test_/) });
    expect(await ledgerEntries(c.id, 'funding')).toEqual([{ amount: QUOTE, reference: sessionId }]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE id = $1`, [event.id]))[0].n).toBe(1);
    await eventually(async () => ((await jobsFor(t, 'matching', 'match-campaign', c.id)) === 1 ? true : undefined));

    // Out of order: an `expired` for the same, already paid session changes nothing.
    const late = fake.event('checkout.session.expired', { ...fake.sessions.get(sessionId)!, status: 'expired' });
    await deliver(late).expect(200);
    await processed(String(late.id));
    expect(await fundingRow(fundingId)).toMatchObject({ status: 'paid' });
    expect((await campaign(c.id)).status).toBe('active');
    expectProblem(await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth), 409);

    await t.http.post(`/v1/campaigns/${c.id}/pause`).set(brand.auth).expect(200);
    await t.http.post(`/v1/campaigns/${c.id}/resume`).set(brand.auth).expect(200);
    await eventually(async () => ((await jobsFor(t, 'matching', 'match-campaign', c.id)) === 2 ? true : undefined));

    // Three perks are claimed (the claims context will do exactly this), then the brand closes.
    await simulateClaims(t, c.id, 3);
    expect(await ledger(c.id)).toMatchObject({
      fundedCents: QUOTE,
      spentCents: 5_400,
      platformFeeCents: 540,
      refundedCents: 0,
    });
    const closed = await t.http.post(`/v1/campaigns/${c.id}/close`).set(brand.auth).expect(200);
    expect(closed.body).toMatchObject({ status: 'completed', claimed: 3, remaining: 7 });

    const settled = await eventually(async () => {
      const l = await ledger(c.id);
      return l.refundedCents > 0 ? l : undefined;
    });
    const unused = QUOTE - 5_400 - 540;
    expect(settled).toMatchObject({
      fundedCents: QUOTE,
      spentCents: 5_400,
      platformFeeCents: 540,
      refundedCents: unused,
      remainingCents: 0,
    });
    expect(settled.fundedCents).toBe(
      settled.spentCents + settled.platformFeeCents + settled.refundedCents + settled.remainingCents,
    );
    const refunds = fake.calls('POST', '/v1/refunds');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      idempotencyKey: `campaign-refund:${c.id}`,
      params: { payment_intent: (await fundingRow(fundingId)).pi, amount: String(unused) },
    });
    expect(fake.refundedOn(String((await fundingRow(fundingId)).pi))).toBe(unused);

    // Settling again (a retried job, the safety net) refunds nothing more.
    await t.app.get(BillingService).settle(c.id);
    await t.app.get(BillingService).settleOutstanding();
    expect(fake.calls('POST', '/v1/refunds')).toHaveLength(1);
    expect((await ledger(c.id)).refundedCents).toBe(unused);
  });

  it('treats concurrent deliveries of one event as one', async () => {
    const c = await createCampaign(t, brand);
    const { checkoutSessionId } = await startCheckout(c.id);
    const event = paidEvent(checkoutSessionId);
    const answers = await Promise.all([1, 2, 3, 4].map(() => deliver(event)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    await untilStatus(c.id, 'active');
    await processed(String(event.id));
    expect(await ledgerEntries(c.id, 'funding')).toHaveLength(1);
    expect((await ledger(c.id)).fundedCents).toBe(QUOTE);
    await eventually(async () => ((await jobsFor(t, 'matching', 'match-campaign', c.id)) === 1 ? true : undefined));
  });

  it('hands out a fresh checkout once the open one lapsed, and a late expiry of the old one changes nothing', async () => {
    const c = await createCampaign(t, brand);
    const first = await startCheckout(c.id);
    // Stripe let it lapse, but its `expired` event has not arrived yet.
    const lapsed = fake.lapse(first.checkoutSessionId);
    await t.db.query(`UPDATE fundings SET checkout_expires_at = now() - interval '1 minute' WHERE id = $1`, [
      first.fundingId,
    ]);
    const second = await startCheckout(c.id);
    expect(second.checkoutSessionId).not.toBe(first.checkoutSessionId);
    expect(second.fundingId).not.toBe(first.fundingId);
    expect(await fundingRow(first.fundingId)).toMatchObject({ status: 'expired' });

    const late = fake.event('checkout.session.expired', lapsed);
    await deliver(late).expect(200);
    await processed(String(late.id));
    expect((await campaign(c.id)).status).toBe('pending_funding');

    await deliver(paidEvent(second.checkoutSessionId)).expect(200);
    await untilStatus(c.id, 'active');
    expect(await fundingRow(second.fundingId)).toMatchObject({ status: 'paid' });
  });

  it('lets an expired checkout be replaced after its webhook', async () => {
    const c = await createCampaign(t, brand);
    const first = await startCheckout(c.id);
    const ev = fake.event('checkout.session.expired', fake.lapse(first.checkoutSessionId));
    await deliver(ev).expect(200);
    await processed(String(ev.id));
    expect(await fundingRow(first.fundingId)).toMatchObject({ status: 'expired' });
    expect((await campaign(c.id)).status).toBe('pending_funding');
    const second = await startCheckout(c.id);
    expect(second.checkoutSessionId).not.toBe(first.checkoutSessionId);
  });

  describe('webhook signatures', () => {
    const stored = async (): Promise<number> => (await t.db.query(`SELECT count(*)::int AS n FROM stripe_events`))[0].n;

    it('answers 400 and stores nothing when the signature does not verify', async () => {
      const c = await createCampaign(t, brand);
      const { checkoutSessionId } = await startCheckout(c.id);
      const event = paidEvent(checkoutSessionId);
      const before = await stored();
      const { payload, header } = FakeStripe.sign(event);
      const post = () => t.http.post('/v1/webhooks/stripe').set('content-type', 'application/json');

      expectProblem(await deliver(event, { secret: 'whsec_someone_else' }), 400, 'bad_request');
      expectProblem(
        await post()
          .set('stripe-signature', header)
          .send(payload.replace(`"${c.id}"`, '"00000000-0000-4000-8000-000000000000"')),
        400,
      );
      expectProblem(await post().send(payload), 400);
      expectProblem(await post().set('stripe-signature', 'garbage').send(payload), 400);
      expectProblem(await post().set('stripe-signature', header).send('{"id":'), 400);
      // Replayed from long ago: outside the SDK's 5-minute tolerance.
      expectProblem(await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }), 400);
      const missing = await post().send(payload);
      expect(missing.body.detail).toMatch(/Stripe-Signature/);

      expect(await stored()).toBe(before);
      await new Promise((r) => setTimeout(r, 300));
      expect((await campaign(c.id)).status).toBe('pending_funding');
    });

    it('stores connected-account events for tracking and leaves campaigns alone', async () => {
      const c = await createCampaign(t, brand);
      const { checkoutSessionId } = await startCheckout(c.id);
      const event = fake.event('checkout.session.completed', fake.pay(checkoutSessionId), { account: 'acct_brand_1' });
      await deliver(event).expect(200);
      const [row] = await t.db.query(`SELECT account, type, processed_at FROM stripe_events WHERE id = $1`, [event.id]);
      expect(row).toEqual({ account: 'acct_brand_1', type: 'checkout.session.completed', processed_at: null });
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await campaign(c.id)).status).toBe('pending_funding');
    });

    it('acknowledges event types it does not use', async () => {
      const event = fake.event('payment_intent.succeeded', { id: 'pi_test_x', object: 'payment_intent' });
      await deliver(event).expect(200, { received: true });
      await processed(String(event.id));
    });
  });

  describe('when Stripe misbehaves', () => {
    it('keeps the funding when Stripe fails, and the retry returns the one session', async () => {
      const c = await createCampaign(t, brand);
      const callsBefore = fake.calls('POST', '/v1/checkout/sessions').length;
      fake.failNext(3, { status: 500, type: 'api_error' });
      const res = await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth);
      expectProblem(res, 503, 'unavailable');
      expect(res.headers['retry-after']).toBe('5');
      expect((await campaign(c.id)).status).toBe('pending_funding');

      const retry = await startCheckout(c.id);
      const calls = fake.calls('POST', '/v1/checkout/sessions').slice(callsBefore);
      // The SDK retried with the same key; our retry reused the funding, hence the key again.
      expect(calls).toHaveLength(4);
      expect(new Set(calls.map((r) => r.idempotencyKey))).toEqual(new Set([`funding:${retry.fundingId}`]));
      expect([...fake.sessions.values()].filter((s) => s.client_reference_id === retry.fundingId)).toHaveLength(1);
    });

    it('answers 503 when Stripe does not answer in time', async () => {
      const c = await createCampaign(t, brand);
      fake.hangNext(3);
      const started = Date.now();
      expectProblem(await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth), 503, 'unavailable');
      expect(Date.now() - started).toBeLessThan(15_000);
      const retry = await startCheckout(c.id);
      expect(retry.checkoutSessionId).toMatch(/^cs_test_/);
    });

    it('puts the campaign back in draft when Stripe refuses the checkout', async () => {
      const big = await createCampaign(t, brand, {
        inventory: 1_000_000,
        perk: { title: 'Phone', description: 'A phone', kind: 'product', unitCostCents: 100_000, currency: 'usd' },
      });
      const res = await t.http.post(`/v1/campaigns/${big.id}/funding`).set(brand.auth);
      expectProblem(res, 422, 'unprocessable');
      expect(res.body.detail).toMatch(/^Stripe refused the checkout: .*no more than/);
      expect((await campaign(big.id)).status).toBe('draft');
      const [f] = await t.db.query(`SELECT status FROM fundings WHERE campaign_id = $1`, [big.id]);
      expect(f.status).toBe('failed');
      // Fixable: the brand changes the draft and funds it.
      await t.http.patch(`/v1/campaigns/${big.id}`).set(brand.auth).send({ inventory: 100 }).expect(200);
      expect((await startCheckout(big.id)).amountCents).toBe(100 * 100_000 * 1.1);

      const declined = await createCampaign(t, brand);
      fake.failNext(1, { status: 402, type: 'card_error', code: 'card_declined', message: 'Your card was declined.' });
      expectProblem(await t.http.post(`/v1/campaigns/${declined.id}/funding`).set(brand.auth), 422);
      expect((await campaign(declined.id)).status).toBe('draft');
    });

    it('refunds in full a payment that arrives after the campaign was cancelled', async () => {
      const c = await createCampaign(t, brand);
      const { checkoutSessionId, fundingId } = await startCheckout(c.id);
      const event = paidEvent(checkoutSessionId); // paid at Stripe…
      await t.http.post(`/v1/campaigns/${c.id}/cancel`).set(brand.auth).expect(200); // …while the brand cancels
      await deliver(event).expect(200);
      await processed(String(event.id));
      expect(await fundingRow(fundingId)).toMatchObject({ status: 'rejected' });
      const l = await eventually(async () => {
        const x = await ledger(c.id);
        return x.refundedCents > 0 ? x : undefined;
      });
      expect(l).toMatchObject({
        fundedCents: QUOTE,
        spentCents: 0,
        platformFeeCents: 0,
        refundedCents: QUOTE,
        remainingCents: 0,
      });
      const refund = fake.calls('POST', '/v1/refunds').find((r) => r.idempotencyKey === `funding-refund:${fundingId}`);
      expect(refund?.params.amount).toBe(String(QUOTE));
      expect(await campaign(c.id)).toMatchObject({ status: 'cancelled', fundedCents: 0 });
    });

    it('expires the open checkout when the campaign is cancelled', async () => {
      const c = await createCampaign(t, brand);
      const { checkoutSessionId, fundingId } = await startCheckout(c.id);
      await t.http.post(`/v1/campaigns/${c.id}/cancel`).set(brand.auth).expect(200);
      await eventually(async () => (fake.sessions.get(checkoutSessionId)?.status === 'expired' ? true : undefined));
      await eventually(async () => ((await fundingRow(fundingId)).status === 'expired' ? true : undefined));
    });
  });

  describe('offline funding (admin)', () => {
    it('activates like a paid checkout, replays with the same key, and refunds offline on close', async () => {
      const c = await createCampaign(t, brand);
      const send = (body: Json) =>
        t.http.post(`/v1/admin/campaigns/${c.id}/funding`).set(admin).set('idempotency-key', 'inv-42').send(body);
      const res = await send({ amountCents: QUOTE, reference: 'INV-42' }).expect(200);
      expect(res.body).toMatchObject({
        funding: {
          method: 'offline',
          status: 'paid',
          amountCents: QUOTE,
          perkCents: PERK,
          platformFeeCents: FEE,
          currency: 'usd',
          reference: 'INV-42',
          checkoutSessionId: null,
        },
        campaign: { id: c.id, status: 'active', fundedCents: QUOTE },
      });
      const replay = await send({ amountCents: QUOTE, reference: 'INV-42' }).expect(200);
      expect(replay.body).toEqual(res.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const conflict = await t.http
        .post(`/v1/admin/campaigns/${c.id}/funding`)
        .set(admin)
        .send({ amountCents: QUOTE, reference: 'INV-43' });
      expectProblem(conflict, 409, 'conflict');
      expect(conflict.body.detail).toContain('is active');
      await eventually(async () => ((await jobsFor(t, 'matching', 'match-campaign', c.id)) === 1 ? true : undefined));

      await simulateClaims(t, c.id, 10);
      expect(await campaign(c.id)).toMatchObject({ claimed: 10, remaining: 0 });
      // Sold out: the budget is drawn exactly, fee rounding included.
      expect(await ledger(c.id)).toMatchObject({ spentCents: PERK, platformFeeCents: FEE, remainingCents: 0 });
      const refundsBefore = fake.calls('POST', '/v1/refunds').length;
      await t.http.post(`/v1/campaigns/${c.id}/close`).set(brand.auth).expect(200);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await ledger(c.id)).toMatchObject({ refundedCents: 0, remainingCents: 0 });

      const partial = await createCampaign(t, brand);
      await activateOffline(t, partial.id, QUOTE, 'INV-44');
      await simulateClaims(t, partial.id, 4);
      await t.http.post(`/v1/campaigns/${partial.id}/close`).set(brand.auth).expect(200);
      const l = await eventually(async () => {
        const x = await ledger(partial.id);
        return x.refundedCents > 0 ? x : undefined;
      });
      expect(l).toMatchObject({
        fundedCents: QUOTE,
        spentCents: 7_200,
        platformFeeCents: 720,
        refundedCents: QUOTE - 7_920,
        remainingCents: 0,
      });
      expect(await ledgerEntries(partial.id, 'refund')).toEqual([{ amount: QUOTE - 7_920, reference: 'offline' }]);
      expect(fake.calls('POST', '/v1/refunds')).toHaveLength(refundsBefore);
    });

    it('needs exactly the checkout amount', async () => {
      const c = await createCampaign(t, brand);
      for (const amountCents of [QUOTE - 1, QUOTE + 1, PERK]) {
        const res = await t.http
          .post(`/v1/admin/campaigns/${c.id}/funding`)
          .set(admin)
          .send({ amountCents, reference: 'INV' });
        expectProblem(res, 422, 'unprocessable');
        expect(res.body.detail).toContain(String(QUOTE));
        expect(res.body.errors).toEqual([{ field: 'amountCents', message: `must be ${QUOTE}` }]);
      }
      expect((await campaign(c.id)).status).toBe('draft');
      expect(await ledgerEntries(c.id, 'funding')).toEqual([]);
    });

    it('validates its body and its caller', async () => {
      const c = await createCampaign(t, brand);
      const url = `/v1/admin/campaigns/${c.id}/funding`;
      expectProblem(
        await t.http.post(url).set(admin).send({ amountCents: -1, reference: 'x' }),
        400,
        'validation_failed',
      );
      expectProblem(await t.http.post(url).set(admin).send({ amountCents: 1.5, reference: 'x' }), 400);
      expectProblem(await t.http.post(url).set(admin).send({ amountCents: QUOTE }), 400);
      expectProblem(await t.http.post(url).set(admin).send({ amountCents: QUOTE, reference: ' ' }), 400);
      expectProblem(await t.http.post(url).set(admin).send({ amountCents: QUOTE, reference: 'x', paid: true }), 400);
      expectProblem(
        await t.http.post(url).set(brand.auth).send({ amountCents: QUOTE, reference: 'x' }),
        403,
        'forbidden',
      );
      expectProblem(await t.http.post(url).send({ amountCents: QUOTE, reference: 'x' }), 401, 'unauthenticated');
      expectProblem(
        await t.http
          .post('/v1/admin/campaigns/00000000-0000-4000-8000-000000000000/funding')
          .set(admin)
          .send({ amountCents: 1, reference: 'x' }),
        404,
        'not_found',
      );
      expectProblem(
        await t.http.post('/v1/admin/campaigns/nope/funding').set(admin).send({ amountCents: 1, reference: 'x' }),
        400,
      );
      expect((await campaign(c.id)).status).toBe('draft');
    });

    it('supersedes an open checkout, whose session is then expired at Stripe', async () => {
      const c = await createCampaign(t, brand);
      const { checkoutSessionId, fundingId } = await startCheckout(c.id);
      await activateOffline(t, c.id, QUOTE, 'INV-50');
      expect(await fundingRow(fundingId)).toMatchObject({ status: 'expired' });
      await eventually(async () => (fake.sessions.get(checkoutSessionId)?.status === 'expired' ? true : undefined));
      expect((await campaign(c.id)).status).toBe('active');
    });
  });

  describe('free perks and ended campaigns', () => {
    it('has no checkout for a free perk; offline funding of 0 activates it', async () => {
      const c = await createCampaign(t, brand, {
        perk: { title: 'Tasting', description: 'Free visit', kind: 'experience', unitCostCents: 0, currency: 'eur' },
      });
      const res = await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth);
      expectProblem(res, 422, 'unprocessable');
      expect(res.body.detail).toMatch(/offline funding/);
      expect((await campaign(c.id)).status).toBe('draft');
      await activateOffline(t, c.id, 0, 'FREE-1');
      expect(await campaign(c.id)).toMatchObject({ status: 'active', fundedCents: 0 });
      await simulateClaims(t, c.id, 2);
      expect(await ledger(c.id)).toMatchObject({
        fundedCents: 0,
        spentCents: 0,
        platformFeeCents: 0,
        remainingCents: 0,
      });
    });

    it('refuses to fund a campaign whose end has passed', async () => {
      const c = await createCampaign(t, brand, { endsAt: new Date(Date.now() + 86_400_000).toISOString() });
      await t.db.query(`UPDATE campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [c.id]);
      const res = await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth);
      expectProblem(res, 422);
      expect(res.body.errors).toEqual([{ field: 'endsAt', message: 'is in the past' }]);
      expectProblem(
        await t.http
          .post(`/v1/admin/campaigns/${c.id}/funding`)
          .set(admin)
          .send({ amountCents: QUOTE, reference: 'x' }),
        422,
      );
      expect((await campaign(c.id)).status).toBe('draft');
    });

    it('wants a brand key for funding and ledger', async () => {
      const c = await createCampaign(t, brand);
      expectProblem(await t.http.post(`/v1/campaigns/${c.id}/funding`).set(admin), 403, 'forbidden');
      expectProblem(await t.http.post(`/v1/campaigns/${c.id}/funding`), 401);
      expectProblem(await t.http.get(`/v1/campaigns/${c.id}/ledger`).set(admin), 403);
      expectProblem(await t.http.get(`/v1/campaigns/${c.id}/ledger`), 401);
      expectProblem(
        await t.http.post('/v1/campaigns/00000000-0000-4000-8000-000000000000/funding').set(brand.auth),
        404,
      );
      expect((await campaign(c.id)).status).toBe('draft');
    });
  });
});

describe('billing without Stripe configured', () => {
  let t: TestApp;
  let brand: TestBrand;
  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t);
  });
  afterAll(() => t.close());

  it('answers 503 for card funding and webhooks, and offline funding still works', async () => {
    const c = await createCampaign(t, brand);
    const res = await t.http.post(`/v1/campaigns/${c.id}/funding`).set(brand.auth);
    expectProblem(res, 503, 'unavailable');
    expect(res.body.detail).toMatch(/not configured.*offline/);
    expect((await t.http.get(`/v1/campaigns/${c.id}`).set(brand.auth)).body.status).toBe('draft');
    const { payload, header } = FakeStripe.sign({ id: 'evt_1', object: 'event', type: 'ping', data: { object: {} } });
    expectProblem(
      await t.http
        .post('/v1/webhooks/stripe')
        .set('content-type', 'application/json')
        .set('stripe-signature', header)
        .send(payload),
      503,
    );
    expect((await t.db.query(`SELECT count(*)::int AS n FROM stripe_events`))[0].n).toBe(0);
    await activateOffline(t, c.id, QUOTE);
    expect((await t.http.get(`/v1/campaigns/${c.id}`).set(brand.auth)).body.status).toBe('active');
  });
});
