import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface RepairedRow {
  table: string;
  key: string;
  diff: Record<string, number>;
}

/**
 * Reconciliation recounts from the raw rows and repairs rollups by *adding the difference*, in one statement per
 * table. One statement reads the raw rows and the rollup in the same snapshot, and every writer changes raw rows
 * and rollups in one transaction, so the difference is exactly the drift: adding it (to the row's latest value)
 * repairs the rollup without locking writers out and without losing increments committed meanwhile.
 */
const SCOPE = `SELECT id FROM campaigns.campaign_facts WHERE $1::uuid IS NULL OR id = $1::uuid`;

/**
 * Raw clicks exist from here on: retention folds expired click partitions into `dropped_clicks` (per claim and
 * month). Before it, the rollups' click counters are the truth and are not recounted.
 */
const CLICKS_KEPT_FROM_DAY = `(SELECT COALESCE((max(month) + interval '1 month')::date, '-infinity'::date) FROM tracking.dropped_clicks)`;
const CLICKS_KEPT_FROM = `(${CLICKS_KEPT_FROM_DAY}::timestamp AT TIME ZONE 'UTC')`;

const CAMPAIGN_DAILY = `
WITH truth AS (
  SELECT campaign_id, day, sum(claims) AS claims, sum(shares) AS shares, sum(disclosed) AS disclosed_shares,
         sum(reach) AS reach, sum(engagements) AS engagements, sum(clicks) AS clicks, sum(uniq) AS unique_clicks,
         sum(filtered) AS filtered_clicks
  FROM (
    SELECT campaign_id, (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS claims, 0 AS shares, 0 AS disclosed,
           0 AS reach, 0 AS engagements, 0 AS clicks, 0 AS uniq, 0 AS filtered
    FROM redemptions.claim_facts WHERE campaign_id IN (${SCOPE}) GROUP BY 1, 2
    UNION ALL
    SELECT campaign_id, (created_at AT TIME ZONE 'UTC')::date, 0, count(*), count(*) FILTER (WHERE disclosed),
           sum(reach), sum(engagements), 0, 0, 0
    FROM redemptions.share_facts WHERE campaign_id IN (${SCOPE}) GROUP BY 1, 2
    UNION ALL
    SELECT campaign_id, (clicked_at AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 0, count(*) FILTER (WHERE kind = 'human'),
           count(DISTINCT visitor_hash) FILTER (WHERE kind = 'human'), count(*) FILTER (WHERE kind <> 'human')
    FROM clicks WHERE campaign_id IN (${SCOPE}) AND clicked_at >= ${CLICKS_KEPT_FROM} GROUP BY 1, 2
    UNION ALL
    SELECT campaign_id, day, 0, 0, 0, 0, 0, clicks, unique_clicks, filtered_clicks
    FROM campaign_daily WHERE campaign_id IN (${SCOPE}) AND day < ${CLICKS_KEPT_FROM_DAY}
  ) x GROUP BY 1, 2
),
cur AS (SELECT * FROM campaign_daily WHERE campaign_id IN (${SCOPE})),
diff AS (
  SELECT COALESCE(t.campaign_id, c.campaign_id) AS campaign_id, COALESCE(t.day, c.day) AS day,
         COALESCE(t.claims, 0) - COALESCE(c.claims, 0) AS claims,
         COALESCE(t.shares, 0) - COALESCE(c.shares, 0) AS shares,
         COALESCE(t.disclosed_shares, 0) - COALESCE(c.disclosed_shares, 0) AS disclosed_shares,
         COALESCE(t.reach, 0) - COALESCE(c.reach, 0) AS reach,
         COALESCE(t.engagements, 0) - COALESCE(c.engagements, 0) AS engagements,
         COALESCE(t.clicks, 0) - COALESCE(c.clicks, 0) AS clicks,
         COALESCE(t.unique_clicks, 0) - COALESCE(c.unique_clicks, 0) AS unique_clicks,
         COALESCE(t.filtered_clicks, 0) - COALESCE(c.filtered_clicks, 0) AS filtered_clicks
  FROM truth t FULL JOIN cur c ON c.campaign_id = t.campaign_id AND c.day = t.day
),
bad AS (
  SELECT * FROM diff
  WHERE (claims, shares, disclosed_shares, reach, engagements, clicks, unique_clicks, filtered_clicks)
        <> (0, 0, 0, 0, 0, 0, 0, 0)
),
fix AS (
  INSERT INTO campaign_daily (campaign_id, day, claims, shares, disclosed_shares, reach, engagements, clicks,
                              unique_clicks, filtered_clicks)
  SELECT * FROM bad ORDER BY 1, 2
  ON CONFLICT (campaign_id, day) DO UPDATE SET
    claims = campaign_daily.claims + EXCLUDED.claims,
    shares = campaign_daily.shares + EXCLUDED.shares,
    disclosed_shares = campaign_daily.disclosed_shares + EXCLUDED.disclosed_shares,
    reach = campaign_daily.reach + EXCLUDED.reach,
    engagements = campaign_daily.engagements + EXCLUDED.engagements,
    clicks = campaign_daily.clicks + EXCLUDED.clicks,
    unique_clicks = campaign_daily.unique_clicks + EXCLUDED.unique_clicks,
    filtered_clicks = campaign_daily.filtered_clicks + EXCLUDED.filtered_clicks
  RETURNING 1
)
SELECT campaign_id || '/' || day AS key, to_jsonb(bad) - 'campaign_id' - 'day' AS diff FROM bad`;

