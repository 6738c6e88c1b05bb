import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Attribution, ConversionSource } from './entities/conversion.entity';
import type { ConversionInput } from './conversion-input';

export interface ConversionRow {
  id: string;
  orderId: string;
  amountCents: string;
  currency: string;
  occurredAt: Date;
  campaignId: string | null;
  claimId: string | null;
  attributedBy: Attribution | null;
  possibleCodeLeak: boolean;
  source: ConversionSource;
  refundedCents: string;
}

const COLS = `id, order_id AS "orderId", amount_cents AS "amountCents", currency, occurred_at AS "occurredAt",
  campaign_id AS "campaignId", claim_id AS "claimId", attributed_by AS "attributedBy",
  possible_code_leak AS "possibleCodeLeak", source, refunded_cents AS "refundedCents"`;

/**
 * Attribution and insertion of any number of conversions in one statement (the single endpoint is a batch of
 * one, so both paths share every rule):
 * - by code: the code of a claim on one of *this brand's* campaigns;
 * - else by click (looked up regardless, preferred only without a code match): a click (found through its UUIDv7 timestamp, so one partition) on one of this brand's links,
 *   no older than that campaign's attribution window at `occurred_at` and not after it (5 min clock slack);
 * - another brand's code or click matches nothing: the conversion is stored unattributed, never an error;
 * - a code-attributed sale with no human click on that claim's link before it is flagged as a possible leak.
 * ON CONFLICT (brand, order) DO NOTHING makes replays no-ops; the rollups add only what was inserted, in the
 * same statement, in key order (the lock order every rollup writer follows).
 */
const INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[], $7::uuid[],
                       $8::timestamptz[], $9::text[], $10::int[], $12::text[])
    AS i(order_id, amount_cents, currency, occurred_at, code, click_id, click_at, payment_intent_id, ord, customer_hex)
),
att AS (
  SELECT i.*, bc.claim_id AS code_claim, bc.campaign_id AS code_campaign,
         bk.claim_id AS click_claim, bk.campaign_id AS click_campaign
  FROM input i
  LEFT JOIN LATERAL (
    SELECT cl.id AS claim_id, cl.campaign_id FROM redemptions.claim_facts cl JOIN campaigns.campaign_facts c ON c.id = cl.campaign_id
    WHERE i.code IS NOT NULL AND cl.code = i.code AND c.brand_id = $1
  ) bc ON true
  LEFT JOIN LATERAL (
    SELECT k.claim_id, k.campaign_id FROM tracking.clicks k JOIN campaigns.campaign_facts c ON c.id = k.campaign_id
    WHERE i.click_at IS NOT NULL AND k.id = i.click_id AND k.clicked_at = i.click_at
      AND c.brand_id = $1
      AND k.clicked_at <= i.occurred_at + interval '5 minutes'
      AND k.clicked_at >= i.occurred_at - make_interval(days => c.attribution_window_days)
  ) bk ON true
),
resolved AS (
  SELECT a.*,
         COALESCE(a.code_claim, a.click_claim) AS claim_id,
         COALESCE(a.code_campaign, a.click_campaign) AS campaign_id,
         CASE WHEN a.code_claim IS NOT NULL THEN 'code' WHEN a.click_claim IS NOT NULL THEN 'click' END AS attributed_by,
         (a.code_claim IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM clicks k WHERE k.claim_id = a.code_claim AND k.kind = 'human' AND k.clicked_at <= a.occurred_at
         )) AS leak
  FROM att a
),
ins AS (
  INSERT INTO conversions (brand_id, order_id, amount_cents, currency, occurred_at, campaign_id, claim_id, click_id,
                           code, attributed_by, source, possible_code_leak, payment_intent_id, customer_hash)
  SELECT $1, order_id, amount_cents, currency, occurred_at, campaign_id, claim_id, click_id, code, attributed_by, $11,
         leak, payment_intent_id, decode(customer_hex, 'hex')
  FROM resolved ORDER BY ord
  ON CONFLICT (brand_id, order_id) DO NOTHING
  RETURNING ${COLS}
),
daily AS (
  INSERT INTO conversion_daily (campaign_id, day, currency, conversions, revenue_cents, code_leaks)
  SELECT "campaignId", ("occurredAt" AT TIME ZONE 'UTC')::date, currency, count(*), sum("amountCents"),
         count(*) FILTER (WHERE "possibleCodeLeak")
  FROM ins WHERE "campaignId" IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (campaign_id, day, currency) DO UPDATE SET
    conversions = conversion_daily.conversions + EXCLUDED.conversions,
    revenue_cents = conversion_daily.revenue_cents + EXCLUDED.revenue_cents,
    code_leaks = conversion_daily.code_leaks + EXCLUDED.code_leaks
  RETURNING 1
),
claim_sales AS (
  SELECT n."claimId" AS claim_id, n."campaignId" AS campaign_id, count(*) AS conversions,
         sum(n."amountCents") AS revenue_cents, count(*) FILTER (WHERE n."possibleCodeLeak") AS code_leaks
  FROM ins n JOIN campaigns.campaign_facts c ON c.id = n."campaignId" AND c.currency = n.currency
  GROUP BY 1, 2
),
per_claim AS (
  INSERT INTO claim_stats (claim_id, campaign_id, conversions, revenue_cents, code_leaks)
  SELECT claim_id, campaign_id, conversions, revenue_cents, code_leaks FROM claim_sales ORDER BY 1
  ON CONFLICT (claim_id) DO UPDATE SET
    conversions = claim_stats.conversions + EXCLUDED.conversions,
    revenue_cents = claim_stats.revenue_cents + EXCLUDED.revenue_cents,
    code_leaks = claim_stats.code_leaks + EXCLUDED.code_leaks
  RETURNING claim_id, campaign_id, topic_id, (xmax = 0) AS created
),
-- The topic totals move with the claims' rows, under the topic each stats row holds (a new row is a claim).
per_topic AS (
  INSERT INTO campaign_topic_totals (campaign_id, topic_id, claims, conversions, revenue_cents)
  SELECT p.campaign_id, p.topic_id, count(*) FILTER (WHERE p.created), sum(s.conversions), sum(s.revenue_cents)
  FROM per_claim p JOIN claim_sales s ON s.claim_id = p.claim_id
  GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (campaign_id, topic_id) DO UPDATE SET
    claims = campaign_topic_totals.claims + EXCLUDED.claims,
    conversions = campaign_topic_totals.conversions + EXCLUDED.conversions,
    revenue_cents = campaign_topic_totals.revenue_cents + EXCLUDED.revenue_cents
  RETURNING 1
)
SELECT * FROM ins`;

@Injectable()
export class ConversionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the conversions that are new; returns them (the others already existed for this brand). */
  insert(
    brandId: string,
    inputs: ConversionInput[],
    source: ConversionSource,
    m: EntityManager = this.dataSource.manager,
  ): Promise<ConversionRow[]> {
    return m.query(INSERT_SQL, [
      brandId,
      inputs.map((i) => i.orderId),
      inputs.map((i) => i.amountCents),
      inputs.map((i) => i.currency),
      inputs.map((i) => i.occurredAt),
      inputs.map((i) => i.code),
      inputs.map((i) => i.clickId),
      inputs.map((i) => i.clickAt),
      inputs.map((i) => i.paymentIntentId),
      inputs.map((_, k) => k),
      source,
      inputs.map((i) => i.customerHash?.toString('hex') ?? null),
    ]);
  }

  byOrderIds(
    brandId: string,
    orderIds: string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<ConversionRow[]> {
    return m.query(`SELECT ${COLS} FROM conversions WHERE brand_id = $1 AND order_id = ANY($2::text[])`, [
      brandId,
      orderIds,
    ]);
  }

  /**
   * A refund sets the refunded total (Stripe's `amount_refunded` is cumulative, so a replay changes nothing) and
   * moves only the difference into the rollups, on the sale's day. Returns the conversion, or null when this
   * payment is not one of the brand's tracked sales.
   */
  async refund(
    m: EntityManager,
    brandId: string,
    paymentIntentId: string,
    refundedTotalCents: number,
  ): Promise<{ id: string; deltaCents: number; refundedCents: number } | null> {
    const [row] = await m.query<
      {
        id: string;
        amount: number;
        refunded: number;
        campaignId: string | null;
        claimId: string | null;
        currency: string;
        day: string;
        campaignCurrency: boolean | null;
      }[]
    >(
      `SELECT c.id, c.amount_cents::float8 AS amount, c.refunded_cents::float8 AS refunded, c.campaign_id AS "campaignId",
              c.claim_id AS "claimId", c.currency, (c.occurred_at AT TIME ZONE 'UTC')::date::text AS day,
              (cp.currency = c.currency) AS "campaignCurrency"
       FROM tracking.conversions c LEFT JOIN campaigns.campaign_facts cp ON cp.id = c.campaign_id
       WHERE c.brand_id = $1 AND c.payment_intent_id = $2
       ORDER BY c.created_at LIMIT 1 FOR UPDATE OF c`,
      [brandId, paymentIntentId],
    );
    if (!row) return null;
    const next = Math.min(row.amount, Math.max(row.refunded, refundedTotalCents));
    const delta = next - row.refunded;
    if (delta === 0) return { id: row.id, deltaCents: 0, refundedCents: row.refunded };
    await m.query(`UPDATE conversions SET refunded_cents = $2, refunded_at = now() WHERE id = $1`, [row.id, next]);
    if (row.campaignId) {
      const fully = next === row.amount && row.refunded < row.amount ? 1 : 0;
      await m.query(
        `INSERT INTO conversion_daily (campaign_id, day, currency, refunded_cents, refunded_conversions)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (campaign_id, day, currency) DO UPDATE SET
           refunded_cents = conversion_daily.refunded_cents + EXCLUDED.refunded_cents,
           refunded_conversions = conversion_daily.refunded_conversions + EXCLUDED.refunded_conversions`,
        [row.campaignId, row.day, row.currency, delta, fully],
      );
      if (row.claimId && row.campaignCurrency) {
        await m.query(
          `WITH stats AS (
             UPDATE claim_stats SET refunded_cents = refunded_cents + $2, refunded_conversions = refunded_conversions + $3
             WHERE claim_id = $1
             RETURNING campaign_id, topic_id
           )
           INSERT INTO campaign_topic_totals (campaign_id, topic_id, refunded_cents, refunded_conversions)
           SELECT campaign_id, topic_id, $2::bigint, $3::int FROM stats
           ON CONFLICT (campaign_id, topic_id) DO UPDATE SET
             refunded_cents = campaign_topic_totals.refunded_cents + EXCLUDED.refunded_cents,
             refunded_conversions = campaign_topic_totals.refunded_conversions + EXCLUDED.refunded_conversions`,
          [row.claimId, delta, fully],
        );
      }
    }
    return { id: row.id, deltaCents: delta, refundedCents: next };
  }
}
