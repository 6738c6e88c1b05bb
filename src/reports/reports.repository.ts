import { Injectable } from '@nestjs/common';
import { ReadReplicas } from '../database/read-replicas';
import { CurrencySales, FunnelCounts, TopicFacts } from './report.math';

export interface StatsRow {
  claimId: string;
  influencerId: string;
  code: string;
  status: string;
  createdAt: Date;
  fulfilledAt: Date | null;
  topicSlug: string | null;
  shares: number;
  disclosedShares: number;
  reach: string;
  engagements: string;
  clicks: string;
  conversions: number;
  refundedConversions: number;
  revenueCents: string;
  refundedCents: string;
  codeLeaks: number;
  cursorUs: string;
}

export interface SummaryRow {
  id: string;
  name: string;
  status: string;
  currency: string;
  claimed: number;
  unitCostCents: number;
  feeBps: number | null;
  clicks: number;
  conversions: number;
  refundedConversions: number;
  revenueCents: number;
  refundedCents: number;
}

export interface DailyRow {
  date: string;
  claims: number;
  shares: number;
  clicks: number;
  uniqueClicks: number;
  conversions: number;
  revenueCents: number;
}

/**
 * Reads the rollups the tracking context maintains (campaign_daily, conversion_daily, claim_stats and the campaign
 * and per-topic totals); never the raw clicks or conversions. A campaign's report reads a row per day, per currency,
 * per topic, and the 100 best claims from an index in that order; only the CSV reads a row per claim.
 */