const CONVERSION_DAILY = `
WITH truth AS (
  SELECT campaign_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, currency, count(*) AS conversions,
         sum(amount_cents) AS revenue_cents, sum(refunded_cents) AS refunded_cents,
         count(*) FILTER (WHERE refunded_cents = amount_cents AND amount_cents > 0) AS refunded_conversions,
         count(*) FILTER (WHERE possible_code_leak) AS code_leaks
  FROM conversions WHERE campaign_id IN (${SCOPE}) GROUP BY 1, 2, 3
),
cur AS (SELECT * FROM conversion_daily WHERE campaign_id IN (${SCOPE})),
diff AS (
  SELECT COALESCE(t.campaign_id, c.campaign_id) AS campaign_id, COALESCE(t.day, c.day) AS day,
         COALESCE(t.currency, c.currency) AS currency,
         COALESCE(t.conversions, 0) - COALESCE(c.conversions, 0) AS conversions,
         COALESCE(t.revenue_cents, 0) - COALESCE(c.revenue_cents, 0) AS revenue_cents,
         COALESCE(t.refunded_cents, 0) - COALESCE(c.refunded_cents, 0) AS refunded_cents,
         COALESCE(t.refunded_conversions, 0) - COALESCE(c.refunded_conversions, 0) AS refunded_conversions,
         COALESCE(t.code_leaks, 0) - COALESCE(c.code_leaks, 0) AS code_leaks
  FROM truth t FULL JOIN cur c ON c.campaign_id = t.campaign_id AND c.day = t.day AND c.currency = t.currency
),
bad AS (
  SELECT * FROM diff
  WHERE (conversions, revenue_cents, refunded_cents, refunded_conversions, code_leaks) <> (0, 0, 0, 0, 0)
),
fix AS (
  INSERT INTO conversion_daily (campaign_id, day, currency, conversions, revenue_cents, refunded_cents,
                                refunded_conversions, code_leaks)
  SELECT * FROM bad ORDER BY 1, 2, 3
  ON CONFLICT (campaign_id, day, currency) DO UPDATE SET
    conversions = conversion_daily.conversions + EXCLUDED.conversions,
    revenue_cents = conversion_daily.revenue_cents + EXCLUDED.revenue_cents,
    refunded_cents = conversion_daily.refunded_cents + EXCLUDED.refunded_cents,
    refunded_conversions = conversion_daily.refunded_conversions + EXCLUDED.refunded_conversions,
    code_leaks = conversion_daily.code_leaks + EXCLUDED.code_leaks
  RETURNING 1
)
SELECT campaign_id || '/' || day || '/' || currency AS key, to_jsonb(bad) - 'campaign_id' - 'day' - 'currency' AS diff
FROM bad`;

