import { DataSource } from 'typeorm';
import { ELIGIBLE_CTES } from '../../../src/matching/eligibility.sql';
import { WEEKLY_OFFER_CAP } from '../../../src/matching/matching.queue';
import { MatchingRepository, WaveTarget } from '../../../src/matching/matching.repository';
import { MatchingService } from '../../../src/matching/matching.service';
import { createBrand } from '../../factories/brands';
import { TestApp, startTestApp } from '../../support/test-app';

const MEMBERS = 3_000;

/** The exact wave as it was before the lazy one: every eligible member judged, then ordered by the full key. */
const EXACT_WAVE = `WITH ${ELIGIBLE_CTES}
  SELECT e.influencer_id, e.best FROM eligible e
  WHERE NOT EXISTS (SELECT 1 FROM matching.offers o WHERE o.campaign_id = $1 AND o.influencer_id = e.influencer_id)
    AND (SELECT count(*) FROM matching.offers o WHERE o.influencer_id = e.influencer_id
         AND o.created_at > now() - interval '7 days') < ${WEEKLY_OFFER_CAP}
  ORDER BY e.best DESC, e.total DESC, e.overall DESC NULLS LAST, md5($1::text || e.influencer_id::text)
  LIMIT $3`;

/**
 * The lazy ordered wave against the exact wave on a small population with every rule in play: ties in scores
 * (scores 1–100 over 3,000 members), unpublished and hidden topic scores, non-consenting and
 * erased members, a country rule, an overall minimum, offers of this campaign already made, and members at or near
 * the weekly cap (old offers not counting). ROLE=api: no scheduled wave runs behind the test's back.
 */
