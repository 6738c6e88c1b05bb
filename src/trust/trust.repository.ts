import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Severity, SignalStatus, SignalType, THRESHOLDS as T } from './rules';

/**
 * Each rule is one SELECT over the other contexts' published views yielding candidate signals:
 * (campaign_id, claim_id, type, rule_key, severity, evidence, subject_kind, subject_ids, subject_ats). `rule_key`
 * is what makes a detection the same signal next time — a conversion, a claim, a visitor-day's first click id, a
 * minute — so a re-run finds the same keys and opens nothing (UNIQUE (campaign_id, type, rule_key)). Evidence is
 * ids, counts, days and thresholds, never a hash or a personal value. $1 is the start of the look-back (UTC midnight).
 */
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

const RULES: Record<SignalType, string> = {
  self_referral: `
    SELECT v.campaign_id, v.claim_id, 'self_referral'::text AS type, v.id::text AS rule_key, 'high'::text AS severity,
           jsonb_build_object('conversionId', v.id, 'claimId', v.claim_id, 'matched', 'customer_email') AS evidence,
           'conversion'::text AS subject_kind, ARRAY[v.id] AS subject_ids, ARRAY[NULL::timestamptz] AS subject_ats
    FROM tracking.conversion_facts v
    JOIN redemptions.claim_trust_facts c ON c.id = v.claim_id
    WHERE v.created_at >= $1 AND v.customer_hash IS NOT NULL AND v.customer_hash = c.claimant_hash`,

  // Every claim after the first to one address in one campaign is a signal of its own (each concerns one member).
  shared_household: `
    SELECT r.campaign_id, u.id AS claim_id, 'shared_household'::text AS type, u.id::text AS rule_key,
           CASE WHEN a.n >= 3 THEN 'high' ELSE 'medium' END AS severity,
           jsonb_build_object('claimId', u.id, 'firstClaimId', a.ids[1], 'claimsAtAddress', a.n,
                              'claimIds', to_jsonb(a.ids)) AS evidence,
           'claim'::text AS subject_kind, ARRAY[u.id] AS subject_ids, ARRAY[NULL::timestamptz] AS subject_ats
    FROM (SELECT DISTINCT campaign_id, address_hash FROM redemptions.claim_trust_facts
          WHERE created_at >= $1 AND address_hash IS NOT NULL) r
    JOIN LATERAL (SELECT count(*)::int AS n, array_agg(x.id ORDER BY x.created_at, x.id) AS ids
                  FROM redemptions.claim_trust_facts x
                  WHERE x.campaign_id = r.campaign_id AND x.address_hash = r.address_hash) a ON a.n >= 2
    CROSS JOIN LATERAL unnest(a.ids[2:]) AS u(id)`,

  // One visitor-day on one link with more clicks than a person makes; or one link's clicks bunched in a minute.
  click_anomaly: `
    SELECT k.campaign_id, k.claim_id, 'click_anomaly'::text AS type, 'visitor:' || min(k.id::text) AS rule_key,
           CASE WHEN count(*) >= ${T.visitorClicksHigh} THEN 'high' ELSE 'medium' END AS severity,
           jsonb_build_object('pattern', 'one_visitor', 'claimId', k.claim_id,
                              'day', to_char((k.clicked_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'),
                              'clicks', count(*), 'threshold', ${T.visitorClicksPerDay}) AS evidence,
           'click'::text AS subject_kind, array_agg(k.id ORDER BY k.id) AS subject_ids,
           array_agg(k.clicked_at ORDER BY k.id) AS subject_ats
    FROM tracking.click_facts k
    WHERE k.clicked_at >= $1 AND k.kind = 'human'
    GROUP BY k.campaign_id, k.claim_id, (k.clicked_at AT TIME ZONE 'UTC')::date, k.visitor_hash
    HAVING count(*) > ${T.visitorClicksPerDay}
    UNION ALL
    SELECT k.campaign_id, k.claim_id, 'click_anomaly', 'burst:' || min(k.id::text),
           CASE WHEN count(DISTINCT k.visitor_hash) * 10 <= count(*) THEN 'high' ELSE 'medium' END,
           jsonb_build_object('pattern', 'burst', 'claimId', k.claim_id,
                              'windowStart', to_char(date_trunc('minute', k.clicked_at AT TIME ZONE 'UTC'), ${ISO}), 'windowSeconds', 60,
                              'clicks', count(*), 'visitors', count(DISTINCT k.visitor_hash),
                              'threshold', ${T.burstClicksPerMinute}),
           'click', array_agg(k.id ORDER BY k.id), array_agg(k.clicked_at ORDER BY k.id)
    FROM tracking.click_facts k
    WHERE k.clicked_at >= $1 AND k.kind = 'human'
    GROUP BY k.campaign_id, k.claim_id, date_trunc('minute', k.clicked_at AT TIME ZONE 'UTC')
    HAVING count(*) >= ${T.burstClicksPerMinute}`,

  paid_traffic: `
    SELECT k.campaign_id, k.claim_id, 'paid_traffic'::text AS type,
           'paid:' || k.claim_id || ':' || to_char((k.clicked_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS rule_key,
           CASE WHEN count(*) >= ${T.paidClicksMedium} THEN 'medium' ELSE 'low' END AS severity,
           jsonb_build_object('claimId', k.claim_id, 'day', to_char((k.clicked_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'),
                              'paidClicks', count(*),
                              'networks', (SELECT jsonb_object_agg(p, n) FROM (
                                 SELECT p, count(*) AS n FROM unnest(array_agg(k.ad_click)) AS p GROUP BY p) z)) AS evidence,
           'click'::text AS subject_kind, array_agg(k.id ORDER BY k.id) AS subject_ids,
           array_agg(k.clicked_at ORDER BY k.id) AS subject_ats
    FROM tracking.click_facts k
    WHERE k.clicked_at >= $1 AND k.kind = 'human' AND k.ad_click IS NOT NULL
    GROUP BY k.campaign_id, k.claim_id, (k.clicked_at AT TIME ZONE 'UTC')::date`,

  conversion_velocity: `
    SELECT v.campaign_id, v.claim_id, 'conversion_velocity'::text AS type,
           'click:' || v.click_id || ':' || extract(epoch FROM date_trunc('minute', v.occurred_at AT TIME ZONE 'UTC'))::bigint AS rule_key,
           CASE WHEN count(*) >= 10 THEN 'high' ELSE 'medium' END AS severity,
           jsonb_build_object('pattern', 'per_click', 'claimId', v.claim_id, 'clickId', v.click_id,
                              'windowStart', to_char(date_trunc('minute', v.occurred_at AT TIME ZONE 'UTC'), ${ISO}), 'windowSeconds', 60,
                              'conversions', count(*), 'threshold', ${T.conversionsPerClickPerMinute}) AS evidence,
           'conversion'::text AS subject_kind, array_agg(v.id ORDER BY v.id) AS subject_ids,
           array_fill(NULL::timestamptz, ARRAY[count(*)::int]) AS subject_ats
    FROM tracking.conversion_facts v
    WHERE v.created_at >= $1 AND v.click_id IS NOT NULL AND v.claim_id IS NOT NULL
    GROUP BY v.campaign_id, v.claim_id, v.click_id, date_trunc('minute', v.occurred_at AT TIME ZONE 'UTC')
    HAVING count(*) >= ${T.conversionsPerClickPerMinute}
    UNION ALL
    SELECT v.campaign_id, v.claim_id, 'conversion_velocity',
           'code:' || v.claim_id || ':' || extract(epoch FROM date_trunc('minute', v.occurred_at AT TIME ZONE 'UTC'))::bigint,
           CASE WHEN count(*) >= 20 THEN 'high' ELSE 'medium' END,
           jsonb_build_object('pattern', 'per_code', 'claimId', v.claim_id,
                              'windowStart', to_char(date_trunc('minute', v.occurred_at AT TIME ZONE 'UTC'), ${ISO}), 'windowSeconds', 60,
                              'conversions', count(*), 'threshold', ${T.conversionsPerCodePerMinute}),
           'conversion', array_agg(v.id ORDER BY v.id), array_fill(NULL::timestamptz, ARRAY[count(*)::int])
    FROM tracking.conversion_facts v
    WHERE v.created_at >= $1 AND v.attributed_by = 'code'
    GROUP BY v.campaign_id, v.claim_id, date_trunc('minute', v.occurred_at AT TIME ZONE 'UTC')
    HAVING count(*) >= ${T.conversionsPerCodePerMinute}`,

  // Tracking's possible_code_leak flag (a code sale with no human click on that link before it), per claim-day.
  code_leak: `
    SELECT v.campaign_id, v.claim_id, 'code_leak'::text AS type,
           'leak:' || v.claim_id || ':' || to_char((v.occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS rule_key,
           CASE WHEN count(*) >= ${T.leaksHigh} THEN 'high' WHEN count(*) >= ${T.leaksMedium} THEN 'medium'
                ELSE 'low' END AS severity,
           jsonb_build_object('claimId', v.claim_id, 'day', to_char((v.occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'),
                              'leakedConversions', count(*)) AS evidence,
           'conversion'::text AS subject_kind, array_agg(v.id ORDER BY v.id) AS subject_ids,
           array_fill(NULL::timestamptz, ARRAY[count(*)::int]) AS subject_ats
    FROM tracking.conversion_facts v
    WHERE v.created_at >= $1 AND v.possible_code_leak AND v.claim_id IS NOT NULL
    GROUP BY v.campaign_id, v.claim_id, (v.occurred_at AT TIME ZONE 'UTC')::date`,
};

