import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignStatus } from './campaign-status';
import type { MatchMode, PerkKind } from './dto/campaign-request.dto';

/** What a brand sets; everything else (status, counters, funding) is derived. */
export interface CampaignValues {
  name: string;
  perkTitle: string;
  perkDescription: string;
  perkKind: PerkKind;
  unitCostCents: number;
  currency: string;
  inventory: number;
  match: MatchMode;
  minOverallScore: number | null;
  countries: string[] | null;
  landingUrl: string;
  startsAt: Date | null;
  endsAt: Date | null;
  offerTtlHours: number;
  attributionWindowDays: number;
}

export interface CampaignRow extends CampaignValues {
  id: string;
  brandId: string;
  status: CampaignStatus;
  /** bigint columns arrive as strings from pg. */
  unitCostCents: number;
  claimed: number;
  remaining: number;
  fundedCents: string;
  platformFeeBps: number | null;
  topics: { slug: string; minScore: number }[];
  createdAt: Date;
  updatedAt: Date;
  /** created_at in epoch microseconds (exact, unlike a JS Date), the first half of the list cursor. */
  cursorTs: string;
}

const COLS = `c.id, c.brand_id AS "brandId", c.name, c.status,
  c.perk_title AS "perkTitle", c.perk_description AS "perkDescription", c.perk_kind AS "perkKind",
  c.unit_cost_cents::float8 AS "unitCostCents", c.currency, c.inventory, c.claimed, c.remaining,
  c.funded_cents AS "fundedCents", c.platform_fee_bps AS "platformFeeBps", c.match,
  c.min_overall_score AS "minOverallScore", c.countries, c.landing_url AS "landingUrl",
  c.starts_at AS "startsAt", c.ends_at AS "endsAt", c.offer_ttl_hours AS "offerTtlHours",
  c.attribution_window_days AS "attributionWindowDays", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  (extract(epoch FROM c.created_at) * 1000000)::bigint::text AS "cursorTs",
  COALESCE((SELECT jsonb_agg(jsonb_build_object('slug', t.slug, 'minScore', ct.min_score) ORDER BY t.slug)
            FROM campaigns.campaign_topics ct JOIN topics.topic_catalogue t ON t.id = ct.topic_id
            WHERE ct.campaign_id = c.id), '[]'::jsonb) AS topics`;

/** Every read of a brand's campaign takes the brandId; `…ById` variants exist only for the operator and Stripe. */
export interface UnitTaken {
  id: string;
  brandId: string;
  remaining: number;
  perkKind: 'product' | 'experience' | 'discount';
}