const CLAIM_STATS = `
WITH truth AS (
  SELECT claim_id, max(campaign_id::text)::uuid AS campaign_id, sum(shares) AS shares,
         sum(disclosed) AS disclosed_shares, sum(reach) AS reach, sum(engagements) AS engagements,
         sum(clicks) AS clicks, sum(conversions) AS conversions, sum(revenue) AS revenue_cents,
         sum(refunded) AS refunded_cents, sum(refunded_n) AS refunded_conversions, sum(leaks) AS code_leaks
  FROM (
    SELECT id AS claim_id, campaign_id, 0 AS shares, 0 AS disclosed, 0 AS reach, 0 AS engagements, 0 AS clicks,
           0 AS conversions, 0 AS revenue, 0 AS refunded, 0 AS refunded_n, 0 AS leaks
    FROM redemptions.claim_facts WHERE campaign_id IN (${SCOPE})
    UNION ALL
    SELECT claim_id, campaign_id, count(*), count(*) FILTER (WHERE disclosed), sum(reach), sum(engagements),
           0, 0, 0, 0, 0, 0
    FROM redemptions.share_facts WHERE campaign_id IN (${SCOPE}) GROUP BY 1, 2
    UNION ALL
    SELECT claim_id, campaign_id, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0
    FROM clicks WHERE campaign_id IN (${SCOPE}) AND kind = 'human' AND clicked_at >= ${CLICKS_KEPT_FROM} GROUP BY 1, 2
    UNION ALL
    SELECT claim_id, campaign_id, 0, 0, 0, 0, sum(clicks), 0, 0, 0, 0, 0
    FROM tracking.dropped_clicks WHERE campaign_id IN (${SCOPE}) GROUP BY 1, 2
    UNION ALL
    SELECT v.claim_id, v.campaign_id, 0, 0, 0, 0, 0, count(*), sum(v.amount_cents), sum(v.refunded_cents),
           count(*) FILTER (WHERE v.refunded_cents = v.amount_cents AND v.amount_cents > 0),
           count(*) FILTER (WHERE v.possible_code_leak)
    FROM tracking.conversions v JOIN campaigns.campaign_facts c ON c.id = v.campaign_id AND c.currency = v.currency
    WHERE v.campaign_id IN (${SCOPE}) AND v.claim_id IS NOT NULL GROUP BY 1, 2
  ) x GROUP BY 1
),
cur AS (SELECT * FROM claim_stats WHERE campaign_id IN (${SCOPE})),
diff AS (
  SELECT COALESCE(t.claim_id, c.claim_id) AS claim_id, COALESCE(t.campaign_id, c.campaign_id) AS campaign_id,
         COALESCE(t.shares, 0) - COALESCE(c.shares, 0) AS shares,
         COALESCE(t.disclosed_shares, 0) - COALESCE(c.disclosed_shares, 0) AS disclosed_shares,
         COALESCE(t.reach, 0) - COALESCE(c.reach, 0) AS reach,
         COALESCE(t.engagements, 0) - COALESCE(c.engagements, 0) AS engagements,
         COALESCE(t.clicks, 0) - COALESCE(c.clicks, 0) AS clicks,
         COALESCE(t.conversions, 0) - COALESCE(c.conversions, 0) AS conversions,
         COALESCE(t.revenue_cents, 0) - COALESCE(c.revenue_cents, 0) AS revenue_cents,
         COALESCE(t.refunded_cents, 0) - COALESCE(c.refunded_cents, 0) AS refunded_cents,
         COALESCE(t.refunded_conversions, 0) - COALESCE(c.refunded_conversions, 0) AS refunded_conversions,
         COALESCE(t.code_leaks, 0) - COALESCE(c.code_leaks, 0) AS code_leaks,
         c.claim_id IS NULL AS missing
  FROM truth t FULL JOIN cur c ON c.claim_id = t.claim_id
),
bad AS (
  SELECT * FROM diff
  WHERE missing OR (shares, disclosed_shares, reach, engagements, clicks, conversions, revenue_cents, refunded_cents,
                    refunded_conversions, code_leaks) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
),
fix AS (
  INSERT INTO claim_stats (claim_id, campaign_id, shares, disclosed_shares, reach, engagements, clicks, conversions,
                           revenue_cents, refunded_cents, refunded_conversions, code_leaks)
  SELECT claim_id, campaign_id, shares, disclosed_shares, reach, engagements, clicks, conversions, revenue_cents,
         refunded_cents, refunded_conversions, code_leaks
  FROM bad ORDER BY 1
  ON CONFLICT (claim_id) DO UPDATE SET
    shares = claim_stats.shares + EXCLUDED.shares,
    disclosed_shares = claim_stats.disclosed_shares + EXCLUDED.disclosed_shares,
    reach = claim_stats.reach + EXCLUDED.reach,
    engagements = claim_stats.engagements + EXCLUDED.engagements,
    clicks = claim_stats.clicks + EXCLUDED.clicks,
    conversions = claim_stats.conversions + EXCLUDED.conversions,
    revenue_cents = claim_stats.revenue_cents + EXCLUDED.revenue_cents,
    refunded_cents = claim_stats.refunded_cents + EXCLUDED.refunded_cents,
    refunded_conversions = claim_stats.refunded_conversions + EXCLUDED.refunded_conversions,
    code_leaks = claim_stats.code_leaks + EXCLUDED.code_leaks
  RETURNING 1
)
SELECT claim_id::text AS key, to_jsonb(bad) - 'claim_id' - 'campaign_id' - 'missing' AS diff FROM bad`;