/**
 * Candidates → signals and their subjects, in one statement. A new key opens a signal; a known open one gets its
 * evidence refreshed (more clicks came) and any new subjects; a resolved one is left as decided. Rows are
 * written in key order so concurrent runs cannot deadlock.
 */
const upsert = (found: string): string => `
WITH found AS (${found}),
ins AS (
  INSERT INTO trust.signals AS s (brand_id, campaign_id, claim_id, influencer_id, type, rule_key, severity, evidence)
  SELECT c.brand_id, f.campaign_id, f.claim_id, cl.influencer_id, f.type, f.rule_key, f.severity, f.evidence
  FROM found f
  JOIN campaigns.campaign_facts c ON c.id = f.campaign_id
  LEFT JOIN redemptions.claim_facts cl ON cl.id = f.claim_id
  ORDER BY f.campaign_id, f.type, f.rule_key
  ON CONFLICT (campaign_id, type, rule_key) DO UPDATE SET evidence = EXCLUDED.evidence, severity = EXCLUDED.severity
    WHERE s.status = 'open' AND (s.evidence, s.severity) IS DISTINCT FROM (EXCLUDED.evidence, EXCLUDED.severity)
  RETURNING s.id, s.brand_id, s.campaign_id, s.claim_id, s.type, s.rule_key, s.severity, (s.xmax = 0) AS opened
),
sig AS (
  SELECT id, campaign_id, type, rule_key FROM ins
  UNION
  SELECT s.id, s.campaign_id, s.type, s.rule_key
  FROM trust.signals s JOIN found f USING (campaign_id, type, rule_key) WHERE s.status = 'open'
),
subj AS (
  INSERT INTO trust.signal_subjects (signal_id, kind, subject_id, campaign_id, at)
  SELECT DISTINCT sig.id, f.subject_kind, x.id, f.campaign_id, x.at
  FROM sig JOIN found f USING (campaign_id, type, rule_key)
  CROSS JOIN LATERAL unnest(f.subject_ids, f.subject_ats) AS x(id, at)
  ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT id, brand_id AS "brandId", campaign_id AS "campaignId", claim_id AS "claimId", type, severity
FROM ins WHERE opened`;