@Injectable()
export class CampaignsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, brandId: string, v: CampaignValues): Promise<string> {
    const [row] = await m.query<{ id: string }[]>(
      `INSERT INTO campaigns (brand_id, name, perk_title, perk_description, perk_kind, unit_cost_cents, currency,
         inventory, remaining, match, min_overall_score, countries, landing_url, starts_at, ends_at,
         offer_ttl_hours, attribution_window_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       RETURNING id`,
      [
        brandId,
        v.name,
        v.perkTitle,
        v.perkDescription,
        v.perkKind,
        v.unitCostCents,
        v.currency,
        v.inventory,
        v.match,
        v.minOverallScore,
        v.countries,
        v.landingUrl,
        v.startsAt,
        v.endsAt,
        v.offerTtlHours,
        v.attributionWindowDays,
      ],
    );
    return row.id;
  }

  /** Only called in `draft`, where nothing has been claimed, so remaining follows inventory. */
  async update(m: EntityManager, brandId: string, id: string, v: CampaignValues): Promise<boolean> {
    const [, n] = await m.query<[unknown, number]>(
      `UPDATE campaigns SET name = $3, perk_title = $4, perk_description = $5, perk_kind = $6, unit_cost_cents = $7,
         currency = $8, inventory = $9, remaining = $9, match = $10, min_overall_score = $11, countries = $12,
         landing_url = $13, starts_at = $14, ends_at = $15, offer_ttl_hours = $16, attribution_window_days = $17,
         updated_at = now()
       WHERE id = $1 AND brand_id = $2 AND status = 'draft' AND claimed = 0`,
      [
        id,
        brandId,
        v.name,
        v.perkTitle,
        v.perkDescription,
        v.perkKind,
        v.unitCostCents,
        v.currency,
        v.inventory,
        v.match,
        v.minOverallScore,
        v.countries,
        v.landingUrl,
        v.startsAt,
        v.endsAt,
        v.offerTtlHours,
        v.attributionWindowDays,
      ],
    );
    return n === 1;
  }

  /** Replaces the targeting topics; returns how many were stored (fewer than asked means a slug vanished). */
  async replaceTopics(
    m: EntityManager,
    campaignId: string,
    topics: { slug: string; minScore: number }[],
  ): Promise<number> {
    await m.query(`DELETE FROM campaign_topics WHERE campaign_id = $1`, [campaignId]);
    const rows = await m.query<unknown[]>(
      `INSERT INTO campaign_topics (campaign_id, topic_id, min_score)
       SELECT $1, t.id, x.min_score
       FROM unnest($2::text[], $3::int[]) AS x(slug, min_score)
       JOIN topics.topic_catalogue t ON lower(t.slug) = lower(x.slug)
       RETURNING topic_id`,
      [campaignId, topics.map((t) => t.slug), topics.map((t) => t.minScore)],
    );
    return rows.length;
  }

  async find(brandId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await m.query(`SELECT ${COLS} FROM campaigns c WHERE c.id = $1 AND c.brand_id = $2`, [
      id,
      brandId,
    ]);
    return rows[0] ?? null;
  }

  /** Newest first, keyset on (created_at, id). */
  list(
    brandId: string,
    opts: { status?: CampaignStatus; after?: [string, string]; limit: number },
  ): Promise<CampaignRow[]> {
    return this.dataSource.query(
      `SELECT ${COLS} FROM campaigns c
       WHERE c.brand_id = $1
         AND ($2::text IS NULL OR c.status = $2)
         AND ($3::bigint IS NULL OR (c.created_at, c.id) < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::uuid))
       ORDER BY c.created_at DESC, c.id DESC
       LIMIT $5`,
      [brandId, opts.status ?? null, opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit],
    );
  }

  async lockOwned(m: EntityManager, brandId: string, id: string): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await m.query(
      `SELECT ${COLS} FROM campaigns c WHERE c.id = $1 AND c.brand_id = $2 FOR NO KEY UPDATE OF c`,
      [id, brandId],
    );
    return rows[0] ?? null;
  }

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await m.query(`SELECT ${COLS} FROM campaigns c WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Every campaign lock is FOR NO KEY UPDATE: nothing changes a campaign's id, and an in-flight claim holds a
   * KEY SHARE lock on the row (its claim row's foreign key) while it waits for the unit; FOR UPDATE would
   * conflict with that and deadlock against the claim (bench/README.md, claims).
   */
  async lockById(m: EntityManager, id: string): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await m.query(
      `SELECT ${COLS} FROM campaigns c WHERE c.id = $1 FOR NO KEY UPDATE OF c`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * One conditional UPDATE per transition, so two concurrent transitions cannot both win. False when the
   * campaign is not (this brand's and) in one of `from`, or, with `notEnded`, its end has passed.
   */
  async transition(
    m: EntityManager,
    scope: { id: string; brandId: string | null },
    from: readonly CampaignStatus[],
    to: CampaignStatus,
    opts: { notEnded?: boolean; funding?: { fundedCents: number; feeBps: number } } = {},
  ): Promise<boolean> {
    const [, n] = await m.query<[unknown, number]>(
      `UPDATE campaigns SET status = $4, updated_at = now(),
         funded_cents = COALESCE($6::bigint, funded_cents), platform_fee_bps = COALESCE($7::smallint, platform_fee_bps)
       WHERE id = $1 AND ($2::uuid IS NULL OR brand_id = $2) AND status = ANY($3::text[])
         AND (NOT $5::boolean OR ends_at IS NULL OR ends_at > now())`,
      [
        scope.id,
        scope.brandId,
        from,
        to,
        opts.notEnded ?? false,
        opts.funding?.fundedCents ?? null,
        opts.funding?.feeBps ?? null,
      ],
    );
    return n === 1;
  }

  async statusOf(
    m: EntityManager,
    scope: { id: string; brandId: string | null },
  ): Promise<{ status: CampaignStatus; endsAt: Date | null } | null> {
    const rows = await m.query<{ status: CampaignStatus; endsAt: Date | null }[]>(
      `SELECT status, ends_at AS "endsAt" FROM campaigns WHERE id = $1 AND ($2::uuid IS NULL OR brand_id = $2)`,
      [scope.id, scope.brandId],
    );
    return rows[0] ?? null;
  }

  /** Completes up to `limit` running campaigns whose end has passed; set-based, skipping rows being changed now. */
  async completeDue(m: EntityManager, limit: number): Promise<{ id: string; brandId: string }[]> {
    const rows = await m.query<[{ id: string; brandId: string }[], number]>(
      `UPDATE campaigns SET status = 'completed', updated_at = now()
       WHERE id IN (
         SELECT id FROM campaigns
         WHERE status IN ('active', 'paused') AND ends_at <= now()
         ORDER BY ends_at LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED
       ) AND status IN ('active', 'paused')
       RETURNING id, brand_id AS "brandId"`,
      [limit],
    );
    return rows[0];
  }

  /**
   * Takes one unit for a claim: a single conditional UPDATE, so under any concurrency the row lock serialises
   * claims on one campaign and `remaining > 0` (plus the CHECK as backstop) makes overselling impossible.
   */
  async takeUnit(m: EntityManager, id: string): Promise<UnitTaken | null> {
    const [rows] = await m.query<[UnitTaken[], number]>(
      `UPDATE campaigns SET remaining = remaining - 1, claimed = claimed + 1, updated_at = now()
       WHERE id = $1 AND status = 'active' AND remaining > 0
       RETURNING id, brand_id AS "brandId", remaining, perk_kind AS "perkKind"`,
      [id],
    );
    return rows[0] ?? null;
  }
}
