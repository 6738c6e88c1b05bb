import { ScoringService } from '../../../src/scoring/scoring.service';
import { ClickRecorder } from '../../../src/tracking/click-recorder.service';
import { RollupsService } from '../../../src/tracking/rollups.service';
import { TrackingRepository } from '../../../src/tracking/tracking.repository';
import { createBrand, TestBrand } from '../../factories/brands';
import { activeCampaign, claimFor, TestClaim, visit } from '../../factories/claims';
import { createMember, linkAccount } from '../../factories/influencers';
import { followers, post, reaction, sendSignals } from '../../factories/signals';
import { TestApp, startTestApp } from '../../support/test-app';

const now = new Date();
const month = (n: number): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1));
const partition = (table: string, n: number): string =>
  `${table}_p${month(n).toISOString().slice(0, 7).replace('-', '_')}`;
const DAY = 86_400_000;

/**
 * pg_partman on the migrated schema (issue #21): maintenance makes the months ahead, retention drops expired months
 * (clicks after 13 months, reactions after 90 days, posts after 180 days), and the campaign report is the same
 * before the drop, after it and after a reconciliation run over the rest.
 */
describe('time partitions by pg_partman', () => {
  let t: TestApp;
  let brand: TestBrand;
  let campaignId: string;
  let a: TestClaim;
  let b: TestClaim;

  const partitions = async (parent: string): Promise<string[]> =>
    (await t.db.query(`SELECT partition_tablename AS n FROM partman.show_partitions($1)`, [parent])).map(
      (r: { n: string }) => r.n,
    );

  const report = async (): Promise<unknown> => ({
    report: {
      ...(await t.http.get(`/v1/campaigns/${campaignId}/report`).set(brand.auth).expect(200)).body,
      generatedAt: 0,
    },
    daily: (await t.http.get(`/v1/campaigns/${campaignId}/report/daily`).set(brand.auth).expect(200)).body,
    csv: (await t.http.get(`/v1/campaigns/${campaignId}/report.csv`).set(brand.auth).expect(200)).text,
  });

  /** `n` clicks in the month `monthsAgo` back, every fourth a bot, as the redirect would have written them. */
  const oldClicks = (c: TestClaim, monthsAgo: number, n: number) =>
    t.db.query(
      `INSERT INTO tracking.clicks (id, clicked_at, claim_id, campaign_id, visitor_hash, kind)
       SELECT gen_random_uuid(), $1::timestamptz + i * interval '5 hours', $2, $3, decode(md5(gen_random_uuid()::text), 'hex'),
              CASE WHEN i % 4 = 0 THEN 'bot' ELSE 'human' END
       FROM generate_series(1, $4::int) i`,
      [new Date(month(-monthsAgo).getTime() + 2 * DAY), c.id, campaignId, n],
    );

  beforeAll(async () => {
    // Workers off: the spec runs maintenance and reconciliation itself.
    t = await startTestApp({ ROLE: 'api', TRUST_PROXY: 'true' });
    brand = await createBrand(t);
    campaignId = await activeCampaign(t, brand, { inventory: 3 });
    [a, b] = [await claimFor(t, campaignId), await claimFor(t, campaignId)];
    await visit(t, a.code, { ip: '192.0.2.1' });
    await visit(t, a.code, { ip: '192.0.2.2' });
    await visit(t, b.code, { ip: '192.0.2.3' });
    await visit(t, b.code, { ip: '192.0.2.4', ua: 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    await t.app.get(ClickRecorder).flush();
  });
  afterAll(() => t.close());

  it('adopted the migrated partitions and keeps the next three months ahead', async () => {
    const { created } = await t.app.get(RollupsService).maintainPartitions();
    const clicks = await partitions('tracking.clicks');
    for (const n of [0, 1, 2, 3]) expect(clicks).toContain(partition('clicks', n));
    expect(created.every((c) => clicks.includes(c))).toBe(true);
    const { rows } = { rows: await t.db.query(`SELECT count(*)::int AS n FROM tracking.clicks_default`) };
    expect(rows[0].n).toBe(0);
    await t.app.get(ScoringService).maintainPartitions();
    for (const parent of ['scoring.signal_posts', 'scoring.signal_reactions']) {
      const names = await partitions(parent);
      const table = parent.split('.')[1];
      for (const n of [0, 1, 2, 3]) expect(names).toContain(partition(table, n));
    }
  });

  it('drops a month of raw clicks after 13 months; the report is identical before, after and after reconciling', async () => {
    const rollups = t.app.get(RollupsService);
    const tracking = t.app.get(TrackingRepository);
    await tracking.ensurePartitions(month(-15), month(-15));
    await tracking.ensurePartitions(month(-12), month(-12));
    await oldClicks(a, 15, 8); // 6 human, 2 bots
    await oldClicks(b, 15, 4); // 3 human, 1 bot
    await oldClicks(a, 12, 4); // kept: inside the 13 months
    // The old rows came in behind the rollups' back: reconciliation is what makes the rollups count them.
    expect((await rollups.reconcile(campaignId)).length).toBeGreaterThan(0);
    const before = await report();
    const r = (before as { report: { funnel: { clicks: number } } }).report;
    expect(r.funnel.clicks).toBe(2 + 1 + 6 + 3 + 3);

    const { dropped } = await rollups.maintainPartitions();
    expect(dropped).toEqual([partition('clicks', -15)]);
    expect(await partitions('tracking.clicks')).toContain(partition('clicks', -12));
    const [{ n: raw }] = await t.db.query(`SELECT count(*)::int AS n FROM tracking.clicks WHERE clicked_at < $1`, [
      month(-14),
    ]);
    expect(raw).toBe(0);
    const folded = await t.db.query(
      `SELECT claim_id, month::text, clicks FROM tracking.dropped_clicks ORDER BY clicks DESC`,
    );
    expect(folded).toEqual([
      { claim_id: a.id, month: month(-15).toISOString().slice(0, 10), clicks: 6 },
      { claim_id: b.id, month: month(-15).toISOString().slice(0, 10), clicks: 3 },
    ]);

    expect(await report()).toEqual(before);
    expect(await rollups.reconcile(null)).toEqual([]);
    expect(await report()).toEqual(before);
    // Drift after the fence is still repaired from raw clicks.
    await t.db.query(`UPDATE tracking.claim_stats SET clicks = clicks + 5 WHERE claim_id = $1`, [b.id]);
    expect((await rollups.reconcile(campaignId)).map((x) => x.diff)).toEqual([{ clicks: -5 }]);
    expect(await report()).toEqual(before);
  });

  it('drops signal months past their retention, old follower snapshots, and scoring still runs', async () => {
    const scoring = t.app.get(ScoringService);
    const m = await createMember(t);
    await linkAccount(t, m, 'twitter', 'tw-partman');
    await scoring.backfillPartitions(month(-8), month(-8));
    await scoring.backfillPartitions(month(-5), month(-5));
    const at = (monthsAgo: number) => new Date(month(-monthsAgo).getTime() + 3 * DAY);
    const recent = new Date(now.getTime() - 5 * DAY);
    await sendSignals(t, [
      post('tw-partman', 'old8', at(8)),
      reaction('tw-partman', 'old8', 'fan-a', 'like', at(8)),
      post('tw-partman', 'old5', at(5)),
      reaction('tw-partman', 'old5', 'fan-b', 'like', at(5)),
      post('tw-partman', 'new', recent),
      reaction('tw-partman', 'new', 'fan-c', 'reshare', recent),
      reaction('tw-partman', 'new', 'fan-d', 'like', recent),
      followers('tw-partman', 900, at(5)),
      followers('tw-partman', 1000, recent),
    ]);

    const { dropped } = await scoring.maintainPartitions();
    // Reactions: 90 days (the model window); posts: 180 days (the model reads posts two windows back).
    // (Empty months the migration made behind now may go too, depending on today's date.)
    expect(dropped).toEqual(
      expect.arrayContaining([
        partition('signal_posts', -8),
        partition('signal_reactions', -8),
        partition('signal_reactions', -5),
      ]),
    );
    expect(dropped).not.toContain(partition('signal_posts', -5));
    const left = await t.db.query(
      `SELECT (SELECT array_agg(post_id ORDER BY post_id) FROM scoring.signal_posts WHERE influencer_id = $1) AS posts,
              (SELECT count(*)::int FROM scoring.signal_reactions WHERE influencer_id = $1) AS reactions,
              (SELECT array_agg(value::int) FROM scoring.signal_followers WHERE influencer_id = $1) AS followers`,
      [m.id],
    );
    expect(left).toEqual([{ posts: ['new', 'old5'], reactions: 2, followers: [1000] }]);

    const { runId } = await scoring.requestRun({});
    await scoring.executeRun(runId);
    const [run] = await t.db.query(`SELECT status FROM scoring.score_runs WHERE id = $1`, [runId]);
    expect(run.status).toBe('succeeded');
    const [score] = await t.db.query(`SELECT score FROM scoring.scores WHERE influencer_id = $1 AND topic_id = 0`, [
      m.id,
    ]);
    expect(score.score).toBeGreaterThan(0);
  });
});
