import { ClickRecorder } from '../../src/tracking/click-recorder.service';
import { createBrand, linkStripeAccount, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor, clickIdOf, visit } from '../factories/claims';
import { eventually } from '../factories/campaigns';
import { FakeStripe } from '../support/fake-stripe';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';

type Json = Record<string, unknown>;
let seq = 0;

describe('sales from a brand’s connected Stripe account', () => {
  let t: TestApp;
  let brand: TestBrand;
  let campaignId: string;
  let stripe: FakeStripe;
  const account = 'acct_1BrandShop0001';

  beforeAll(async () => {
    stripe = await new FakeStripe().start();
    t = await startTestApp(stripe.env);
    brand = await createBrand(t);
    campaignId = await activeCampaign(t, brand);
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.stop();
  });

  const deliver = (event: Json) => {
    const { payload, header } = FakeStripe.sign(event);
    return t.http
      .post('/v1/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('stripe-signature', header)
      .send(payload)
      .expect(200);
  };
  const event = (type: string, object: Json, acct: string | null = account): Json => ({
    id: `evt_${++seq}_${Date.now()}`,
    object: 'event',
    type,
    account: acct ?? undefined,
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    api_version: '2024-06-20',
  });
  const session = (o: Json): Json => ({
    id: `cs_test_${++seq}`,
    object: 'checkout.session',
    payment_status: 'paid',
    status: 'complete',
    amount_total: 6400,
    currency: 'usd',
    payment_intent: `pi_${seq}`,
    metadata: {},
    ...o,
  });
  const processed = (id: string) =>
    eventually(async () => {
      const [r] = await t.db.query(`SELECT processed_at FROM stripe_events WHERE id = $1`, [id]);
      return r?.processed_at ? true : undefined;
    });
  const conversion = async (orderId: string) =>
    (
      await t.db.query(
        `SELECT source, amount_cents::int AS amount, refunded_cents::int AS refunded, attributed_by, campaign_id, claim_id,
                possible_code_leak, payment_intent_id FROM conversions WHERE order_id = $1`,
        [orderId],
      )
    )[0];

  it('links the brand’s Stripe account; another brand cannot take it', async () => {
    const res = await linkStripeAccount(t, brand, stripe, account);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: brand.id, stripeAccountId: account });
    expect((await linkStripeAccount(t, brand, stripe, account)).status).toBe(200);
    const other = await createBrand(t);
    expectProblem(await linkStripeAccount(t, other, stripe, account), 409);
    expectProblem(await t.http.post('/v1/brands/me/stripe-account').set(other.auth).send({ accountId: 'acct x' }), 400);
    expectProblem(await t.http.post('/v1/brands/me/stripe-account').set(other.auth).send({}), 400);
    expectProblem(await t.http.post('/v1/brands/me/stripe-account').send({ accountId: account }), 401);
  });

  it('links only with proof of ownership: a Connect OAuth code for this brand’s own flow', async () => {
    const victim = 'acct_1VictimShop0001';
    const thief = await createBrand(t);
    const linked = async (b: TestBrand) =>
      (await t.http.get('/v1/brands/me').set(b.auth).expect(200)).body.stripeAccountId as string | null;
    // Naming an account is no longer enough.
    expectProblem(await t.http.post('/v1/brands/me/stripe-account').set(thief.auth).send({ accountId: victim }), 400);
    // A state issued to another brand (a code phished from the victim's own flow), forged or absent.
    const owner = await createBrand(t);
    const ownerStart = await t.http.get('/v1/brands/me/stripe-account/authorize').set(owner.auth).expect(200);
    expect(ownerStart.body).toEqual({
      url: expect.any(String),
      state: expect.any(String),
      expiresAt: expect.any(String),
    });
    const url = new URL(ownerStart.body.url);
    expect(url.pathname).toBe('/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: FakeStripe.CONNECT_CLIENT_ID,
      response_type: 'code',
      scope: 'read_only',
      state: ownerStart.body.state,
    });
    const grant = stripe.approve(ownerStart.body.url, victim);
    const post = (b: TestBrand, body: Json) => t.http.post('/v1/brands/me/stripe-account').set(b.auth).send(body);
    expectProblem(await post(thief, grant), 422, 'unprocessable');
    expectProblem(await post(thief, { ...grant, state: `${grant.state}x` }), 422, 'unprocessable');
    expectProblem(await post(thief, { code: grant.code }), 400);
    // A code Stripe never issued.
    const thiefStart = await t.http.get('/v1/brands/me/stripe-account/authorize').set(thief.auth).expect(200);
    expectProblem(await post(thief, { code: 'ac_made_up', state: thiefStart.body.state }), 422, 'unprocessable');
    expect(await linked(thief)).toBeNull();
    // The owner's own code links it once; the same code again is refused by Stripe (single use).
    expect((await post(owner, grant)).body).toMatchObject({ id: owner.id, stripeAccountId: victim });
    expectProblem(await post(owner, grant), 422, 'unprocessable');
    // An accountId that is not the approving account is a mismatch, and nothing changes.
    const mismatch = await linkStripeAccount(t, owner, stripe, 'acct_1OtherShop00001', { accountId: victim });
    expectProblem(mismatch, 422, 'unprocessable');
    expect(await linked(owner)).toBe(victim);
    // Stripe down: 503 with Retry-After, nothing linked; the code is still good afterwards.
    const start = await t.http.get('/v1/brands/me/stripe-account/authorize').set(thief.auth).expect(200);
    const own = stripe.approve(start.body.url, 'acct_1ThiefOwnShop01');
    stripe.failNext(3); // the SDK retries twice
    const down = await post(thief, own);
    expectProblem(down, 503, 'unavailable');
    expect(down.headers['retry-after']).toBe('5');
    expect(await linked(thief)).toBeNull();
    expect((await post(thief, own)).body).toMatchObject({ stripeAccountId: 'acct_1ThiefOwnShop01' });
    // The token Stripe returned is never stored.
    expect(JSON.stringify(await t.db.query(`SELECT * FROM brands`))).not.toMatch(/sk_test_|rt_test_/);
  });

  it('lets the operator link an account it verified itself', async () => {
    const b = await createBrand(t);
    const put = (id: string, body: Json, auth = admin) =>
      t.http.put(`/v1/admin/brands/${id}/stripe-account`).set(auth).send(body);
    expect((await put(b.id, { accountId: 'acct_1OperatorShop1' })).body).toMatchObject({
      id: b.id,
      stripeAccountId: 'acct_1OperatorShop1',
    });
    expectProblem(await put(b.id, { accountId: 'acct_1OperatorShop1' }, b.auth), 403);
    expectProblem(await put('0190a3b2-0000-7000-8000-000000000009', { accountId: 'acct_1OperatorShop2' }), 404);
    expectProblem(await put(b.id, { accountId: account }), 409);
  });

  it('turns a paid session carrying sway_click into a click-attributed conversion, once', async () => {
    const claim = await claimFor(t, campaignId);
    const clickId = clickIdOf(await visit(t, claim.code));
    await t.app.get(ClickRecorder).flush();
    const s = session({ metadata: { sway_click: clickId } });
    const ev = event('checkout.session.completed', s);
    await deliver(ev);
    await deliver(ev); // duplicate delivery
    await processed(ev.id as string);
    expect(await conversion(s.id as string)).toMatchObject({
      source: 'stripe',
      amount: 6400,
      attributed_by: 'click',
      campaign_id: campaignId,
      claim_id: claim.id,
      payment_intent_id: s.payment_intent,
    });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM conversions WHERE order_id = $1`, [s.id]);
    expect(n).toBe(1);
  });

  it('matches an expanded promotion code equal to a Sway code, flags a leak, and reverses it on refund', async () => {
    const claim = await claimFor(t, campaignId);
    const s = session({
      amount_total: 10_000,
      total_details: {
        amount_discount: 1000,
        breakdown: {
          discounts: [
            { amount: 1000, discount: { promotion_code: { id: 'promo_1', code: claim.code.replace('-', '') } } },
          ],
        },
      },
    });
    const ev = event('checkout.session.completed', s);
    await deliver(ev);
    await processed(ev.id as string);
    expect(await conversion(s.id as string)).toMatchObject({
      attributed_by: 'code',
      claim_id: claim.id,
      possible_code_leak: true,
    });
    const sales = async () =>
      (
        await t.db.query(
          `SELECT sum(conversions)::int AS c, sum(refunded_conversions)::int AS rc, sum(revenue_cents)::int AS rev,
                  sum(refunded_cents)::int AS ref FROM conversion_daily WHERE campaign_id = $1`,
          [campaignId],
        )
      )[0];
    const base = await sales();
    const partial = event('charge.refunded', {
      id: 'ch_1',
      object: 'charge',
      payment_intent: s.payment_intent,
      amount_refunded: 2500,
    });
    await deliver(partial);
    await processed(partial.id as string);
    expect(await conversion(s.id as string)).toMatchObject({ refunded: 2500 });
    expect(await sales()).toEqual({ ...base, ref: base.ref + 2500 });
    const full = event('charge.refunded', {
      id: 'ch_1',
      object: 'charge',
      payment_intent: s.payment_intent,
      amount_refunded: 10_000,
    });
    await deliver(full);
    await deliver(full);
    await processed(full.id as string);
    expect(await conversion(s.id as string)).toMatchObject({ refunded: 10_000 });
    expect(await sales()).toEqual({ ...base, rc: base.rc + 1, ref: base.ref + 10_000 });
    const report = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    expect(report.quality).toMatchObject({ refundedConversions: 1, refundedCents: 10_000 });
  });

  it('ignores sessions without a Sway reference, unpaid sessions and accounts no brand linked', async () => {
    const claim = await claimFor(t, campaignId);
    const plain = session({});
    const unpaid = session({ payment_status: 'unpaid', metadata: { sway_code: claim.code } });
    const stranger = session({ metadata: { sway_code: claim.code } });
    const evs = [
      event('checkout.session.completed', plain),
      event('checkout.session.completed', unpaid),
      event('checkout.session.completed', stranger, 'acct_1NobodyLinkedThis'),
    ];
    for (const ev of evs) await deliver(ev);
    for (const ev of evs) await processed(ev.id as string);
    for (const s of [plain, unpaid, stranger]) expect(await conversion(s.id as string)).toBeUndefined();
  });
});
