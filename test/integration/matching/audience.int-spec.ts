import { BUCKETS, countAudience, countSample, sampleBound } from '../../../src/matching/audience';
import { ELIGIBLE_CTES, eligibleCtes } from '../../../src/matching/eligibility.sql';
import { createBrand } from '../../factories/brands';
import { TestApp, startTestApp } from '../../support/test-app';

const MEMBERS = 4_000;

/**
 * The audience estimate against the exact count on a small population with every eligibility rule in play
 * (consent, country, unpublished and hidden topics, overall minimum). Member ids are md5-derived,
 * so the sample — and therefore every figure here — is the same on every run.
 */
describe('audience estimate agrees with the exact count', () => {
  let t: TestApp;
  let brandId: string;
  let topics: number[];
  const query = (sql: string, params: unknown[]): Promise<Record<string, unknown>[]> => t.db.query(sql, params);

  beforeAll(async () => {
    t = await startTestApp();
    brandId = (await createBrand(t)).id;
    topics = (await t.db.query(`SELECT id FROM topics.topics ORDER BY id LIMIT 3`)).map((r: { id: number }) => r.id);
    await t.db.query(
      // Every 10th never consented, every 37th is erased (not active). No member is unverified: adult_verified_at
      // is NOT NULL (nobody under 18 or unverified is stored), so the rule's check of it cannot exclude anyone.
      `INSERT INTO influencers.influencers (id, email, display_name, password_hash, country, adult_verified_at,
                                            consent_matching, status)
       SELECT md5('audience-' || g)::uuid, CASE WHEN g % 37 <> 0 THEN 'aud' || g || '@test.example' END,
              CASE WHEN g % 37 <> 0 THEN 'M' || g END, CASE WHEN g % 37 <> 0 THEN 'x' END,
              (ARRAY['US','US','GB','DE'])[1 + g % 4], now(), g % 10 <> 0,
              CASE WHEN g % 37 = 0 THEN 'erased' ELSE 'active' END
       FROM generate_series(1, $1::int) g`,
      [MEMBERS],
    );
    await t.db.query(
      `INSERT INTO scoring.scores (influencer_id, topic_id, score, target, base_score, base_day, percentile, reactors,
                                   published, factors, model_version, computed_at, run_id)
       SELECT md5('audience-' || g)::uuid, tp.id, x.s, x.s, x.s, current_date, NULL, 50,
              tp.id = 0 OR (g + tp.id) % 31 <> 0, '[]'::jsonb, 'v1', now(), '00000000-0000-4000-8000-000000000001'
       FROM generate_series(1, $1::int) g
       CROSS JOIN unnest($2::int[]) AS tp(id)
       CROSS JOIN LATERAL (SELECT (1 + ('x' || substr(md5(g || '/' || tp.id), 1, 4))::bit(16)::int % 100)::smallint AS s) x
       -- every 17th member has no overall score yet (fails an overall minimum, passes without one)
       WHERE tp.id <> 0 OR g % 17 <> 0`,
      [MEMBERS, [0, ...topics]],
    );
    await t.db.query(
      `INSERT INTO influencers.influencer_topic_prefs (influencer_id, topic_id, hidden)
       SELECT md5('audience-' || g)::uuid, $2::int, true FROM generate_series(1, $1::int, 23) g`,
      [MEMBERS, topics[0]],
    );
  });
  afterAll(() => t.close());

  const campaign = async (
    k: number,
    match: 'any' | 'all',
    countries: string[] | null,
    minOverall: number | null,
  ): Promise<string> => {
    const [{ id }] = await t.db.query(
      `INSERT INTO campaigns.campaigns (brand_id, name, status, perk_title, perk_description, perk_kind, unit_cost_cents,
                                        currency, inventory, remaining, funded_cents, platform_fee_bps, match, countries,
                                        min_overall_score, landing_url)
       VALUES ($1, 'Audience', 'active', 'A perk', 'Test', 'discount', 1000, 'usd', 10, 10, 11000, 1000, $2, $3, $4,
               'https://shop.example/a') RETURNING id`,
      [brandId, match, countries, minOverall],
    );
    await t.db.query(
      `INSERT INTO campaigns.campaign_topics (campaign_id, topic_id, min_score) SELECT $1, t, 40 FROM unnest($2::int[]) t`,
      [id, topics.slice(0, k)],
    );
    return id;
  };

  // Thresholds of 40 on scores drawn from 1..100: a few dozen members sit exactly at each threshold (ties count).
  it.each([
    ['1 topic, any, overall ≥ 20', 1, 'any', null, 20],
    ['1 topic, any, no overall minimum', 1, 'any', null, null],
    ['3 topics, any, overall ≥ 20', 3, 'any', null, 20],
    ['2 topics, all, overall ≥ 20', 2, 'all', null, 20],
    ['3 topics, all, no overall minimum', 3, 'all', null, null],
    ['3 topics, any, country GB, overall ≥ 20', 3, 'any', ['GB'], 20],
    ['2 topics, any, countries GB and DE, no overall minimum', 2, 'any', ['GB', 'DE'], null],
  ] as const)('%s', async (_name, k, match, countries, minOverall) => {
    const id = await campaign(k, match, countries ? [...countries] : null, minOverall);
    const exactIds: string[] = (
      await t.db.query(`WITH ${ELIGIBLE_CTES} SELECT influencer_id FROM eligible`, [id, null])
    ).map((r: { influencer_id: string }) => r.influencer_id);
    expect(exactIds.length).toBeGreaterThan(100);
    // The estimate's SQL, specialised for this targeting, counts exactly the matcher's eligible members, over the
    // whole population and over any id range.
    expect(await countSample(query, id, BUCKETS)).toBe(exactIds.length);
    for (const buckets of [1_000, 20_000, 50_000]) {
      const below = sampleBound(buckets);
      const inRange = exactIds.filter((m) => m < below).length;
      expect(await countSample(query, id, buckets)).toBe(inRange);
      // …which is also what the matcher's rule says when restricted to the same id range.
      const [{ n }] = await t.db.query(`WITH ${eligibleCtes('$3::uuid')} SELECT count(*)::int AS n FROM eligible`, [
        id,
        null,
        below,
      ]);
      expect(n).toBe(inRange);
    }

    // Small population: the default options find the sample too small for ±2 % and count exactly.
    expect(await countAudience(query, id)).toMatchObject({
      eligible: exactIds.length,
      exact: true,
      relativeErrorBound: 0,
    });

    // A looser bound makes it estimate: the sample is exactly the eligible members below the id bound (the same
    // rule, only fewer members looked at), and the scaled figure is within its stated bound of the exact count.
    const est = await countAudience(query, id, {
      maxRelativeError: 0.2,
      pilotBuckets: 2_048,
      exactAboveBuckets: BUCKETS / 2,
    });
    expect(est.exact).toBe(false);
    expect(est.relativeErrorBound).toBeGreaterThan(0);
    expect(est.relativeErrorBound).toBeLessThanOrEqual(0.2);
    const bound = sampleBound(est.sampledBuckets);
    expect(est.sampleHits).toBe(exactIds.filter((m) => m < bound).length);
    expect(est.eligible).toBe(Math.round((est.sampleHits * BUCKETS) / est.sampledBuckets));
    expect(Math.abs(est.eligible - exactIds.length)).toBeLessThanOrEqual(est.relativeErrorBound * est.eligible);
  });
});