export interface OpenedSignal {
  id: string;
  brandId: string;
  campaignId: string;
  claimId: string | null;
  type: SignalType;
  severity: Severity;
}

export interface SignalRow {
  id: string;
  brandId: string;
  type: SignalType;
  severity: Severity;
  status: SignalStatus;
  claimId: string | null;
  evidence: Record<string, unknown>;
  openedAt: Date;
  resolvedAt: Date | null;
  note: string | null;
  cursorUs: string;
}

const SIGNAL_COLS = `id, brand_id AS "brandId", type, severity, status, claim_id AS "claimId", evidence, opened_at AS "openedAt",
  resolved_at AS "resolvedAt", note, (extract(epoch FROM opened_at) * 1000000)::bigint::text AS "cursorUs"`;

export interface Exclusions {
  claims: number;
  fulfilled: number;
  shares: number;
  disclosedShares: number;
  reach: number;
  engagements: number;
  clicks: number;
  uniqueClicks: number;
  conversions: number;
  revenueCents: number;
}

export const NO_EXCLUSIONS: Exclusions = {
  claims: 0,
  fulfilled: 0,
  shares: 0,
  disclosedShares: 0,
  reach: 0,
  engagements: 0,
  clicks: 0,
  uniqueClicks: 0,
  conversions: 0,
  revenueCents: 0,
};