/**
 * The topic totals are sums of claim_stats (a claim's topic is a claim-time fact kept only there), so their recount
 * runs after claim_stats' repair has committed, and reads claim_stats and the totals in one snapshot: every writer
 * moves a claim's row and its topic's row in one statement.
 */
const CAMPAIGN_TOPIC_TOTALS = `
WITH truth AS (
  SELECT campaign_id, topic_id, count(*) AS claims, sum(shares) AS shares, sum(clicks) AS clicks,
         sum(conversions) AS conversions, sum(refunded_conversions) AS refunded_conversions,
         sum(revenue_cents) AS revenue_cents, sum(refunded_cents) AS refunded_cents
  FROM claim_stats WHERE campaign_id IN (${SCOPE}) GROUP BY 1, 2
),
cur AS (SELECT * FROM campaign_topic_totals WHERE campaign_id IN (${SCOPE})),
diff AS (
  SELECT COALESCE(t.campaign_id, c.campaign_id) AS campaign_id, COALESCE(t.topic_id, c.topic_id) AS topic_id,
         COALESCE(t.claims, 0) - COALESCE(c.claims, 0) AS claims,
         COALESCE(t.shares, 0) - COALESCE(c.shares, 0) AS shares,
         COALESCE(t.clicks, 0) - COALESCE(c.clicks, 0) AS clicks,
         COALESCE(t.conversions, 0) - COALESCE(c.conversions, 0) AS conversions,
         COALESCE(t.refunded_conversions, 0) - COALESCE(c.refunded_conversions, 0) AS refunded_conversions,
         COALESCE(t.revenue_cents, 0) - COALESCE(c.revenue_cents, 0) AS revenue_cents,
         COALESCE(t.refunded_cents, 0) - COALESCE(c.refunded_cents, 0) AS refunded_cents
  FROM truth t FULL JOIN cur c ON c.campaign_id = t.campaign_id AND c.topic_id = t.topic_id
),
bad AS (
  SELECT * FROM diff
  WHERE (claims, shares, clicks, conversions, refunded_conversions, revenue_cents, refunded_cents)
        <> (0, 0, 0, 0, 0, 0, 0)
),
fix AS (
  INSERT INTO campaign_topic_totals (campaign_id, topic_id, claims, shares, clicks, conversions, refunded_conversions,
                                     revenue_cents, refunded_cents)
  SELECT * FROM bad ORDER BY 1, 2
  ON CONFLICT (campaign_id, topic_id) DO UPDATE SET
    claims = campaign_topic_totals.claims + EXCLUDED.claims,
    shares = campaign_topic_totals.shares + EXCLUDED.shares,
    clicks = campaign_topic_totals.clicks + EXCLUDED.clicks,
    conversions = campaign_topic_totals.conversions + EXCLUDED.conversions,
    refunded_conversions = campaign_topic_totals.refunded_conversions + EXCLUDED.refunded_conversions,
    revenue_cents = campaign_topic_totals.revenue_cents + EXCLUDED.revenue_cents,
    refunded_cents = campaign_topic_totals.refunded_cents + EXCLUDED.refunded_cents
  RETURNING 1
)
SELECT campaign_id || '/' || topic_id AS key, to_jsonb(bad) - 'campaign_id' - 'topic_id' AS diff FROM bad`;

