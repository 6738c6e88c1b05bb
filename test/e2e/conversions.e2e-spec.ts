import { ClickRecorder } from '../../src/tracking/click-recorder.service';
import { uuidv7 } from '../../src/tracking/uuid-v7';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor, clickIdOf, visit } from '../factories/claims';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';

const flush = (t: TestApp) => t.app.get(ClickRecorder).flush();
let n = 0;
const order = () => `order-${++n}`;

describe('conversions', () => {
  let t: TestApp;
  let brand: TestBrand;
  let other: TestBrand;
  let campaignId: string;
  let claim: Awaited<ReturnType<typeof claimFor>>;
  let clickId: string;

  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t);
    other = await createBrand(t);
    campaignId = await activeCampaign(t, brand, { attributionWindowDays: 7 });
    claim = await claimFor(t, campaignId);
    clickId = clickIdOf(await visit(t, claim.code));
    await flush(t);
  });
  afterAll(() => t.close());

  const post = (b: TestBrand, body: Record<string, unknown>) => t.http.post('/v1/conversions').set(b.auth).send(body);

  it('attributes by code and replays the same order as 200 with the same conversion', async () => {
    const orderId = order();
    const body = { orderId, amountCents: 4200, currency: 'usd', code: claim.code.toLowerCase() };
    const first = await post(brand, body).expect(201);
    expect(first.body).toEqual({
      conversion: expect.objectContaining({
        orderId,
        attributed: true,
        campaignId,
        claimId: claim.id,
        attributedBy: 'code',
        possibleCodeLeak: false,
        amountCents: 4200,
        currency: 'usd',
        source: 'api',
      }),
    });
    const again = await post(brand, body).expect(200);
    expect(again.body).toEqual(first.body);
    expectProblem(await post(brand, { ...body, amountCents: 4300 }), 409, 'conflict');
    expectProblem(await post(brand, { ...body, currency: 'eur' }), 409, 'conflict');
    const [{ count }] = await t.db.query(`SELECT count(*)::int FROM conversions WHERE order_id = $1`, [orderId]);
    expect(count).toBe(1);
  });

  it('attributes by click within the campaign window; prefers the code when both are sent', async () => {
    const byClick = await post(brand, { orderId: order(), amountCents: 1000, currency: 'usd', clickId }).expect(201);
    expect(byClick.body.conversion).toMatchObject({ attributed: true, attributedBy: 'click', claimId: claim.id });
    const both = await post(brand, { orderId: order(), amountCents: 1000, currency: 'usd', clickId, code: claim.code });
    expect(both.body.conversion).toMatchObject({ attributedBy: 'code', possibleCodeLeak: false });
  });

  it('does not attribute a click older than the attribution window, or a sale before the click', async () => {
    const eightDaysLater = new Date(Date.now() + 8 * 86_400_000).toISOString();
    // A click 8 days ago (window: 7 days), written as the flush would: its id carries its timestamp.
    const clickedAt = Date.now() - 8 * 86_400_000;
    const oldClick = uuidv7(clickedAt);
    await t.db.query(
      `INSERT INTO clicks (id, clicked_at, claim_id, campaign_id, visitor_hash, kind)
       VALUES ($1, $2, $3, $4, '\\x00', 'human')`,
      [oldClick, new Date(clickedAt), claim.id, campaignId],
    );
    const late = await post(brand, { orderId: order(), amountCents: 500, currency: 'usd', clickId: oldClick }).expect(
      201,
    );
    expect(late.body.conversion).toMatchObject({ attributed: false });
    expect(late.body.conversion.campaignId).toBeUndefined();
    const inWindow = await post(brand, {
      orderId: order(),
      amountCents: 500,
      currency: 'usd',
      clickId: oldClick,
      occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    }).expect(201);
    expect(inWindow.body.conversion).toMatchObject({ attributed: true, attributedBy: 'click' });
    const before = await post(brand, {
      orderId: order(),
      amountCents: 500,
      currency: 'usd',
      clickId,
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
    }).expect(201);
    expect(before.body.conversion.attributed).toBe(false);
    expectProblem(
      await post(brand, { orderId: order(), amountCents: 1, currency: 'usd', occurredAt: eightDaysLater }),
      400,
    );
  });

  it('never attributes across brands: another brand’s code or click leaves the sale unattributed', async () => {
    const viaCode = await post(other, { orderId: order(), amountCents: 900, currency: 'usd', code: claim.code }).expect(
      201,
    );
    expect(viaCode.body.conversion).toMatchObject({ attributed: false });
    const viaClick = await post(other, { orderId: order(), amountCents: 900, currency: 'usd', clickId }).expect(201);
    expect(viaClick.body.conversion).toMatchObject({ attributed: false });
    expect(viaClick.body.conversion.claimId).toBeUndefined();
    // Order ids are per brand: the same id at another brand is another order.
    const shared = 'same-order-id';
    await post(brand, { orderId: shared, amountCents: 1, currency: 'usd' }).expect(201);
    await post(other, { orderId: shared, amountCents: 2, currency: 'usd' }).expect(201);
  });

  it('flags a code conversion without any prior human click on that link as a possible leak', async () => {
    const quiet = await claimFor(t, campaignId);
    await visit(t, quiet.code, { ua: 'curl/8.5.0' });
    await flush(t);
    const r = await post(brand, { orderId: order(), amountCents: 2500, currency: 'usd', code: quiet.code }).expect(201);
    expect(r.body.conversion).toMatchObject({ attributedBy: 'code', possibleCodeLeak: true });
    const [row] = await t.db.query(
      `SELECT code_leaks FROM conversion_daily WHERE campaign_id = $1 AND code_leaks > 0`,
      [campaignId],
    );
    expect(row.code_leaks).toBe(1);
  });

  it('ingests a batch set-based with a status per item', async () => {
    const existing = order();
    await post(brand, { orderId: existing, amountCents: 700, currency: 'usd' }).expect(201);
    const fresh = order();
    const res = await t.http
      .post('/v1/conversions/batch')
      .set(brand.auth)
      .send({
        conversions: [
          { orderId: fresh, amountCents: 100, currency: 'usd', code: claim.code },
          { orderId: existing, amountCents: 700, currency: 'usd' },
          { orderId: existing, amountCents: 701, currency: 'usd' },
          { orderId: fresh, amountCents: 100, currency: 'usd' },
          { orderId: order(), amountCents: -5, currency: 'usd' },
          { orderId: order(), amountCents: 5, currency: 'usd', coupon: 'X' },
          'not an object',
          { orderId: order(), amountCents: 300, currency: 'eur', clickId },
        ],
      })
      .expect(200);
    const r = res.body.results;
    expect(r.map((x: { status: string }) => x.status)).toEqual([
      'created',
      'existing',
      'conflict',
      'existing',
      'invalid',
      'invalid',
      'invalid',
      'created',
    ]);
    expect(r[0]).toMatchObject({ orderId: fresh, attributed: true, campaignId, conversionId: expect.any(String) });
    expect(r[3].conversionId).toBe(r[0].conversionId);
    expect(r[4].errors).toEqual([expect.objectContaining({ field: 'amountCents' })]);
    expect(r[5].errors).toEqual([{ field: 'coupon', message: 'unknown field' }]);
    expect(r[6]).toMatchObject({ orderId: null, conversionId: null });
    expect(r[7]).toMatchObject({ attributed: true, campaignId });
    // Replaying the whole batch changes nothing.
    const before = await t.db.query(`SELECT count(*)::int AS n FROM conversions`);
    const again = await t.http
      .post('/v1/conversions/batch')
      .set(brand.auth)
      .send({ conversions: [{ orderId: fresh, amountCents: 100, currency: 'usd', code: claim.code }] })
      .expect(200);
    expect(again.body.results[0]).toMatchObject({ status: 'existing', conversionId: r[0].conversionId });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM conversions`)).toEqual(before);
  });

  it('answers bad requests with the contract’s statuses', async () => {
    expectProblem(await post(brand, { orderId: order(), amountCents: 1, currency: 'USD' }), 400, 'validation_failed');
    expectProblem(await post(brand, { orderId: order(), amountCents: 1.5, currency: 'usd' }), 400);
    expectProblem(await post(brand, { orderId: order(), amountCents: 1, currency: 'usd', clickId: 'x' }), 400);
    expectProblem(await post(brand, { orderId: order(), amountCents: 1, currency: 'usd', extra: true }), 400);
    expectProblem(await post(brand, { amountCents: 1, currency: 'usd' }), 400);
    expectProblem(await t.http.post('/v1/conversions').send({ orderId: 'x', amountCents: 1, currency: 'usd' }), 401);
    expectProblem(
      await t.http
        .post('/v1/conversions')
        .set(claim.member.auth)
        .send({ orderId: 'x', amountCents: 1, currency: 'usd' }),
      403,
    );
    expectProblem(
      await t.http.post('/v1/conversions').set(admin).send({ orderId: 'x', amountCents: 1, currency: 'usd' }),
      403,
    );
    const batch = (conversions: unknown) => t.http.post('/v1/conversions/batch').set(brand.auth).send({ conversions });
    expectProblem(await batch([]), 400);
    expectProblem(await batch('nope'), 400);
    expectProblem(
      await batch(Array.from({ length: 1001 }, (_, i) => ({ orderId: `b${i}`, amountCents: 1, currency: 'usd' }))),
      400,
    );
    expectProblem(
      await t.http
        .post('/v1/conversions/batch')
        .set(brand.auth)
        .send({ conversions: [{}], more: 1 }),
      400,
    );
    expectProblem(
      await t.http
        .post('/v1/conversions/batch')
        .set(claim.member.auth)
        .send({ conversions: [{}] }),
      403,
    );
  });

  it('honours Idempotency-Key on the single endpoint', async () => {
    const body = { orderId: order(), amountCents: 333, currency: 'usd' };
    const a = await post(brand, body).set('idempotency-key', 'conv-1');
    const b = await post(brand, body).set('idempotency-key', 'conv-1');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expectProblem(await post(brand, { ...body, amountCents: 334 }).set('idempotency-key', 'conv-1'), 409);
  });
});
