import { MatchingService } from '../../src/matching/matching.service';
import { createBrand } from '../factories/brands';
import { activateOffline, createCampaign } from '../factories/campaigns';
import { createMember, TestMember } from '../factories/influencers';
import { setScores } from '../factories/scores';
import { expectProblem } from '../support/problem';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const quote = (inventory: number, unit = 1800): number =>
  inventory * unit + Math.round((inventory * unit * 1000) / 10000);

async function offersOf(t: TestApp, campaignId: string): Promise<{ influencer_id: string; status: string }[]> {
  return t.db.query(`SELECT influencer_id, status FROM offers WHERE campaign_id = $1 ORDER BY influencer_id`, [
    campaignId,
  ]);
}

describe('matching: who is offered a perk', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('applies every eligibility rule, and the audience estimate agrees', async () => {
    const m = async (
      name: string,
      o: Parameters<typeof createMember>[1],
      s: Parameters<typeof setScores>[2],
    ): Promise<[string, TestMember]> => {
      const member = await createMember(t, { displayName: name, ...o });
      await setScores(t, member.id, s);
      return [name, member];
    };
    const people = Object.fromEntries(
      await Promise.all([
        m('fan', {}, { overall: 60, topics: { coffee: 70 } }),
        m('espresso-fan', {}, { overall: 55, topics: { espresso: 80, coffee: 60 } }),
        m('no-consent', { matching: false }, { overall: 60, topics: { coffee: 90 } }),
        m('canadian', { country: 'CA' }, { overall: 60, topics: { coffee: 90 } }),
        m('below-threshold', {}, { overall: 60, topics: { coffee: 49 } }),
        m('low-overall', {}, { overall: 20, topics: { coffee: 90 } }),
        m('unpublished', {}, { overall: 60, topics: { coffee: 90 }, unpublished: ['coffee'] }),
        m('hidden', {}, { overall: 60, topics: { coffee: 95 } }),
        m('wine-only', {}, { overall: 60, topics: { wine: 95 } }),
        m('erased', {}, { overall: 60, topics: { coffee: 99 } }),
      ]),
    ) as Record<string, TestMember>;
    await t.http.put('/v1/me/topics/coffee').set(people.hidden.auth).send({ hidden: true }).expect(200);
    await t.http.delete('/v1/me').set(people.erased.auth).expect(202);

    const brand = await createBrand(t);
    const c = await createCampaign(t, brand, {
      inventory: 10,
      targeting: { topics: [{ slug: 'coffee', minScore: 50 }], match: 'any', minOverallScore: 30, countries: ['US'] },
    });
    const audience = await t.http.get(`/v1/campaigns/${c.id}/audience`).set(brand.auth).expect(200);
    expect(audience.body).toEqual({ eligible: 2, exact: true, relativeErrorBound: 0 });

    await activateOffline(t, c.id, quote(10));
    const offers = await waitFor(async () => {
      const o = await offersOf(t, c.id);
      return o.length >= 2 ? o : null;
    });
    expect(offers.map((o) => o.influencer_id).sort()).toEqual([people.fan.id, people['espresso-fan'].id].sort());
    // Best match first in the member's view: the offer carries the perk.
    const mine = await t.http.get('/v1/me/offers?status=pending').set(people.fan.auth).expect(200);
    expect(mine.body.data).toEqual([
      expect.objectContaining({
        campaignId: c.id,
        status: 'pending',
        perk: expect.objectContaining({ title: 'A bag of espresso' }),
      }),
    ]);
    expect((await t.http.get('/v1/me/offers').set(people['no-consent'].auth).expect(200)).body.data).toEqual([]);
  });

  it('needs all topics for match=all, and never counts a hidden one', async () => {
    const both = await createMember(t);
    await setScores(t, both.id, { overall: 50, topics: { coffee: 60, tea: 60 } });
    const one = await createMember(t);
    await setScores(t, one.id, { overall: 50, topics: { coffee: 60 } });
    const hidesTea = await createMember(t);
    await setScores(t, hidesTea.id, { overall: 50, topics: { coffee: 60, tea: 60 } });
    await t.http.put('/v1/me/topics/tea').set(hidesTea.auth).send({ hidden: true }).expect(200);
    const brand = await createBrand(t);
    const c = await createCampaign(t, brand, {
      targeting: {
        topics: [
          { slug: 'coffee', minScore: 50 },
          { slug: 'tea', minScore: 50 },
        ],
        match: 'all',
      },
    });
    expect((await t.http.get(`/v1/campaigns/${c.id}/audience`).set(brand.auth).expect(200)).body.eligible).toBe(1);
    await activateOffline(t, c.id, quote(10));
    const offers = await waitFor(async () => ((await offersOf(t, c.id)).length ? offersOf(t, c.id) : null));
    expect(offers.map((o) => o.influencer_id)).toEqual([both.id]);
  });

  it('keeps at most 2 × remaining offers pending and tops up after a decline', async () => {
    const members: TestMember[] = [];
    for (let i = 0; i < 6; i++) {
      const mm = await createMember(t);
      await setScores(t, mm.id, { overall: 50, topics: { nespresso: 60 + i } });
      members.push(mm);
    }
    const brand = await createBrand(t);
    const c = await createCampaign(t, brand, {
      inventory: 2,
      targeting: { topics: [{ slug: 'nespresso', minScore: 50 }], match: 'any' },
    });
    await activateOffline(t, c.id, quote(2));
    const first = await waitFor(async () => {
      const o = await offersOf(t, c.id);
      return o.length === 4 ? o : null;
    });
    // Best match first: the four highest latte-art scores.
    expect(first.map((o) => o.influencer_id).sort()).toEqual(
      members
        .slice(2)
        .map((x) => x.id)
        .sort(),
    );
    const top = members[5];
    const [offer] = (await t.http.get('/v1/me/offers').set(top.auth).expect(200)).body.data;
    const declined = await t.http.post(`/v1/me/offers/${offer.id}/decline`).set(top.auth).expect(200);
    expect(declined.body.status).toBe('declined');
    await t.http.post(`/v1/me/offers/${offer.id}/decline`).set(top.auth).expect(200); // harmless twice
    expectProblem(await t.http.post(`/v1/me/offers/${offer.id}/claim`).set(top.auth), 409, 'conflict');
    const after = await waitFor(async () => {
      const o = await offersOf(t, c.id);
      return o.length === 5 ? o : null;
    });
    expect(after.filter((o) => o.status === 'pending')).toHaveLength(4);
    expect(after.map((o) => o.influencer_id)).toContain(members[1].id);
    // A second wave right now finds nothing to do: 2 × remaining are pending.
    expect(await t.app.get(MatchingService).matchCampaign(c.id)).toBe(0);
  });

  it('offers a person at most 5 new perks in 7 days', async () => {
    const busy = await createMember(t);
    await setScores(t, busy.id, { overall: 50, topics: { keurig: 90 } });
    const brand = await createBrand(t);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await createCampaign(t, brand, {
        inventory: 1,
        targeting: { topics: [{ slug: 'keurig', minScore: 50 }], match: 'any' },
      });
      await activateOffline(t, c.id, quote(1));
      ids.push(c.id);
    }
    await waitFor(async () => {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM offers WHERE influencer_id = $1`, [busy.id]);
      return n === 5 ? n : null;
    });
    for (const id of ids) await t.app.get(MatchingService).matchCampaign(id);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM offers WHERE influencer_id = $1`, [busy.id]);
    expect(n).toBe(5);
  });

  it('withdraws pending offers within seconds of a consent withdrawal, and never offers again', async () => {
    const mm = await createMember(t);
    await setScores(t, mm.id, { overall: 50, topics: { starbucks: 80 } });
    const brand = await createBrand(t);
    const c = await createCampaign(t, brand, {
      targeting: { topics: [{ slug: 'starbucks', minScore: 50 }], match: 'any' },
    });
    await activateOffline(t, c.id, quote(10));
    await waitFor(async () => ((await offersOf(t, c.id)).length === 1 ? true : null));
    const started = Date.now();
    await t.http.put('/v1/me/consents').set(mm.auth).send({ matching: false }).expect(200);
    await waitFor(async () => ((await offersOf(t, c.id))[0].status === 'withdrawn' ? true : null), 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    const [offer] = (await t.http.get('/v1/me/offers').set(mm.auth).expect(200)).body.data;
    expect(offer.status).toBe('withdrawn');
    expectProblem(await t.http.post(`/v1/me/offers/${offer.id}/claim`).set(mm.auth), 409);
    const c2 = await createCampaign(t, brand, {
      targeting: { topics: [{ slug: 'starbucks', minScore: 50 }], match: 'any' },
    });
    expect((await t.http.get(`/v1/campaigns/${c2.id}/audience`).set(brand.auth).expect(200)).body.eligible).toBe(0);
  });

  it('lets a brand see only its own campaigns’ offers, pseudonymous unless shared', async () => {
    const shy = await createMember(t, { displayName: 'Shy Person' });
    const open = await createMember(t, { displayName: 'Open Person', shareStatsWithBrands: true });
    await t.http
      .post('/v1/me/social-accounts')
      .set(open.auth)
      .send({ network: 'instagram', handle: '@open', externalId: 'ig-open' })
      .expect(201);
    for (const x of [shy, open]) await setScores(t, x.id, { overall: 50, topics: { chai: 70 } });
    const brand = await createBrand(t);
    const other = await createBrand(t);
    const c = await createCampaign(t, brand, {
      targeting: { topics: [{ slug: 'chai', minScore: 50 }], match: 'any' },
    });
    await activateOffline(t, c.id, quote(10));
    await waitFor(async () => ((await offersOf(t, c.id)).length === 2 ? true : null));
    const list = await t.http.get(`/v1/campaigns/${c.id}/offers`).set(brand.auth).expect(200);
    const refs = list.body.data.map((o: { influencer: Record<string, unknown> }) => o.influencer);
    expect(refs).toEqual(
      expect.arrayContaining([
        { ref: expect.stringMatching(/^inf_/) },
        {
          ref: expect.stringMatching(/^inf_/),
          displayName: 'Open Person',
          handles: [{ network: 'instagram', handle: '@open' }],
        },
      ]),
    );
    expect(JSON.stringify(list.body)).not.toContain('Shy Person');
    expect(JSON.stringify(list.body)).not.toContain(shy.id);
    expectProblem(await t.http.get(`/v1/campaigns/${c.id}/offers`).set(other.auth), 404);
    expectProblem(await t.http.get(`/v1/campaigns/${c.id}/audience`).set(other.auth), 404);
    expectProblem(await t.http.get(`/v1/campaigns/${c.id}/offers`).set(shy.auth), 403);
  });
});