const CAMPAIGN_TOTALS = `
WITH truth AS (
  SELECT campaign_id, count(*) FILTER (WHERE status = 'fulfilled') AS fulfilled
  FROM redemptions.claim_facts WHERE campaign_id IN (${SCOPE}) GROUP BY 1
),
cur AS (SELECT * FROM campaign_totals WHERE campaign_id IN (${SCOPE})),
bad AS (
  SELECT COALESCE(t.campaign_id, c.campaign_id) AS campaign_id,
         COALESCE(t.fulfilled, 0) - COALESCE(c.fulfilled, 0) AS fulfilled
  FROM truth t FULL JOIN cur c ON c.campaign_id = t.campaign_id
  WHERE COALESCE(t.fulfilled, 0) <> COALESCE(c.fulfilled, 0)
),
fix AS (
  INSERT INTO campaign_totals (campaign_id, fulfilled)
  SELECT * FROM bad ORDER BY 1
  ON CONFLICT (campaign_id) DO UPDATE SET fulfilled = campaign_totals.fulfilled + EXCLUDED.fulfilled
  RETURNING 1
)
SELECT campaign_id::text AS key, to_jsonb(bad) - 'campaign_id' AS diff FROM bad`;

export interface ShareRollup {
  campaignId: string;
  claimId: string;
  /** UTC day of the share's creation: a share's metrics always count on the day it was registered. */
  day: string;
  shares: number;
  disclosed: number;
  reach: number;
  engagements: number;
}

