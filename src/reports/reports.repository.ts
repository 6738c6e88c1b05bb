import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CurrencySales, TopicFacts } from './report.math';

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
 * Reads the rollups the tracking context maintains (campaign_daily, conversion_daily, claim_stats); never the
 * raw clicks or conversions. A campaign's report reads at most a row per day, per currency and per claim.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async funnelSums(campaignId: string): Promise<{
    shares: number;
    disclosedShares: number;
    reach: number;
    engagements: number;
    clicks: number;
    uniqueClicks: number;
    filteredClicks: number;
    offered: number;
    declined: number;
    expired: number;
    fulfilled: number;
  }> {
    const [r] = await this.dataSource.query(
      `SELECT COALESCE(sum(d.shares), 0)::float8 AS shares, COALESCE(sum(d.disclosed_shares), 0)::float8 AS "disclosedShares",
              COALESCE(sum(d.reach), 0)::float8 AS reach, COALESCE(sum(d.engagements), 0)::float8 AS engagements,
              COALESCE(sum(d.clicks), 0)::float8 AS clicks, COALESCE(sum(d.unique_clicks), 0)::float8 AS "uniqueClicks",
              COALESCE(sum(d.filtered_clicks), 0)::float8 AS "filteredClicks",
              o.offered, o.declined, o.expired,
              (SELECT count(*)::int FROM claims WHERE campaign_id = $1 AND status = 'fulfilled') AS fulfilled
       FROM (SELECT count(*)::int AS offered,
                    count(*) FILTER (WHERE status = 'declined')::int AS declined,
                    count(*) FILTER (WHERE status = 'expired' OR (status = 'pending' AND expires_at <= now()))::int AS expired
             FROM offers WHERE campaign_id = $1) o
       LEFT JOIN campaign_daily d ON d.campaign_id = $1
       GROUP BY o.offered, o.declined, o.expired`,
      [campaignId],
    );
    return r;
  }

  sales(campaignId: string): Promise<CurrencySales[]> {
    return this.dataSource.query(
      `SELECT currency, sum(conversions)::int AS conversions, sum(refunded_conversions)::int AS "refundedConversions",
              sum(revenue_cents)::float8 AS "revenueCents", sum(refunded_cents)::float8 AS "refundedCents",
              sum(code_leaks)::int AS "codeLeaks"
       FROM conversion_daily WHERE campaign_id = $1 GROUP BY currency ORDER BY currency`,
      [campaignId],
    );
  }

  topics(campaignId: string): Promise<TopicFacts[]> {
    return this.dataSource.query(
      `SELECT t.slug, COALESCE(t.name, 'No targeted topic score') AS name, count(*)::int AS claims,
              sum(s.shares)::int AS shares, sum(s.clicks)::float8 AS clicks, sum(s.conversions)::int AS conversions,
              sum(s.refunded_conversions)::int AS "refundedConversions", sum(s.revenue_cents)::float8 AS "revenueCents",
              sum(s.refunded_cents)::float8 AS "refundedCents"
       FROM claim_stats s LEFT JOIN topics t ON t.id = s.topic_id AND s.topic_id <> 0
       WHERE s.campaign_id = $1
       GROUP BY t.slug, t.name ORDER BY sum(s.revenue_cents - s.refunded_cents) DESC, count(*) DESC, t.slug`,
      [campaignId],
    );
  }

  /** Claims with their counters, best first (net revenue, then clicks), or in claim order with a cursor (CSV). */
  claimStats(
    campaignId: string,
    opts: { order: 'best' | 'claimed'; limit: number; after?: [string, string] },
  ): Promise<StatsRow[]> {
    const order =
      opts.order === 'best'
        ? `(s.revenue_cents - s.refunded_cents) DESC, s.clicks DESC, cl.id`
        : `cl.created_at, cl.id`;
    return this.dataSource.query(
      `SELECT cl.id AS "claimId", cl.influencer_id AS "influencerId", cl.code, cl.status, cl.created_at AS "createdAt",
              cl.fulfilled_at AS "fulfilledAt", t.slug AS "topicSlug",
              COALESCE(s.shares, 0) AS shares, COALESCE(s.disclosed_shares, 0) AS "disclosedShares",
              COALESCE(s.reach, 0) AS reach, COALESCE(s.engagements, 0) AS engagements, COALESCE(s.clicks, 0) AS clicks,
              COALESCE(s.conversions, 0) AS conversions, COALESCE(s.refunded_conversions, 0) AS "refundedConversions",
              COALESCE(s.revenue_cents, 0) AS "revenueCents", COALESCE(s.refunded_cents, 0) AS "refundedCents",
              COALESCE(s.code_leaks, 0) AS "codeLeaks",
              (extract(epoch FROM cl.created_at) * 1000000)::bigint::text AS "cursorUs"
       FROM claims cl
       LEFT JOIN claim_stats s ON s.claim_id = cl.id
       LEFT JOIN topics t ON t.id = s.topic_id AND s.topic_id <> 0
       WHERE cl.campaign_id = $1
         AND ($2::bigint IS NULL OR ((extract(epoch FROM cl.created_at) * 1000000)::bigint, cl.id) > ($2::bigint, $3::uuid))
       ORDER BY ${order} LIMIT $4`,
      [campaignId, opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit],
    );
  }

  /** Every day from the first to the last with activity (gaps filled with zeros), in the campaign's currency. */
  daily(campaignId: string, currency: string, from: string | null, to: string | null): Promise<DailyRow[]> {
    return this.dataSource.query(
      `WITH days AS (
         SELECT day FROM campaign_daily WHERE campaign_id = $1
         UNION SELECT day FROM conversion_daily WHERE campaign_id = $1 AND currency = $2
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
       LEFT JOIN campaign_daily d ON d.campaign_id = $1 AND d.day = g.day::date
       LEFT JOIN conversion_daily v ON v.campaign_id = $1 AND v.day = g.day::date AND v.currency = $2
       ORDER BY g.day`,
      [campaignId, currency, from, to],
    );
  }

  summary(brandId: string): Promise<SummaryRow[]> {
    return this.dataSource.query(
      `SELECT c.id, c.name, c.status, c.currency, c.claimed, c.unit_cost_cents::float8 AS "unitCostCents",
              c.platform_fee_bps AS "feeBps",
              COALESCE((SELECT sum(clicks) FROM campaign_daily WHERE campaign_id = c.id), 0)::float8 AS clicks,
              COALESCE(v.conversions, 0) AS conversions, COALESCE(v.refunded_conversions, 0) AS "refundedConversions",
              COALESCE(v.revenue_cents, 0)::float8 AS "revenueCents", COALESCE(v.refunded_cents, 0)::float8 AS "refundedCents"
       FROM campaigns c
       LEFT JOIN LATERAL (
         SELECT sum(conversions)::int AS conversions, sum(refunded_conversions)::int AS refunded_conversions,
                sum(revenue_cents) AS revenue_cents, sum(refunded_cents) AS refunded_cents
         FROM conversion_daily WHERE campaign_id = c.id AND currency = c.currency
       ) v ON true
       WHERE c.brand_id = $1
       ORDER BY c.created_at DESC, c.id DESC`,
      [brandId],
    );
  }
}