describe('the lazy wave picks exactly the exact wave', () => {
  let t: TestApp;
  let db: DataSource;
  let repo: MatchingRepository;
  let service: MatchingService;
  let brandId: string;
  let topics: number[];

  const campaign = async (
    k: number,
    match: 'any' | 'all',
    countries: string[] | null,
    remaining = 5_000,
    minOverall: number | null = 20,
  ): Promise<string> => {
    const [{ id }] = await db.query(
      `INSERT INTO campaigns.campaigns (brand_id, name, status, perk_title, perk_description, perk_kind, unit_cost_cents,
                                        currency, inventory, remaining, funded_cents, platform_fee_bps, match, countries,
                                        min_overall_score, landing_url)
       VALUES ($1, 'Wave', 'active', 'A perk', 'Test', 'discount', 100, 'usd', $4, $4, $4 * 110, 1000, $2, $3, $5,
               'https://shop.example/w') RETURNING id`,
      [brandId, match, countries, remaining, minOverall],
    );
    await db.query(
      `INSERT INTO campaigns.campaign_topics (campaign_id, topic_id, min_score) SELECT $1, t, 40 FROM unnest($2::int[]) t`,
      [id, topics.slice(0, k)],
    );
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp({ ROLE: 'api' });
    db = t.db;
    repo = t.app.get(MatchingRepository);
    service = t.app.get(MatchingService);
    brandId = (await createBrand(t)).id;
    topics = (await db.query(`SELECT id FROM topics.topics ORDER BY id LIMIT 3`)).map((r: { id: number }) => r.id);
    // g % 10 = 0: no consent; g % 29 = 0: erased (a member is verified adult at sign-up, a NOT NULL column).
    await db.query(
      `INSERT INTO influencers.influencers (id, email, display_name, password_hash, country, adult_verified_at,
                                            consent_matching, status)
       SELECT md5('wave-' || g)::uuid,
              CASE WHEN g % 29 = 0 THEN NULL ELSE 'wave' || g || '@test.example' END,
              CASE WHEN g % 29 = 0 THEN NULL ELSE 'M' || g END,
              CASE WHEN g % 29 = 0 THEN NULL ELSE 'x' END,
              (ARRAY['US','US','GB','DE'])[1 + g % 4], now(), g % 10 <> 0,
              CASE WHEN g % 29 = 0 THEN 'erased' ELSE 'active' END
       FROM generate_series(1, $1::int) g`,
      [MEMBERS],
    );
    await db.query(
      `INSERT INTO scoring.scores (influencer_id, topic_id, score, target, base_score, base_day, percentile, reactors,
                                   published, factors, model_version, computed_at, run_id)
       SELECT md5('wave-' || g)::uuid, tp.id, x.s, x.s, x.s, current_date, NULL, 50,
              tp.id = 0 OR (g + tp.id) % 31 <> 0, '[]'::jsonb, 'v1', now(), '00000000-0000-4000-8000-000000000001'
       FROM generate_series(1, $1::int) g
       CROSS JOIN unnest($2::int[]) AS tp(id)
       CROSS JOIN LATERAL (SELECT (1 + ('x' || substr(md5(g || '/' || tp.id), 1, 4))::bit(16)::int % 100)::smallint AS s) x
       WHERE g % 13 <> 0 OR tp.id <> 0`, // some members have no overall score
      [MEMBERS, [0, ...topics]],
    );
    await db.query(
      `INSERT INTO influencers.influencer_topic_prefs (influencer_id, topic_id, hidden)
       SELECT md5('wave-' || g)::uuid, $2::int, true FROM generate_series(1, $1::int, 23) g`,
      [MEMBERS, topics[0]],
    );
    // Earlier campaigns' offers: g % 7 = 0 at the cap this week, g % 11 = 0 one below it, g % 5 = 0 at the cap but
    // a week ago (does not count).
    const others: string[] = [];
    for (let i = 0; i < WEEKLY_OFFER_CAP; i++) others.push(await campaign(1, 'any', null, 1));
    await db.query(
      `INSERT INTO matching.offers (campaign_id, influencer_id, status, match_score, expires_at, created_at)
       SELECT c.id, md5('wave-' || g)::uuid, 'pending', 50, now() + interval '1 day',
              CASE WHEN g % 7 = 0 OR g % 11 = 0 THEN now() ELSE now() - interval '8 days' END
       FROM generate_series(1, $1::int) g
       CROSS JOIN LATERAL unnest($2::uuid[]) WITH ORDINALITY AS c(id, n)
       WHERE g % 7 = 0 OR (g % 11 = 0 AND c.n < $3) OR (g % 5 = 0 AND g % 7 <> 0 AND g % 11 <> 0)`,
      [MEMBERS, others, WEEKLY_OFFER_CAP],
    );
    await db.query(`ANALYZE`);
  });
  afterAll(() => t.close());

  const exact = async (id: string, limit: number): Promise<{ influencer_id: string; best: number }[]> =>
    db.query(EXACT_WAVE, [id, null, limit]);

  const lazy = (id: string, limit: number): Promise<{ influencer_id: string; best: number }[]> =>
    db.transaction(async (m) => {
      const target: WaveTarget = { id, remaining: 0, pending: 0, offerTtlHours: 24 };
      return repo.nextWave(m, target, await repo.waveRule(m, id), limit);
    });

  it.each([
    ['1 topic, any', 1, 'any', null],
    ['3 topics, any', 3, 'any', null],
    ['2 topics, all', 2, 'all', null],
    ['3 topics, any, country GB', 3, 'any', ['GB']],
  ] as const)('%s', async (_name, k, match, countries) => {
    const id = await campaign(k, match, countries ? [...countries] : null, 150);
    // Some members already hold this campaign's offer (declined last week, so the weekly counts stay as seeded).
    await db.query(
      `INSERT INTO matching.offers (campaign_id, influencer_id, status, match_score, expires_at, created_at)
       SELECT $1, md5('wave-' || g)::uuid, 'declined', 50, now() - interval '7 days', now() - interval '8 days'
       FROM generate_series(1, $2::int, 19) g`,
      [id, MEMBERS],
    );
    const all = await exact(id, MEMBERS);
    expect(all.length).toBeGreaterThan(150);
    // Every eligible member, in order, and a prefix cut inside a group of equal best scores.
    expect(await lazy(id, MEMBERS)).toEqual(all);
    expect(await lazy(id, 97)).toEqual(all.slice(0, 97));
    expect(await lazy(id, 1)).toEqual(all.slice(0, 1));

    // The whole wave (2 × 150 remaining, less the pending one held already): exactly the exact wave's members.
    const before = await exact(id, 300);
    expect(await service.matchCampaign(id)).toBe(before.length);
    const offered: { influencer_id: string; match_score: number }[] = await db.query(
      `SELECT influencer_id, match_score FROM matching.offers WHERE campaign_id = $1 AND status = 'pending'`,
      [id],
    );
    const sort = (xs: { influencer_id: string; best: number }[]) =>
      [...xs].sort((a, b) => a.influencer_id.localeCompare(b.influencer_id));
    expect(sort(offered.map((o) => ({ influencer_id: o.influencer_id, best: o.match_score })))).toEqual(sort(before));
  });

  it('runs two campaigns’ waves at once without one global lock, and never past the weekly cap', async () => {
    const a = await campaign(3, 'any', null, 2_000);
    const b = await campaign(3, 'any', null, 2_000);
    // Campaign b's lock held elsewhere does not hold up a wave of campaign a.
    const held = db.createQueryRunner();
    await held.connect();
    await held.startTransaction();
    try {
      await repo.lockCampaign(held.manager, b);
      await expect(service.matchCampaign(a)).resolves.toBeGreaterThan(0);
    } finally {
      await held.rollbackTransaction();
      await held.release();
    }
    await db.query(`DELETE FROM matching.offers WHERE campaign_id = $1`, [a]);

    // Several campaigns racing for the same members near the cap.
    const racing = [a, b, await campaign(3, 'any', null, 2_000), await campaign(2, 'any', null, 2_000)];
    const made = await Promise.all(racing.map((id) => service.matchCampaign(id)));
    expect(made.every((n) => n > 0)).toBe(true);
    const [{ worst }] = await db.query(
      `SELECT coalesce(max(n), 0)::int AS worst FROM (
         SELECT count(*) AS n FROM matching.offers WHERE created_at > now() - interval '7 days' GROUP BY influencer_id
       ) x`,
    );
    expect(worst).toBeLessThanOrEqual(WEEKLY_OFFER_CAP);
    // Members one below the cap (g % 11 = 0) were wanted by all four and got exactly one of them.
    const [{ near }] = await db.query(
      `SELECT count(*)::int AS near FROM matching.offers o
       JOIN generate_series(11, $2::int, 11) g ON o.influencer_id = md5('wave-' || g)::uuid
       WHERE o.campaign_id = ANY ($1::uuid[]) AND g % 7 <> 0`,
      [racing, MEMBERS],
    );
    expect(near).toBeGreaterThan(0);
  });
});