@Injectable()
export class RollupsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async reconcile(campaignId: string | null): Promise<RepairedRow[]> {
    const out: RepairedRow[] = [];
    for (const [table, sql] of [
      ['campaign_daily', CAMPAIGN_DAILY],
      ['conversion_daily', CONVERSION_DAILY],
      ['claim_stats', CLAIM_STATS],
      // After claim_stats: its repaired rows are what the topic totals are recounted from.
      ['campaign_topic_totals', CAMPAIGN_TOPIC_TOTALS],
      ['campaign_totals', CAMPAIGN_TOTALS],
    ] as const) {
      const rows: { key: string; diff: Record<string, number | string> }[] = await this.dataSource.query(sql, [
        campaignId,
      ]);
      for (const r of rows) {
        const diff: Record<string, number> = {};
        for (const [k, v] of Object.entries(r.diff)) if (Number(v) !== 0) diff[k] = Number(v);
        out.push({ table, key: r.key, diff });
      }
    }
    return out;
  }

  /** Adds shares (or metric changes of shares) to the day and claim rollups, in the caller's transaction. */
  async addShares(m: EntityManager, rows: ShareRollup[]): Promise<void> {
    if (!rows.length) return;
    const sorted = [...rows].sort((a, b) =>
      a.campaignId === b.campaignId ? a.day.localeCompare(b.day) : a.campaignId.localeCompare(b.campaignId),
    );
    const cols = (r: ShareRollup[]) => [
      r.map((x) => x.campaignId),
      r.map((x) => x.claimId),
      r.map((x) => x.day),
      r.map((x) => x.shares),
      r.map((x) => x.disclosed),
      r.map((x) => x.reach),
      r.map((x) => x.engagements),
    ];
    await m.query(
      `INSERT INTO campaign_daily (campaign_id, day, shares, disclosed_shares, reach, engagements)
       SELECT campaign_id, day, sum(s), sum(d), sum(r), sum(e)
       FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::int[], $5::int[], $6::bigint[], $7::bigint[])
         AS x(campaign_id, claim_id, day, s, d, r, e)
       GROUP BY 1, 2 ORDER BY 1, 2
       ON CONFLICT (campaign_id, day) DO UPDATE SET
         shares = campaign_daily.shares + EXCLUDED.shares,
         disclosed_shares = campaign_daily.disclosed_shares + EXCLUDED.disclosed_shares,
         reach = campaign_daily.reach + EXCLUDED.reach,
         engagements = campaign_daily.engagements + EXCLUDED.engagements`,
      cols(sorted),
    );
    // The claim's topic totals move in the same statement, under the topic its stats row holds.
    await m.query(
      `WITH per_claim AS (
         SELECT claim_id, campaign_id, sum(s) AS s, sum(d) AS d, sum(r) AS r, sum(e) AS e
         FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::int[], $5::int[], $6::bigint[], $7::bigint[])
           AS x(campaign_id, claim_id, day, s, d, r, e)
         GROUP BY 1, 2
       ),
       stats AS (
         INSERT INTO claim_stats (claim_id, campaign_id, shares, disclosed_shares, reach, engagements)
         SELECT claim_id, campaign_id, s, d, r, e FROM per_claim ORDER BY 1
         ON CONFLICT (claim_id) DO UPDATE SET
           shares = claim_stats.shares + EXCLUDED.shares,
           disclosed_shares = claim_stats.disclosed_shares + EXCLUDED.disclosed_shares,
           reach = claim_stats.reach + EXCLUDED.reach,
           engagements = claim_stats.engagements + EXCLUDED.engagements
         RETURNING claim_id, campaign_id, topic_id, (xmax = 0) AS created
       )
       INSERT INTO campaign_topic_totals (campaign_id, topic_id, claims, shares)
       SELECT t.campaign_id, t.topic_id, count(*) FILTER (WHERE t.created), sum(p.s)
       FROM stats t JOIN per_claim p ON p.claim_id = t.claim_id
       GROUP BY 1, 2 ORDER BY 1, 2
       ON CONFLICT (campaign_id, topic_id) DO UPDATE SET
         claims = campaign_topic_totals.claims + EXCLUDED.claims,
         shares = campaign_topic_totals.shares + EXCLUDED.shares`,
      cols(sorted),
    );
  }

  /**
   * Lock order: campaign_daily, then claim_stats, then campaign_topic_totals, as every other rollup writer. `at` is
   * the claim's created_at.
   */
  async recordClaim(
    m: EntityManager,
    c: { claimId: string; campaignId: string; topicId: number; at?: Date },
  ): Promise<void> {
    // One statement: the day's and the topic's rows are hot (every claim of the campaign updates them) and their
    // locks last to COMMIT. The topic row reads `daily`, so the day's row is always locked before it; it counts the
    // claim only when its stats row is new, as the recount (a claim_stats row is a claim) does.
    await m.query(
      `WITH stats AS (
         INSERT INTO tracking.claim_stats (claim_id, campaign_id, topic_id) VALUES ($1, $2, $3)
         ON CONFLICT (claim_id) DO NOTHING
         RETURNING 1
       ),
       daily AS (
         INSERT INTO tracking.campaign_daily (campaign_id, day, claims)
         VALUES ($2, (COALESCE($4::timestamptz, now()) AT TIME ZONE 'UTC')::date, 1)
         ON CONFLICT (campaign_id, day) DO UPDATE SET claims = tracking.campaign_daily.claims + 1
         RETURNING 1
       )
       INSERT INTO tracking.campaign_topic_totals (campaign_id, topic_id, claims)
       SELECT $2::uuid, $3::int, 1 FROM daily, stats
       ON CONFLICT (campaign_id, topic_id) DO UPDATE SET claims = tracking.campaign_topic_totals.claims + 1`,
      [c.claimId, c.campaignId, c.topicId, c.at ?? null],
    );
  }

  /** A claim became fulfilled (once per claim), in the fulfilment's transaction. */
  async recordFulfilment(m: EntityManager, campaignId: string): Promise<void> {
    await m.query(
      `INSERT INTO tracking.campaign_totals (campaign_id, fulfilled) VALUES ($1, 1)
       ON CONFLICT (campaign_id) DO UPDATE SET fulfilled = tracking.campaign_totals.fulfilled + 1`,
      [campaignId],
    );
  }
}