/** Every report read may lag (rollups, claim stats, summaries): they go to a read replica when one is configured. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly read: ReadReplicas) {}

  /**
   * Everything a report sums, in one round trip (a report is a handful of tiny index reads; on a busy box the
   * round trips, not the reads, are what costs): the day rollups, the offers and fulfilment counts, attributed sales
   * per currency and the per-topic breakdown.
   */
  async rollupFacts(campaignId: string): Promise<{
    funnel: Omit<FunnelCounts, 'eligible'>;
    sales: CurrencySales[];
    topics: TopicFacts[];
  }> {
    const [r] = await this.read.query(
      `SELECT
         (SELECT json_build_object(
            'shares', COALESCE(sum(shares), 0), 'disclosedShares', COALESCE(sum(disclosed_shares), 0),
            'reach', COALESCE(sum(reach), 0), 'engagements', COALESCE(sum(engagements), 0),
            'clicks', COALESCE(sum(clicks), 0), 'uniqueClicks', COALESCE(sum(unique_clicks), 0),
            'filteredClicks', COALESCE(sum(filtered_clicks), 0))
          FROM tracking.campaign_daily_rollup WHERE campaign_id = $1) AS days,
         -- Matching keeps no counters (its writers are its own): the total is an index-only count over
         -- (campaign_id, status), still one entry per offer; the others are the short ranges of their status, and
         -- the pending offers past their expiry (not yet swept by the expiry job) come from the expiry index.
         json_build_object(
            'offered', (SELECT count(*) FROM matching.offer_facts WHERE campaign_id = $1),
            'declined', (SELECT count(*) FROM matching.offer_facts WHERE campaign_id = $1 AND status = 'declined'),
            'expired', (SELECT count(*) FROM matching.offer_facts WHERE campaign_id = $1 AND status = 'expired')
              + (SELECT count(*) FROM matching.offer_facts
                 WHERE campaign_id = $1 AND status = 'pending' AND expires_at <= now())) AS offers,
         COALESCE((SELECT fulfilled FROM tracking.campaign_total_rollup WHERE campaign_id = $1), 0) AS fulfilled,
         (SELECT COALESCE(json_agg(x ORDER BY x.currency), '[]'::json) FROM (
            SELECT currency, sum(conversions) AS conversions, sum(refunded_conversions) AS "refundedConversions",
                   sum(revenue_cents) AS "revenueCents", sum(refunded_cents) AS "refundedCents",
                   sum(code_leaks) AS "codeLeaks"
            FROM tracking.conversion_daily_rollup WHERE campaign_id = $1 GROUP BY currency) x) AS sales,
         (SELECT COALESCE(json_agg(y ORDER BY y.net DESC, y.claims DESC, y.slug), '[]'::json) FROM (
            -- A row per topic the campaign's claims are reported under, each topic looked up by key (a join would
            -- hash all 8,000 topics). A topic whose claims were all moved elsewhere by a repair sums to zero claims.
            SELECT (SELECT slug FROM topics.topic_catalogue WHERE id = g.topic_id) AS slug,
                   COALESCE((SELECT name FROM topics.topic_catalogue WHERE id = g.topic_id), 'No targeted topic score') AS name,
                   g.claims, g.shares, g.clicks, g.conversions, g.refunded_conversions AS "refundedConversions",
                   g.revenue_cents AS "revenueCents", g.refunded_cents AS "refundedCents",
                   g.revenue_cents - g.refunded_cents AS net
            FROM tracking.campaign_topic_rollup g WHERE g.campaign_id = $1 AND g.claims > 0) y) AS topics`,
      [campaignId],
    );
    // json_build_object / json_agg hand numbers over as JSON numbers (sums stay far below 2^53).
    return {
      funnel: { ...r.days, ...r.offers, fulfilled: r.fulfilled },
      sales: r.sales as CurrencySales[],
      topics: (r.topics as (TopicFacts & { net: unknown })[]).map(({ net: _net, ...t }) => t),
    };
  }

  /**
   * Claims with their counters: the best (net revenue, then clicks) for byInfluencer, read from claim_stats and cut
   * before joining anything; or in claim order with a keyset cursor, page by page, for the CSV.
   */
  claimStats(
    campaignId: string,
    opts: { order: 'best' | 'claimed'; limit: number; after?: [string, string] },
  ): Promise<StatsRow[]> {
    const picked =
      opts.order === 'best'
        ? `SELECT s.*, s.revenue_cents - s.refunded_cents AS net, s.claim_id AS cid
           FROM tracking.claim_rollup s WHERE s.campaign_id = $1
           ORDER BY s.revenue_cents - s.refunded_cents DESC, s.clicks DESC, s.claim_id LIMIT $2`
        : `SELECT s.*, 0 AS net, cl.id AS cid
           FROM (SELECT id, created_at FROM redemptions.claim_facts WHERE campaign_id = $1
                   AND ($2::bigint IS NULL
                        OR ((extract(epoch FROM created_at) * 1000000)::bigint, id) > ($2::bigint, $3::uuid))
                 ORDER BY created_at, id LIMIT $4) cl
           LEFT JOIN tracking.claim_rollup s ON s.claim_id = cl.id`;
    const order = opts.order === 'best' ? `p.net DESC, p.clicks DESC, p.cid` : `c.created_at, c.id`;
    return this.read.query(
      `SELECT c.id AS "claimId", c.influencer_id AS "influencerId", c.code, c.status, c.created_at AS "createdAt",
              c.fulfilled_at AS "fulfilledAt",
              (SELECT slug FROM topics.topic_catalogue WHERE id = p.topic_id AND p.topic_id <> 0) AS "topicSlug",
              COALESCE(p.shares, 0) AS shares, COALESCE(p.disclosed_shares, 0) AS "disclosedShares",
              COALESCE(p.reach, 0) AS reach, COALESCE(p.engagements, 0) AS engagements, COALESCE(p.clicks, 0) AS clicks,
              COALESCE(p.conversions, 0) AS conversions, COALESCE(p.refunded_conversions, 0) AS "refundedConversions",
              COALESCE(p.revenue_cents, 0) AS "revenueCents", COALESCE(p.refunded_cents, 0) AS "refundedCents",
              COALESCE(p.code_leaks, 0) AS "codeLeaks",
              (extract(epoch FROM c.created_at) * 1000000)::bigint::text AS "cursorUs"
       FROM (${picked}) p
       -- The campaign key in the join keeps it on one shard once claims are distributed (docs/scaling.md). One key
       -- lookup per picked claim (LIMIT 1 on the primary key keeps the planner from flattening it into a hash of every
       -- claim of the campaign, which it chose for 100 of 2,000 claims).
       CROSS JOIN LATERAL (
         SELECT * FROM redemptions.claim_facts c WHERE c.campaign_id = $1 AND c.id = p.cid LIMIT 1
       ) c
       ORDER BY ${order}`,
      opts.order === 'best'
        ? [campaignId, opts.limit]
        : [campaignId, opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit],
    );
  }

  /** Every day from the first to the last with activity (gaps filled with zeros), in the campaign's currency. */
  daily(campaignId: string, currency: string, from: string | null, to: string | null): Promise<DailyRow[]> {
    return this.read.query(
      `WITH days AS (
         SELECT day FROM tracking.campaign_daily_rollup WHERE campaign_id = $1
         UNION SELECT day FROM tracking.conversion_daily_rollup WHERE campaign_id = $1 AND currency = $2
       ),
       span AS (
         SELECT GREATEST(min(day), COALESCE($3::date, min(day))) AS lo, LEAST(max(day), COALESCE($4::date, max(day))) AS hi
         FROM days
       )
       SELECT to_char(g.day, 'YYYY-MM-DD') AS date, COALESCE(d.claims, 0) AS claims, COALESCE(d.shares, 0) AS shares,
              COALESCE(d.clicks, 0)::float8 AS clicks, COALESCE(d.unique_clicks, 0)::float8 AS "uniqueClicks",
              COALESCE(v.conversions - v.refunded_conversions, 0) AS conversions,
              COALESCE(v.revenue_cents - v.refunded_cents, 0)::float8 AS "revenueCents"
       FROM span, generate_series(span.lo, span.hi, interval '1 day') AS g(day)
       LEFT JOIN tracking.campaign_daily_rollup d ON d.campaign_id = $1 AND d.day = g.day::date
       LEFT JOIN tracking.conversion_daily_rollup v ON v.campaign_id = $1 AND v.day = g.day::date AND v.currency = $2
       ORDER BY g.day`,
      [campaignId, currency, from, to],
    );
  }

  summary(brandId: string): Promise<SummaryRow[]> {
    return this.read.query(
      `SELECT c.id, c.name, c.status, c.currency, c.claimed, c.unit_cost_cents::float8 AS "unitCostCents",
              c.platform_fee_bps AS "feeBps",
              COALESCE((SELECT sum(clicks) FROM tracking.campaign_daily_rollup WHERE campaign_id = c.id), 0)::float8 AS clicks,
              COALESCE(v.conversions, 0) AS conversions, COALESCE(v.refunded_conversions, 0) AS "refundedConversions",
              COALESCE(v.revenue_cents, 0)::float8 AS "revenueCents", COALESCE(v.refunded_cents, 0)::float8 AS "refundedCents"
       FROM campaigns.campaign_facts c
       LEFT JOIN LATERAL (
         SELECT sum(conversions)::int AS conversions, sum(refunded_conversions)::int AS refunded_conversions,
                sum(revenue_cents) AS revenue_cents, sum(refunded_cents) AS refunded_cents
         FROM tracking.conversion_daily_rollup WHERE campaign_id = c.id AND currency = c.currency
       ) v ON true
       WHERE c.brand_id = $1
       ORDER BY c.created_at DESC, c.id DESC`,
      [brandId],
    );
  }
}