/**
 * What confirmed signals take out of a campaign's report, counted the way the rollups count (human clicks,
 * distinct visitors per day, sales in the campaign currency net of refunds). A confirmed claim (shared household)
 * takes all its clicks, sales and share counters; a confirmed click or sale only itself. Reads the raw facts of
 * the excluded rows only, found by key (clicks by id and time, or by claim), so a clean campaign costs nothing.
 */
const EXCLUSIONS_SQL = `
WITH conf AS (
  SELECT DISTINCT ss.kind, ss.subject_id, ss.at FROM trust.signal_subjects ss
  JOIN trust.signals s ON s.id = ss.signal_id
  WHERE ss.campaign_id = $1 AND s.status = 'confirmed'
),
xclaims AS (SELECT subject_id AS id FROM conf WHERE kind = 'claim'),
xk AS (
  SELECT k.id, k.clicked_at, k.visitor_hash FROM conf c
  JOIN tracking.click_facts k ON k.id = c.subject_id AND k.clicked_at = c.at
  WHERE c.kind = 'click' AND k.kind = 'human' AND k.campaign_id = $1
  UNION
  SELECT k.id, k.clicked_at, k.visitor_hash FROM xclaims x
  JOIN tracking.click_facts k ON k.claim_id = x.id
  WHERE k.kind = 'human' AND k.campaign_id = $1
),
xdays AS (SELECT DISTINCT (clicked_at AT TIME ZONE 'UTC')::date AS day, visitor_hash FROM xk),
xv AS (
  SELECT v.id, v.amount_cents, v.refunded_cents FROM conf c JOIN tracking.conversion_facts v ON v.id = c.subject_id
  WHERE c.kind = 'conversion' AND v.campaign_id = $1 AND v.currency = $2
  UNION
  SELECT v.id, v.amount_cents, v.refunded_cents FROM xclaims x JOIN tracking.conversion_facts v ON v.claim_id = x.id
  WHERE v.campaign_id = $1 AND v.currency = $2
)
SELECT
  (SELECT count(*) FROM xclaims)::int AS claims,
  (SELECT count(*) FROM redemptions.claim_facts cl JOIN xclaims x ON x.id = cl.id WHERE cl.status = 'fulfilled')::int
    AS fulfilled,
  (SELECT json_build_object('shares', COALESCE(sum(r.shares), 0), 'disclosedShares', COALESCE(sum(r.disclosed_shares), 0),
                            'reach', COALESCE(sum(r.reach), 0), 'engagements', COALESCE(sum(r.engagements), 0))
   FROM tracking.claim_rollup r JOIN xclaims x ON x.id = r.claim_id) AS shares,
  (SELECT count(*) FROM xk)::int AS clicks,
  -- A visitor-day stops counting as a unique click only when none of that visitor's clicks that day remains.
  (SELECT count(*) FROM xdays d WHERE NOT EXISTS (
     SELECT 1 FROM tracking.click_facts k
     WHERE k.campaign_id = $1 AND k.kind = 'human' AND k.visitor_hash = d.visitor_hash
       AND k.clicked_at >= d.day::timestamp AT TIME ZONE 'UTC'
       AND k.clicked_at < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
       AND NOT EXISTS (SELECT 1 FROM xk WHERE xk.id = k.id AND xk.clicked_at = k.clicked_at)))::int AS "uniqueClicks",
  -- As netSales counts: a sale refunded in full is no conversion; revenue is net of refunds.
  (SELECT count(*) FILTER (WHERE amount_cents = 0 OR refunded_cents < amount_cents) FROM xv)::int AS conversions,
  (SELECT COALESCE(sum(amount_cents - refunded_cents), 0) FROM xv)::float8 AS "revenueCents"`;

