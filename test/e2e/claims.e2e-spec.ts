import fc from 'fast-check';
import { RedemptionsService } from '../../src/redemptions/redemptions.service';
import { TestBrand, createBrand } from '../factories/brands';
import { activateOffline, createCampaign } from '../factories/campaigns';
import { TestMember, createMember } from '../factories/influencers';
import { BulkMember, insertMembers } from '../factories/scores';
import { dumpText } from '../support/dump';
import { expectProblem } from '../support/problem';
import { TestApp, admin, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const quote = (inventory: number, unit = 1800): number =>
  inventory * unit + Math.round((inventory * unit * 1000) / 10000);
const address = { name: 'Maya L', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

/** An active campaign (funded offline) with no matcher-made offers: tests hand out offers themselves. */
async function activeCampaign(
  t: TestApp,
  brand: TestBrand,
  inventory: number,
  kind: 'product' | 'experience' | 'discount' = 'discount',
): Promise<string> {
  const c = await createCampaign(t, brand, {
    inventory,
    perk: { title: 'Perk', description: 'A perk', kind, unitCostCents: 1800, currency: 'usd' },
    targeting: { topics: [{ slug: 'espresso-makers', minScore: 99 }], match: 'any' },
  });
  await activateOffline(t, c.id, quote(inventory));
  return c.id;
}

async function giveOffers(t: TestApp, campaignId: string, memberIds: string[], hours = 72): Promise<string[]> {
  const rows: { id: string }[] = await t.db.query(
    `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
     SELECT $1, m, 'pending', 60, now() + make_interval(hours => $3) FROM unnest($2::uuid[]) m
     RETURNING id`,
    [campaignId, memberIds, hours],
  );
  return rows.map((r) => r.id);
}

async function campaignRow(t: TestApp, id: string): Promise<{ claimed: number; remaining: number }> {
  const [row] = await t.db.query(`SELECT claimed, remaining FROM campaigns WHERE id = $1`, [id]);
  return row;
}

describe('claims', () => {
  let t: TestApp;
  let brand: TestBrand;
  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t);
  });
  afterAll(() => t.close());

  it('claims an offer: a unit, a human-friendly code, a tracking link, spend and fee on the ledger', async () => {
    const m = await createMember(t);
    const campaignId = await activeCampaign(t, brand, 3);
    const [offerId] = await giveOffers(t, campaignId, [m.id]);
    const res = await t.http.post(`/v1/me/offers/${offerId}/claim`).set(m.auth).expect(201);
    expect(res.body).toEqual({
      claim: {
        id: expect.any(String),
        offerId,
        campaignId,
        status: 'claimed',
        code: expect.stringMatching(/^[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/),
        trackingUrl: `https://sway.test/r/${res.body.claim.code}`,
      },
    });
    expect(await campaignRow(t, campaignId)).toEqual({ claimed: 1, remaining: 2 });
    const ledger = await t.db.query(
      `SELECT kind, amount_cents::int AS amount FROM ledger_entries WHERE campaign_id = $1 AND claim_id = $2 ORDER BY kind`,
      [campaignId, res.body.claim.id],
    );
    expect(ledger).toEqual([
      { kind: 'claim_spend', amount: 1800 },
      { kind: 'platform_fee', amount: 180 },
    ]);
    const mine = await t.http.get('/v1/me/claims').set(m.auth).expect(200);
    expect(mine.body.data).toEqual([expect.objectContaining({ id: res.body.claim.id, code: res.body.claim.code })]);
    const offers = await t.http.get('/v1/me/offers').set(m.auth).expect(200);
    expect(offers.body.data[0].status).toBe('claimed');
    // Claiming again: 409; the same Idempotency-Key replays the first 201 instead.
    expectProblem(await t.http.post(`/v1/me/offers/${offerId}/claim`).set(m.auth), 409, 'conflict');
  });

  it('replays a claim with the same Idempotency-Key', async () => {
    const m = await createMember(t);
    const campaignId = await activeCampaign(t, brand, 2);
    const [offerId] = await giveOffers(t, campaignId, [m.id]);
    const first = await t.http
      .post(`/v1/me/offers/${offerId}/claim`)
      .set(m.auth)
      .set('idempotency-key', 'c-1')
      .expect(201);
    const again = await t.http
      .post(`/v1/me/offers/${offerId}/claim`)
      .set(m.auth)
      .set('idempotency-key', 'c-1')
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(await campaignRow(t, campaignId)).toEqual({ claimed: 1, remaining: 1 });
  });

  it('answers every failure with the contract’s status and changes nothing', async () => {
    const m = await createMember(t);
    const other = await createMember(t);
    const campaignId = await activeCampaign(t, brand, 5);
    const [mine, expired, declined] = await giveOffers(t, campaignId, [m.id, other.id]).then(async (ids) => [
      ids[0],
      ...(await (async () => {
        const c2 = await activeCampaign(t, brand, 5);
        const [e] = await giveOffers(t, c2, [m.id], 1);
        await t.db.query(`UPDATE offers SET expires_at = now() - interval '1 minute' WHERE id = $1`, [e]);
        const c3 = await activeCampaign(t, brand, 5);
        const [d] = await giveOffers(t, c3, [m.id]);
        await t.http.post(`/v1/me/offers/${d}/decline`).set(m.auth).expect(200);
        return [e, d];
      })()),
    ]);
    const before = await t.db.query(`SELECT count(*)::int AS n FROM claims`);
    expectProblem(await t.http.post(`/v1/me/offers/${mine}/claim`).set(other.auth), 404, 'not_found');
    expectProblem(await t.http.post(`/v1/me/offers/3f1c2a8e-8a43-4c55-9a0e-1c1f3b9c0d11/claim`).set(m.auth), 404);
    expectProblem(await t.http.post(`/v1/me/offers/not-a-uuid/claim`).set(m.auth), 400);
    expectProblem(await t.http.post(`/v1/me/offers/${expired}/claim`).set(m.auth), 410, 'gone');
    expectProblem(await t.http.post(`/v1/me/offers/${declined}/claim`).set(m.auth), 409);
    expectProblem(await t.http.post(`/v1/me/offers/${mine}/claim`).set(brand.auth), 403);
    expectProblem(await t.http.post(`/v1/me/offers/${mine}/claim`).set(admin), 403);
    expectProblem(await t.http.post(`/v1/me/offers/${mine}/claim`), 401);
    await t.http.post(`/v1/campaigns/${campaignId}/pause`).set(brand.auth).expect(200);
    const paused = await t.http.post(`/v1/me/offers/${mine}/claim`).set(m.auth);
    expectProblem(paused, 409, 'conflict');
    expect(paused.body.detail).toMatch(/paused/);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM claims`)).toEqual(before);
    expect(await campaignRow(t, campaignId)).toEqual({ claimed: 0, remaining: 5 });
    await t.http.post(`/v1/campaigns/${campaignId}/resume`).set(brand.auth).expect(200);
    await t.http.post(`/v1/me/offers/${mine}/claim`).set(m.auth).expect(201);
  });

  it('withdraws the other pending offers when the last unit goes', async () => {
    const a = await createMember(t);
    const b = await createMember(t);
    const campaignId = await activeCampaign(t, brand, 1);
    const [oa, ob] = await giveOffers(t, campaignId, [a.id, b.id]);
    await t.http.post(`/v1/me/offers/${oa}/claim`).set(a.auth).expect(201);
    const sold = await t.http.post(`/v1/me/offers/${ob}/claim`).set(b.auth);
    expectProblem(sold, 409);
    const offer = await waitFor(async () => {
      const [o] = await t.db.query(`SELECT status, withdrawn_reason FROM offers WHERE id = $1`, [ob]);
      return o.status === 'withdrawn' ? o : null;
    });
    expect(offer).toEqual({ status: 'withdrawn', withdrawn_reason: 'sold_out' });
  });

  it('ships product perks: address required, shown to the brand only while claimed, purged 30 days after', async () => {
    const m = await createMember(t, { displayName: 'Parcel Person' });
    const campaignId = await activeCampaign(t, brand, 2, 'product');
    const [offerId] = await giveOffers(t, campaignId, [m.id]);
    expectProblem(await t.http.post(`/v1/me/offers/${offerId}/claim`).set(m.auth), 422, 'unprocessable');
    expect(await campaignRow(t, campaignId)).toEqual({ claimed: 0, remaining: 2 });
    await t.http.patch('/v1/me').set(m.auth).send({ shippingAddress: address }).expect(200);
    const claim = (await t.http.post(`/v1/me/offers/${offerId}/claim`).set(m.auth).expect(201)).body.claim;
    const list = await t.http.get(`/v1/campaigns/${campaignId}/claims`).set(brand.auth).expect(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        id: claim.id,
        status: 'claimed',
        shippingAddress: address,
        influencer: { ref: expect.stringMatching(/^inf_/) },
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('Parcel Person');
    const done = await t.http
      .patch(`/v1/campaigns/${campaignId}/claims/${claim.id}`)
      .set(brand.auth)
      .send({ status: 'fulfilled', trackingNumber: '1Z999' })
      .expect(200);
    expect(done.body).toMatchObject({ status: 'fulfilled', trackingNumber: '1Z999', shippingAddress: null });
    expectProblem(
      await t.http.patch(`/v1/campaigns/${campaignId}/claims/${claim.id}`).set(brand.auth).send({ status: 'claimed' }),
      400,
    );
    const other = await createBrand(t);
    expectProblem(
      await t.http
        .patch(`/v1/campaigns/${campaignId}/claims/${claim.id}`)
        .set(other.auth)
        .send({ status: 'fulfilled' }),
      404,
    );
    expectProblem(await t.http.get(`/v1/campaigns/${campaignId}/claims`).set(other.auth), 404);
    // 30 days later the address is purged from the claim.
    await t.db.query(`UPDATE claims SET fulfilled_at = now() - interval '31 days' WHERE id = $1`, [claim.id]);
    expect(await t.app.get(RedemptionsService).purgeShippedAddresses()).toBe(1);
    const [row] = await t.db.query(`SELECT shipping_address FROM claims WHERE id = $1`, [claim.id]);
    expect(row.shipping_address).toBeNull();
  });

  it('filters /v1/me/claims by status before the page limit: full pages, no early end', async () => {
    const m = await createMember(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const campaignId = await activeCampaign(t, brand, 1);
      const [offerId] = await giveOffers(t, campaignId, [m.id]);
      ids.push((await t.http.post(`/v1/me/offers/${offerId}/claim`).set(m.auth).expect(201)).body.claim.id);
    }
    // The three newest are fulfilled, so a filter applied after the limit would see only them on page one.
    await t.db.query(`UPDATE claims SET status = 'fulfilled', fulfilled_at = now() WHERE id = ANY($1)`, [ids.slice(2)]);
    const walk = async (status: string): Promise<{ pages: number[]; ids: string[] }> => {
      const pages: number[] = [];
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: Record<string, string> = { status, limit: '2', ...(cursor ? { cursor } : {}) };
        const res = await t.http.get('/v1/me/claims').query(q).set(m.auth).expect(200);
        expect(res.body.data.every((c: { status: string }) => c.status === status)).toBe(true);
        pages.push(res.body.data.length);
        seen.push(...res.body.data.map((c: { id: string }) => c.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return { pages, ids: seen };
    };
    expect(await walk('claimed')).toEqual({ pages: [2], ids: [ids[1], ids[0]] });
    expect(await walk('fulfilled')).toEqual({ pages: [2, 1], ids: [ids[4], ids[3], ids[2]] });
  });

  it('never oversells: 200 members claiming a 20-unit campaign at once', async () => {
    const members = await insertMembers(t, 200);
    const campaignId = await activeCampaign(t, brand, 20);
    const offerIds = await giveOffers(
      t,
      campaignId,
      members.map((m) => m.id),
    );
    const results = await Promise.all(
      members.map((m, i) => t.http.post(`/v1/me/offers/${offerIds[i]}/claim`).set(m.auth)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(180);
    expect(await campaignRow(t, campaignId)).toEqual({ claimed: 20, remaining: 0 });
    const [{ n, people }] = await t.db.query(
      `SELECT count(*)::int AS n, count(DISTINCT influencer_id)::int AS people FROM claims WHERE campaign_id = $1`,
      [campaignId],
    );
    expect({ n, people }).toEqual({ n: 20, people: 20 });
    const [{ spend }] = await t.db.query(
      `SELECT count(*)::int AS spend FROM ledger_entries WHERE campaign_id = $1 AND kind = 'claim_spend'`,
      [campaignId],
    );
    expect(spend).toBe(20);
  });

  it('gives one claim to a member firing 20 parallel claims', async () => {
    const [m] = await insertMembers(t, 1);
    const campaignId = await activeCampaign(t, brand, 10);
    const [offerId] = await giveOffers(t, campaignId, [m.id]);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post(`/v1/me/offers/${offerId}/claim`).set(m.auth)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(await campaignRow(t, campaignId)).toEqual({ claimed: 1, remaining: 9 });
  });

  it('holds the inventory invariant for random inventories, crowds and duplicate requests', async () => {
    const pool = await insertMembers(t, 30);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 3 }),
        async (inventory, crowd, copies) => {
          const campaignId = await activeCampaign(t, brand, inventory);
          const members: BulkMember[] = pool.slice(0, crowd);
          const offerIds = await giveOffers(
            t,
            campaignId,
            members.map((m) => m.id),
          );
          const requests = members.flatMap((m, i) =>
            Array.from({ length: copies }, () => t.http.post(`/v1/me/offers/${offerIds[i]}/claim`).set(m.auth)),
          );
          const results = await Promise.all(requests);
          const ok = results.filter((r) => r.status === 201).length;
          const expected = Math.min(inventory, crowd);
          const row = await campaignRow(t, campaignId);
          const [{ people }] = await t.db.query(
            `SELECT count(DISTINCT influencer_id)::int AS people FROM claims WHERE campaign_id = $1`,
            [campaignId],
          );
          return (
            ok === expected &&
            row.claimed === expected &&
            row.remaining === inventory - expected &&
            people === expected &&
            results.every((r) => r.status === 201 || r.status === 409)
          );
        },
      ),
      { numRuns: 8 },
    );
  });

  it('exports offers and claims, and keeps claims under the pseudonym after erasure', async () => {
    const m: TestMember = await createMember(t, { displayName: 'Claire Claimer', shareStatsWithBrands: true });
    await t.http
      .patch('/v1/me')
      .set(m.auth)
      .send({ shippingAddress: { ...address, line1: '42 Claimant Road' } })
      .expect(200);
    const campaignId = await activeCampaign(t, brand, 3, 'product');
    const [offerId] = await giveOffers(t, campaignId, [m.id]);
    const claim = (await t.http.post(`/v1/me/offers/${offerId}/claim`).set(m.auth).expect(201)).body.claim;
    const exp = await t.http.get('/v1/me/export').set(m.auth).expect(200);
    expect(exp.body.offers).toEqual([expect.objectContaining({ id: offerId, status: 'claimed' })]);
    expect(exp.body.claims).toEqual([expect.objectContaining({ id: claim.id, code: claim.code })]);
    const before = await t.http.get(`/v1/campaigns/${campaignId}/claims`).set(brand.auth).expect(200);
    expect(before.body.data[0].influencer).toMatchObject({ displayName: 'Claire Claimer' });
    const ref = before.body.data[0].influencer.ref;

    await t.http.delete('/v1/me').set(m.auth).expect(202);
    await waitFor(async () => {
      const [row] = await t.db.query(
        `SELECT 1 FROM audit_log WHERE influencer_id = $1 AND action = 'erasure_completed'`,
        [m.id],
      );
      return row;
    });
    const after = await t.http.get(`/v1/campaigns/${campaignId}/claims`).set(brand.auth).expect(200);
    expect(after.body.data).toEqual([
      expect.objectContaining({ id: claim.id, influencer: { ref }, shippingAddress: null }),
    ]);
    expect(await campaignRow(t, campaignId)).toEqual({ claimed: 1, remaining: 2 });
    const dump = await dumpText(t);
    for (const s of ['Claire Claimer', '42 Claimant Road', m.email]) expect(dump).not.toContain(s);
  });
});

describe('claims and the matcher together', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('matches 2 × inventory, sells out through claims, and withdraws the rest', async () => {
    const people = await insertMembers(t, 8, { coffee: 70 });
    const brand = await createBrand(t);
    const c = await createCampaign(t, brand, {
      inventory: 3,
      perk: { title: 'Cup', description: 'A cup', kind: 'experience', unitCostCents: 1800, currency: 'usd' },
    });
    await activateOffline(t, c.id, quote(3));
    for (let sold = 0; sold < 3; sold++) {
      const holder = await waitFor(async () => {
        for (const p of people) {
          const res = await t.http.get('/v1/me/offers?status=pending').set(p.auth);
          if (res.body.data?.length) return { p, offerId: res.body.data[0].id as string };
        }
        return null;
      });
      await t.http.post(`/v1/me/offers/${holder.offerId}/claim`).set(holder.p.auth).expect(201);
    }
    expect(await campaignRow(t, c.id)).toEqual({ claimed: 3, remaining: 0 });
    const withdrawn = await waitFor(async () => {
      const [r] = await t.db.query(
        `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
                count(*) FILTER (WHERE status = 'withdrawn')::int AS withdrawn FROM offers WHERE campaign_id = $1`,
        [c.id],
      );
      return r.pending === 0 ? r.withdrawn : null;
    });
    expect(withdrawn).toBe(3);
  });
});
