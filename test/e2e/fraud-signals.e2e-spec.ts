import { randomBytes } from 'node:crypto';
import { TrackingRepository } from '../../src/tracking/tracking.repository';
import { ClickRecorder } from '../../src/tracking/click-recorder.service';
import { uuidv7 } from '../../src/tracking/uuid-v7';
import { TrustService } from '../../src/trust/trust.service';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor, clickIdOf, TestClaim, visit } from '../factories/claims';
import { createMember, TestMember } from '../factories/influencers';
import { dumpText } from '../support/dump';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';

const DAY = 86_400_000;
/** Yesterday, 00:00 UTC: every hand-built row lies inside the rules' look-back and inside one UTC day. */
const yesterday = (() => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - DAY;
})();
const at = (hours: number, minutes = 0, seconds = 0): number =>
  yesterday + ((hours * 60 + minutes) * 60 + seconds) * 1000;

const addressOf = (line1: string, postalCode = '94110') => ({
  name: 'Someone',
  line1,
  city: 'San Francisco',
  region: 'CA',
  postalCode,
  country: 'US',
});

describe('fraud signals (issue 17)', () => {
  let t: TestApp;
  let brand: TestBrand;
  let other: TestBrand;
  let campaignId: string;
  let n = 0;
  const order = () => `fraud-order-${++n}`;
  const claims: Record<string, TestClaim> = {};
  const honestEmail = `honest.buyer.${Date.now().toString(36)}@shop.example`;
  const gclidValue = `Cj0KCQ${randomBytes(6).toString('hex')}`;
  let household: TestMember[];

  const trust = () => t.app.get(TrustService);
  const signals = async (b: TestBrand = brand, query = ''): Promise<Record<string, unknown>[]> =>
    (await t.http.get(`/v1/campaigns/${campaignId}/fraud-signals?limit=200${query}`).set(b.auth).expect(200)).body.data;
  const of = (list: Record<string, unknown>[], type: string, claim: TestClaim) =>
    list.filter((s) => s.type === type && s.claimId === claim.id);
  const conversion = (body: Record<string, unknown>) =>
    t.http
      .post('/v1/conversions')
      .set(brand.auth)
      .send({ amountCents: 1000, currency: 'usd', ...body });

  /** Clicks through tracking's own write path (clicks, visitor sets and rollups in one statement), back-dated. */
  const clicks = async (claim: TestClaim, list: { at: number; visitor: Buffer }[]) => {
    await t.app.get(TrackingRepository).insertClicks(
      list.map((c) => ({
        id: uuidv7(c.at),
        at: new Date(c.at),
        claimId: claim.id,
        campaignId,
        visitorHash: c.visitor,
        kind: 'human' as const,
        adClick: null,
      })),
    );
  };
  const visitor = () => randomBytes(16);

  beforeAll(async () => {
    // API only: no worker runs the detection schedule behind the test's back.
    t = await startTestApp({ ROLE: 'api' });
    brand = await createBrand(t);
    other = await createBrand(t);
    campaignId = await activeCampaign(t, brand, {
      inventory: 20,
      perk: { title: 'Grinder', description: 'A grinder', kind: 'product', unitCostCents: 1800, currency: 'usd' },
    });
    const member = async (address: ReturnType<typeof addressOf>) => {
      const m = await createMember(t);
      await t.http.patch('/v1/me').set(m.auth).send({ shippingAddress: address }).expect(200);
      return m;
    };
    // Two members at one address, written differently (case, punctuation, recipient); a neighbour next door.
    household = [
      await member(addressOf('12 Mission Street, Apt 4')),
      await member({ ...addressOf('12 mission street apt 4'), name: 'Other Person' }),
    ];
    const neighbour = await member(addressOf('14 Mission Street, Apt 4'));
    claims.first = await claimFor(t, campaignId, household[0]);
    claims.second = await claimFor(t, campaignId, household[1]);
    claims.neighbour = await claimFor(t, campaignId, neighbour);
    for (const k of [
      'farm',
      'honestClicks',
      'burst',
      'paid',
      'utm',
      'code',
      'codeSpread',
      'click',
      'clickHonest',
      'leak',
    ])
      claims[k] = await claimFor(t, campaignId, await member(addressOf(`${k} Avenue ${++n}`, '10001')));

    // self-referral: the claimant's own email (differently written) on a sale of their code; a stranger's on another.
    await conversion({
      orderId: order(),
      code: claims.first.code,
      customerEmail: ` ${household[0].email.toUpperCase()} `,
    }).expect(201);
    await conversion({ orderId: order(), code: claims.neighbour.code, customerEmail: honestEmail }).expect(201);
    await t.http
      .post('/v1/conversions/batch')
      .set(brand.auth)
      .send({
        conversions: [
          {
            orderId: order(),
            amountCents: 700,
            currency: 'usd',
            code: claims.neighbour.code,
            customerEmail: honestEmail,
          },
        ],
      })
      .expect(200);

    // click anomaly, one visitor: 25 clicks in a day from one visitor; honest: 15 visitors × 4 clicks, a minute apart.
    const bot = visitor();
    await clicks(
      claims.farm,
      Array.from({ length: 25 }, (_, i) => ({ at: at(10, i * 2), visitor: bot })),
    );
    const people = Array.from({ length: 15 }, visitor);
    await clicks(
      claims.honestClicks,
      Array.from({ length: 60 }, (_, i) => ({ at: at(11, i), visitor: people[i % 15] })),
    );
    // click anomaly, burst: 70 clicks within one minute; the honest link above had 60 over an hour.
    await clicks(
      claims.burst,
      Array.from({ length: 70 }, (_, i) => ({ at: at(14, 0, i % 60), visitor: visitor() })),
    );

    // paid traffic, through the real redirect: an ad click id on the link; a newsletter's utm tags are not one.
    await visit(t, `${claims.paid.code}?gclid=${gclidValue}`, { ip: '203.0.113.7' });
    await visit(t, `${claims.utm.code}?utm_source=newsletter&utm_medium=email`, { ip: '203.0.113.8' });
    await t.app.get(ClickRecorder).flush();
    // A code sale after a human click is no leak (the paid click is human).
    await conversion({ orderId: order(), code: claims.paid.code }).expect(201);

    // conversion velocity per code: 5 sales within one minute; honest: 5 sales a minute apart.
    for (let i = 0; i < 5; i++) {
      await clicks(claims.code, [{ at: at(15, 0, i), visitor: visitor() }]);
      await clicks(claims.codeSpread, [{ at: at(15, i), visitor: visitor() }]);
    }
    for (let i = 0; i < 5; i++) {
      await conversion({
        orderId: order(),
        code: claims.code.code,
        occurredAt: new Date(at(16, 0, 5 + i * 5)).toISOString(),
      }).expect(201);
      await conversion({
        orderId: order(),
        code: claims.codeSpread.code,
        occurredAt: new Date(at(16, i, 5)).toISOString(),
      }).expect(201);
    }
    // conversion velocity per click: 3 sales on one click id in the same second; honest: 2 on another click.
    const clickId = clickIdOf(await visit(t, claims.click.code, { ip: '198.51.100.1' }));
    const honestClick = clickIdOf(await visit(t, claims.clickHonest.code, { ip: '198.51.100.2' }));
    await t.app.get(ClickRecorder).flush();
    const when = new Date(Date.now() + 1000).toISOString();
    for (let i = 0; i < 3; i++) await conversion({ orderId: order(), clickId, occurredAt: when }).expect(201);
    for (let i = 0; i < 2; i++)
      await conversion({ orderId: order(), clickId: honestClick, occurredAt: when }).expect(201);

    // code leak: the code used without any click on its link.
    await conversion({ orderId: order(), code: claims.leak.code, amountCents: 2500 }).expect(201);
  }, 240_000);
  afterAll(() => t.close());

  it('opens each rule’s signal on the hand-built case and stays quiet on the honest one; a re-run opens nothing', async () => {
    const opened = await trust().detect();
    const list = await signals();
    expect(opened).toBe(list.length);

    expect(of(list, 'self_referral', claims.first)).toEqual([
      expect.objectContaining({
        severity: 'high',
        status: 'open',
        evidence: expect.objectContaining({ claimId: claims.first.id }),
      }),
    ]);
    expect(of(list, 'self_referral', claims.neighbour)).toEqual([]);

    expect(of(list, 'shared_household', claims.second)).toEqual([
      expect.objectContaining({
        severity: 'medium',
        evidence: {
          claimId: claims.second.id,
          firstClaimId: claims.first.id,
          claimsAtAddress: 2,
          claimIds: [claims.first.id, claims.second.id],
        },
      }),
    ]);
    expect(of(list, 'shared_household', claims.first)).toEqual([]);
    expect(of(list, 'shared_household', claims.neighbour)).toEqual([]);

    expect(of(list, 'click_anomaly', claims.farm)).toEqual([
      expect.objectContaining({
        evidence: expect.objectContaining({ pattern: 'one_visitor', clicks: 25, threshold: 20 }),
      }),
    ]);
    expect(of(list, 'click_anomaly', claims.burst)).toEqual([
      expect.objectContaining({ evidence: expect.objectContaining({ pattern: 'burst', clicks: 70, visitors: 70 }) }),
    ]);
    expect(of(list, 'click_anomaly', claims.honestClicks)).toEqual([]);

    expect(of(list, 'paid_traffic', claims.paid)).toEqual([
      expect.objectContaining({
        severity: 'low',
        evidence: expect.objectContaining({ paidClicks: 1, networks: { gclid: 1 } }),
      }),
    ]);
    expect(of(list, 'paid_traffic', claims.utm)).toEqual([]);

    expect(of(list, 'conversion_velocity', claims.code)).toEqual([
      expect.objectContaining({ evidence: expect.objectContaining({ pattern: 'per_code', conversions: 5 }) }),
    ]);
    expect(of(list, 'conversion_velocity', claims.codeSpread)).toEqual([]);
    expect(of(list, 'conversion_velocity', claims.click)).toEqual([
      expect.objectContaining({ evidence: expect.objectContaining({ pattern: 'per_click', conversions: 3 }) }),
    ]);
    expect(of(list, 'conversion_velocity', claims.clickHonest)).toEqual([]);

    expect(of(list, 'code_leak', claims.leak)).toEqual([
      expect.objectContaining({ severity: 'low', evidence: expect.objectContaining({ leakedConversions: 1 }) }),
    ]);
    expect(of(list, 'code_leak', claims.paid)).toEqual([]);
    expect(of(list, 'code_leak', claims.codeSpread)).toEqual([]);

    // Idempotent: the same rows judged again open nothing and change nothing.
    expect(await trust().detect()).toBe(0);
    expect(await signals()).toEqual(list);

    // One fraud_signal.opened webhook event per opened signal, with ids only.
    const events: { data: { signalId: string } }[] = await t.db.query(
      `SELECT data FROM webhooks.events WHERE type = 'fraud_signal.opened' AND brand_id = $1`,
      [brand.id],
    );
    expect(events.map((e) => e.data.signalId).sort()).toEqual(list.map((s) => s.id).sort());
    // And one notification to the brand per signal (the idempotent re-run added none).
    const notes: { fact_key: string }[] = await t.db.query(
      `SELECT fact_key FROM notifications.notifications WHERE kind = 'fraud_signal_opened' AND recipient_id = $1`,
      [brand.id],
    );
    expect(notes.map((n) => n.fact_key).sort()).toEqual(list.map((s) => `fraud:${String(s.id)}`).sort());
  });

  it('filters by status and pages with a cursor', async () => {
    const all = await signals();
    const page1 = await t.http.get(`/v1/campaigns/${campaignId}/fraud-signals?limit=3`).set(brand.auth).expect(200);
    expect(page1.body.data).toEqual(all.slice(0, 3));
    const page2 = await t.http
      .get(`/v1/campaigns/${campaignId}/fraud-signals?limit=3&cursor=${page1.body.nextCursor}`)
      .set(brand.auth)
      .expect(200);
    expect(page2.body.data).toEqual(all.slice(3, 6));
    expect(await signals(brand, '&status=confirmed')).toEqual([]);
    expectProblem(await t.http.get(`/v1/campaigns/${campaignId}/fraud-signals?status=maybe`).set(brand.auth), 400);
  });

  it('lets an analyst read signals but not decide them', async () => {
    const key = await t.http.post('/v1/brands/me/api-keys').set(brand.auth).send({ role: 'analyst' }).expect(201);
    const analyst = { authorization: `Bearer ${key.body.apiKey as string}` };
    const [s] = await signals(brand);
    expect(await signals({ ...brand, auth: analyst })).toHaveLength((await signals()).length);
    expectProblem(
      await t.http
        .post(`/v1/campaigns/${campaignId}/fraud-signals/${s.id as string}/confirm`)
        .set(analyst)
        .send({}),
      403,
    );
  });

  it('keeps brands apart: another brand’s campaign and signals are 404', async () => {
    const [s] = await signals();
    expectProblem(await t.http.get(`/v1/campaigns/${campaignId}/fraud-signals`).set(other.auth), 404);
    expectProblem(
      await t.http
        .post(`/v1/campaigns/${campaignId}/fraud-signals/${s.id as string}/confirm`)
        .set(other.auth)
        .send({}),
      404,
    );
    const mine = await activeCampaign(t, other);
    expectProblem(
      await t.http
        .post(`/v1/campaigns/${mine}/fraud-signals/${s.id as string}/confirm`)
        .set(other.auth)
        .send({}),
      404,
    );
    expect((await signals()).find((x) => x.id === s.id)).toMatchObject({ status: 'open' });
  });

  it('confirms and dismisses with a note, audited; the report’s two views add up', async () => {
    const list = await signals();
    const confirm = async (type: string, claim: TestClaim, note?: string) => {
      const [s] = of(list, type, claim);
      const r = await t.http
        .post(`/v1/campaigns/${campaignId}/fraud-signals/${s.id as string}/confirm`)
        .set(brand.auth)
        .send(note ? { note } : {})
        .expect(200);
      expect(r.body).toMatchObject({ id: s.id, status: 'confirmed', resolvedAt: expect.any(String) });
      return s.id as string;
    };
    const before = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    expect(before.excludingConfirmedFraud.funnel).toEqual(before.funnel);
    expect(before.fraud).toEqual({ open: list.length, confirmed: 0, dismissed: 0 });

    await confirm('shared_household', claims.second, 'Same flat, checked the order history');
    await confirm('click_anomaly', claims.farm);
    await confirm('self_referral', claims.first);
    const velocity = await confirm('conversion_velocity', claims.code);
    const [leak] = of(list, 'code_leak', claims.leak);
    const dismissed = await t.http
      .post(`/v1/campaigns/${campaignId}/fraud-signals/${leak.id as string}/dismiss`)
      .set(brand.auth)
      .send({ note: 'Printed on our packaging' })
      .expect(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', note: 'Printed on our packaging' });
    // Confirm, then change one's mind: it counts again.
    await t.http
      .post(`/v1/campaigns/${campaignId}/fraud-signals/${velocity}/dismiss`)
      .set(brand.auth)
      .send({})
      .expect(200);
    await t.http
      .post(`/v1/campaigns/${campaignId}/fraud-signals/${velocity}/confirm`)
      .set(brand.auth)
      .send({})
      .expect(200);
    // Audited in the brand audit log, with the key that decided and the note.
    const log = (await t.http.get('/v1/brands/me/audit-log?limit=100').set(brand.auth).expect(200)).body.data as {
      action: string;
      actor: { kind: string };
      target: { type: string; id: string };
      changes?: { note?: string; status: { from: string; to: string } };
    }[];
    const decisions = log.filter((e) => e.target.type === 'fraud_signal').reverse();
    expect(decisions.map((e) => e.action)).toEqual([
      ...Array(4).fill('fraud_signal.confirmed'),
      'fraud_signal.dismissed',
      'fraud_signal.dismissed',
      'fraud_signal.confirmed',
    ]);
    expect(decisions[0]).toMatchObject({
      actor: { kind: 'api_key' },
      changes: { note: 'Same flat, checked the order history', status: { from: 'open', to: 'confirmed' } },
    });

    const r = (await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body;
    // The plain figures are unchanged by any decision.
    expect(r.funnel).toEqual(before.funnel);
    expect(r.cost).toEqual(before.cost);
    expect(r.roi).toEqual(before.roi);
    expect(r.fraud).toEqual({ open: list.length - 5, confirmed: 4, dismissed: 1 });
    const x = r.excludingConfirmedFraud;
    expect(x.excluded).toEqual({
      claims: 1, // the second claim at one address
      fulfilled: 0,
      shares: 0,
      disclosedShares: 0,
      reach: 0,
      engagements: 0,
      clicks: 25, // the one visitor's day
      uniqueClicks: 1,
      conversions: 6, // one self-referred sale, five within a minute on one code
      revenueCents: 6000,
    });
    // excluding + excluded = all, figure by figure.
    const keys = [
      'claimed',
      'fulfilled',
      'shares',
      'disclosedShares',
      'reach',
      'engagements',
      'clicks',
      'uniqueClicks',
      'conversions',
      'revenueCents',
    ];
    const excludedKey = (k: string) => (k === 'claimed' ? 'claims' : k);
    for (const k of Object.keys(r.funnel))
      expect([k, x.funnel[k] + (keys.includes(k) ? x.excluded[excludedKey(k)] : 0)]).toEqual([k, r.funnel[k]]);
    expect(x.cost.perkCostCents).toBe(r.cost.perkCostCents - 1800);
    expect(x.cost.totalCents).toBe(r.cost.totalCents - 1800 - (r.cost.platformFeeCents - x.cost.platformFeeCents));
    expect(x.roi).toBeCloseTo((x.funnel.revenueCents - x.cost.totalCents) / x.cost.totalCents, 10);

    // Deciding is not detecting: a re-run opens nothing and leaves decisions alone.
    expect(await trust().detect()).toBe(0);
    expect((await signals(brand, '&status=confirmed')).length).toBe(4);
  });

  it('tells a member whose claim was confirmed fraudulent which rule, and nothing about anyone else', async () => {
    const second = (await t.http.get('/v1/me/fraud-verdicts').set(household[1].auth).expect(200)).body;
    expect(second).toEqual({
      data: [
        {
          signalId: expect.any(String),
          claimId: claims.second.id,
          campaignId,
          type: 'shared_household',
          rule: expect.stringContaining('same shipping address'),
          confirmedAt: expect.any(String),
        },
      ],
    });
    // The household's first claimant is not told about the second (nor the reverse): only their own verdict.
    const first = (await t.http.get('/v1/me/fraud-verdicts').set(household[0].auth).expect(200)).body;
    expect(first.data.map((v: { type: string }) => v.type)).toEqual(['self_referral']);
    expect(JSON.stringify(first)).not.toContain(claims.second.id);
    expect(JSON.stringify(second)).not.toContain(claims.first.id);
    const neighbour = (await t.http.get('/v1/me/fraud-verdicts').set(claims.neighbour.member.auth).expect(200)).body;
    expect(neighbour).toEqual({ data: [] });
    expectProblem(await t.http.get('/v1/me/fraud-verdicts').set(brand.auth), 403);
    // The member's data export carries the same verdicts, and only theirs.
    const exported = (await t.http.get('/v1/me/export').set(household[1].auth).expect(200)).body;
    expect(exported.fraudVerdicts).toEqual(second.data);
    const neighbourExport = (await t.http.get('/v1/me/export').set(claims.neighbour.member.auth).expect(200)).body;
    expect(neighbourExport.fraudVerdicts).toEqual([]);
  });

  it('keeps personal data out: no email, address or ad click id in evidence, keys or anywhere at rest', async () => {
    const rows: { e: string }[] = await t.db.query(`SELECT evidence::text || rule_key AS e FROM trust.signals`);
    const evidence = rows.map((r) => r.e).join('\n');
    for (const m of household) expect(evidence).not.toContain(m.email);
    for (const s of ['Mission', 'mission', '94110', 'San Francisco', honestEmail, gclidValue])
      expect(evidence).not.toContain(s);
    // Hashes are keyed bytes, not evidence: none appears in it in hex or base64.
    const [{ h }] = await t.db.query(`SELECT encode(address_hash, 'hex') AS h FROM redemptions.claims WHERE id = $1`, [
      claims.second.id,
    ]);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence).not.toContain(h);
    const dump = await dumpText(t);
    expect(dump).not.toContain(honestEmail);
    expect(dump).not.toContain(honestEmail.toLowerCase());
    expect(dump).not.toContain(gclidValue);
    const [paid] = await t.db.query(`SELECT ad_click FROM tracking.clicks WHERE claim_id = $1`, [claims.paid.id]);
    expect(paid).toEqual({ ad_click: 'gclid' });
  });

  it('rejects a malformed customerEmail with a 400, never a 500', async () => {
    expectProblem(await conversion({ orderId: order(), customerEmail: 'not an email' }), 400);
    expectProblem(await conversion({ orderId: order(), customerEmail: 42 }), 400);
  });
});