@Injectable()
export class TrustRepository {
  constructor(private readonly dataSource: DataSource) {}

  detect(m: EntityManager, type: SignalType, since: Date): Promise<OpenedSignal[]> {
    return m.query(upsert(RULES[type]), [since]);
  }

  list(
    campaignId: string,
    o: { status?: SignalStatus; limit: number; after?: [string, string] },
  ): Promise<SignalRow[]> {
    return this.dataSource.query(
      `SELECT ${SIGNAL_COLS} FROM trust.signals
       WHERE campaign_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::bigint IS NULL OR ((extract(epoch FROM opened_at) * 1000000)::bigint, id) < ($3::bigint, $4::uuid))
       ORDER BY opened_at DESC, id DESC LIMIT $5`,
      [campaignId, o.status ?? null, o.after?.[0] ?? null, o.after?.[1] ?? null, o.limit],
    );
  }

  /** Locks the signal (of this campaign, when given); null: none, so the caller answers 404. */
  async lock(m: EntityManager, signalId: string, campaignId: string | null): Promise<SignalRow | null> {
    const rows: SignalRow[] = await m.query(
      `SELECT ${SIGNAL_COLS} FROM trust.signals WHERE id = $1 AND ($2::uuid IS NULL OR campaign_id = $2) FOR UPDATE`,
      [signalId, campaignId],
    );
    return rows[0] ?? null;
  }

  async setStatus(
    m: EntityManager,
    signalId: string,
    status: Exclude<SignalStatus, 'open'>,
    note: string | null,
  ): Promise<SignalRow> {
    const [rows] = await m.query<[SignalRow[], number]>(
      `UPDATE trust.signals SET status = $2, note = $3, resolved_at = now() WHERE id = $1 RETURNING ${SIGNAL_COLS}`,
      [signalId, status, note],
    );
    return rows[0];
  }

  async counts(campaignId: string): Promise<Record<SignalStatus, number>> {
    const [r] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed,
              count(*) FILTER (WHERE status = 'dismissed')::int AS dismissed
       FROM trust.signals WHERE campaign_id = $1`,
      [campaignId],
    );
    return r;
  }

  async exclusions(campaignId: string, currency: string): Promise<Exclusions> {
    const [r] = await this.dataSource.query(EXCLUSIONS_SQL, [campaignId, currency]);
    return {
      claims: r.claims,
      fulfilled: r.fulfilled,
      shares: Number(r.shares.shares),
      disclosedShares: Number(r.shares.disclosedShares),
      reach: Number(r.shares.reach),
      engagements: Number(r.shares.engagements),
      clicks: r.clicks,
      uniqueClicks: r.uniqueClicks,
      conversions: r.conversions,
      revenueCents: r.revenueCents,
    };
  }

  memberVerdicts(
    influencerId: string,
    m?: EntityManager,
  ): Promise<{ signalId: string; claimId: string; campaignId: string; type: SignalType; confirmedAt: Date }[]> {
    return (m ?? this.dataSource).query(
      `SELECT signal_id AS "signalId", claim_id AS "claimId", campaign_id AS "campaignId", type,
              confirmed_at AS "confirmedAt"
       FROM trust.confirmed_verdicts WHERE influencer_id = $1 ORDER BY confirmed_at DESC, signal_id`,
      [influencerId],
    );
  }
}
