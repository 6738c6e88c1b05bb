import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReadReplicas } from '../database/read-replicas';
import { AudienceCount, countAudience } from './audience';
import { BEST_TARGETED_TOPIC, lazyWaveSql, waveCapCutsSql, WaveRule } from './eligibility.sql';
import { MATCHING_LOCK_KEY, OFFERS_PER_REMAINING_UNIT, WEEKLY_OFFER_CAP } from './matching.queue';

/** Memory for the wave's sort and aggregates: at the default 4 MB its per-group sort spills to disk. */
const WAVE_WORK_MEM = '64MB';
/** A wave's first read takes this many times the offers wanted from each topic's list (measured in bench/README.md). */
const WAVE_CAP_FACTOR = 2;
import { OfferStatus } from './entities/offer.entity';

export interface WaveTarget {
  id: string;
  remaining: number;
  pending: number;
  offerTtlHours: number;
}

/** A member the wave picked, with the score the offer records. */
export interface Candidate {
  influencer_id: string;
  best: number;
}

export interface ClaimedOffer {
  id: string;
  campaignId: string;
  /** The status before this statement. */
  status: OfferStatus;
  expired: boolean;
  /** True when this statement marked the offer claimed (it was pending and unexpired). */
  claimed: boolean;
  brandId: string;
  perkKind: string;
  topicId: number;
}

export interface MemberOfferRow {
  id: string;
  campaignId: string;
  status: OfferStatus;
  expiresAt: Date;
  createdAt: Date;
  decidedAt: Date | null;
  cursorUs: string;
  perkTitle: string;
  perkDescription: string;
  perkKind: string;
  unitCostCents: string;
  currency: string;
  brandName: string;
  landingUrl: string;
}

export interface BrandOfferRow {
  id: string;
  influencerId: string;
  status: OfferStatus;
  matchScore: number;
  createdAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  withdrawnReason: string | null;
  cursorUs: string;
}

/** Keyset cursors use microseconds: an ISO string (milliseconds) would skip rows created in the same ms. */
const CURSOR_US = `(extract(epoch FROM o.created_at) * 1000000)::bigint`;

/** Pending past its expiry is expired, whether or not the sweep has run yet. */
const EFFECTIVE_STATUS = `CASE WHEN o.status = 'pending' AND o.expires_at <= now() THEN 'expired' ELSE o.status END`;

@Injectable()
export class MatchingRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly read: ReadReplicas,
  ) {}

  /**
   * Serialises the waves of one campaign (they would otherwise pick the same members); waves of different
   * campaigns run side by side and meet only on shared members (lockMembers).
   */
  async lockCampaign(m: EntityManager, campaignId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))`, [MATCHING_LOCK_KEY, campaignId]);
    // The probes' row estimates are far off (the planner cannot size the subquery filters), so the cost looks huge
    // and JIT would compile the plan: ~1 s of the wave's 0.3 s budget, measured at 1M members.
    // Custom plans only: the wave's statements are prepared (auto-prepare.ts), and a connection's generic plan,
    // made while `offers` was empty, kept a sequential scan for the weekly-cap count — 10,000 × the whole table,
    // past the 30 s statement timeout once offers grew (bench/README.md, matching, 2026-12-03). Planning a wave's
    // few statements costs well under a millisecond each.
    await m.query(
      `SET LOCAL work_mem = '${WAVE_WORK_MEM}'; SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_custom_plan`,
    );
  }

  /** The campaign's targeting, as the lazy wave binds it. */
  async waveRule(m: EntityManager, campaignId: string): Promise<WaveRule> {
    const [c]: { match: 'any' | 'all'; countries: string[] | null; minOverallScore: number | null }[] = await m.query(
      `SELECT match, countries, min_overall_score AS "minOverallScore" FROM campaigns.campaign_facts WHERE id = $1`,
      [campaignId],
    );
    const targets: { topicId: number; minScore: number }[] = await m.query(
      `SELECT topic_id AS "topicId", min_score AS "minScore" FROM campaigns.campaign_targets
       WHERE campaign_id = $1 ORDER BY topic_id`,
      [campaignId],
    );
    return { ...c, targets };
  }

  /**
   * The next `limit` eligible members not yet offered this campaign and under the weekly cap, best match first:
   * exactly the exact wave's. Reads each topic's top `WAVE_CAP_FACTOR × limit` first and widens (then drops) the
   * cap only when a capped list was cut at or above the last row's score, where members may be missing.
   */
  async nextWave(m: EntityManager, t: WaveTarget, rule: WaveRule, limit: number): Promise<Candidate[]> {
    if (!rule.targets.length || limit <= 0) return [];
    const topics = rule.targets.flatMap((x) => [x.topicId, x.minScore]);
    const sql = lazyWaveSql(rule.targets.length, WEEKLY_OFFER_CAP);
    for (
      let cap: number | null = Math.max(1_000, limit * WAVE_CAP_FACTOR);
      ;
      cap = cap * 4 > 1_000_000 ? null : cap * 4
    ) {
      const rows: Candidate[] = await m.query(sql, [
        t.id,
        limit,
        rule.countries,
        rule.minOverallScore,
        rule.match,
        cap,
        ...topics,
      ]);
      if (cap === null) return rows;
      const [{ cuts }]: { cuts: (number | null)[] }[] = await m.query(waveCapCutsSql(rule.targets.length), [
        cap,
        ...topics,
      ]);
      // Short of `limit`: exact only if no list was cut at all.
      const last = rows.length === limit ? rows[rows.length - 1].best : -Infinity;
      if (cuts.every((cut) => cut === null || cut < last)) return rows;
    }
  }

  async eraseOfferLock(m: EntityManager, influencerId: string): Promise<void> {
    await m.query(`DELETE FROM offer_locks WHERE influencer_id = $1`, [influencerId]);
  }

  /**
   * Locks the members' rows in matching.offer_locks until commit, in one order (no deadlock between two waves).
   * A wave racing this one for a shared member waits here until the other commits, so the next statement's weekly
   * count includes the other wave's offers.
   */
  async lockMembers(m: EntityManager, ids: string[]): Promise<void> {
    await m.query(
      `INSERT INTO offer_locks (influencer_id)
       SELECT id FROM unnest($1::uuid[]) AS u(id) ORDER BY id
       ON CONFLICT (influencer_id) DO UPDATE SET locked_at = now()`,
      [ids],
    );
  }

  /** Offers to the (locked) candidates still under the weekly cap; returns how many offers it made. */
  async insertOffers(m: EntityManager, t: WaveTarget, candidates: Candidate[]): Promise<number> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
       SELECT $1, c.id, 'pending', c.best, now() + make_interval(hours => $4::int)
       FROM unnest($2::uuid[], $3::int[]) AS c(id, best)
       WHERE (SELECT count(*) FROM offers o WHERE o.influencer_id = c.id
              AND o.created_at > now() - interval '7 days') < ${WEEKLY_OFFER_CAP}
       ON CONFLICT (campaign_id, influencer_id) DO NOTHING
       RETURNING 1`,
      [t.id, candidates.map((c) => c.influencer_id), candidates.map((c) => c.best), t.offerTtlHours],
    );
    return rows.length;
  }

  /** A campaign that may receive offers now: active, started, not ended, with units left. */
  async waveTarget(m: EntityManager, campaignId: string): Promise<WaveTarget | null> {
    const rows = await m.query(
      `SELECT c.id, c.remaining, c.offer_ttl_hours AS "offerTtlHours",
              (SELECT count(*)::int FROM matching.offers o WHERE o.campaign_id = c.id AND o.status = 'pending' AND o.expires_at > now()) AS pending
       FROM campaigns.campaign_facts c
       WHERE c.id = $1 AND c.status = 'active' AND c.remaining > 0
         AND (c.starts_at IS NULL OR c.starts_at <= now()) AND (c.ends_at IS NULL OR c.ends_at > now())`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  /** The audience estimate (audience.ts): a count that may lag, so from a read replica when configured. */
  countAudience(campaignId: string): Promise<AudienceCount> {
    return countAudience((sql, params) => this.read.query(sql, params), campaignId);
  }

  /**
   * The claim's one statement in matching: locks the member's offer, marks it claimed when it is pending and
   * unexpired, and returns what the rest of the claim needs (perk kind, brand, the topic the claim is reported
   * under) — one round trip where there were three. A row with `claimed = false` says why through status/expired.
   */
  async claimOffer(m: EntityManager, influencerId: string, offerId: string): Promise<ClaimedOffer | null> {
    const rows: ClaimedOffer[] = await m.query(
      `WITH o AS (
         SELECT id, campaign_id, status, (status = 'pending' AND expires_at <= now()) AS expired
         FROM offers WHERE id = $1 AND influencer_id = $2 FOR UPDATE
       ), marked AS (
         UPDATE offers SET status = 'claimed', decided_at = now()
         FROM o WHERE offers.id = o.id AND o.status = 'pending' AND NOT o.expired
         RETURNING offers.id
       )
       SELECT o.id, o.campaign_id AS "campaignId", o.status, o.expired,
              EXISTS (SELECT 1 FROM marked) AS claimed,
              c.brand_id AS "brandId", c.perk_kind AS "perkKind",
              ${BEST_TARGETED_TOPIC('o.campaign_id', '$2')} AS "topicId"
       FROM o JOIN campaigns.campaign_facts c ON c.id = o.campaign_id`,
      [offerId, influencerId],
    );
    return rows[0] ?? null;
  }

  wantedOffers(t: WaveTarget): number {
    return Math.max(0, OFFERS_PER_REMAINING_UNIT * t.remaining - t.pending);
  }

  async activeCampaignIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM campaigns.campaign_facts WHERE status = 'active' AND remaining > 0 ORDER BY id`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * The active campaigns a member may now fit: those targeting a topic the member has a published score in, and
   * those with no topic targeting at all. The wave itself applies the full eligibility rule.
   */
  async activeCampaignIdsFor(influencerId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT c.id FROM campaigns.campaign_facts c
       WHERE c.status = 'active' AND c.remaining > 0
         AND (NOT EXISTS (SELECT 1 FROM campaigns.campaign_targets t WHERE t.campaign_id = c.id)
              OR EXISTS (SELECT 1 FROM campaigns.campaign_targets t
                         JOIN scoring.published_scores s ON s.topic_id = t.topic_id AND s.influencer_id = $1
                         WHERE t.campaign_id = c.id))
       ORDER BY c.id`,
      [influencerId],
    );
    return rows.map((r) => r.id);
  }

  /** Withdraws a member's pending offers; returns the campaigns that now need a top-up. */
  async withdrawMemberOffers(m: EntityManager, influencerId: string, reason: string): Promise<string[]> {
    const [rows] = await m.query<[{ campaignId: string }[], number]>(
      `UPDATE offers SET status = 'withdrawn', withdrawn_reason = $2, decided_at = now()
       WHERE influencer_id = $1 AND status = 'pending' RETURNING campaign_id AS "campaignId"`,
      [influencerId, reason],
    );
    return [...new Set(rows.map((r) => r.campaignId))];
  }

  async withdrawCampaignOffers(m: EntityManager, campaignIds: string[], reason: string): Promise<number> {
    const [, n] = await m.query<[unknown, number]>(
      `UPDATE offers SET status = 'withdrawn', withdrawn_reason = $2, decided_at = now()
       WHERE campaign_id = ANY($1::uuid[]) AND status = 'pending'`,
      [campaignIds, reason],
    );
    return n;
  }

  /** Expires due offers in batches; returns the campaigns affected. */
  async expireDue(m: EntityManager, batch: number): Promise<string[]> {
    const [rows] = await m.query<[{ campaignId: string }[], number]>(
      `UPDATE offers SET status = 'expired', decided_at = expires_at
       WHERE id IN (SELECT id FROM offers WHERE status = 'pending' AND expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING campaign_id AS "campaignId"`,
      [batch],
    );
    return [...new Set(rows.map((r) => r.campaignId))];
  }

  /** Locks the member's own offer (never anyone else's: the member id is in the WHERE). */
  async lockMemberOffer(
    m: EntityManager,
    influencerId: string,
    offerId: string,
  ): Promise<{ id: string; campaignId: string; status: OfferStatus; expired: boolean } | null> {
    const rows = await m.query(
      `SELECT id, campaign_id AS "campaignId", status, (status = 'pending' AND expires_at <= now()) AS expired
       FROM offers WHERE id = $1 AND influencer_id = $2 FOR UPDATE`,
      [offerId, influencerId],
    );
    return rows[0] ?? null;
  }

  async setStatus(m: EntityManager, offerId: string, status: OfferStatus): Promise<void> {
    await m.query(`UPDATE offers SET status = $2, decided_at = now() WHERE id = $1`, [offerId, status]);
  }

  async memberOffers(
    influencerId: string,
    opts: { status?: OfferStatus; after?: [string, string]; limit: number; id?: string },
    m: EntityManager = this.dataSource.manager,
  ): Promise<MemberOfferRow[]> {
    return m.query(
      `SELECT * FROM (
         SELECT o.id, o.campaign_id AS "campaignId", ${EFFECTIVE_STATUS} AS status, o.expires_at AS "expiresAt",
                o.created_at AS "createdAt", o.decided_at AS "decidedAt",
                c.perk_title AS "perkTitle", c.perk_description AS "perkDescription", c.perk_kind AS "perkKind",
                c.unit_cost_cents AS "unitCostCents", c.currency, b.name AS "brandName", c.landing_url AS "landingUrl",
                ${CURSOR_US} AS "cursorUs"
         FROM matching.offers o JOIN campaigns.campaign_facts c ON c.id = o.campaign_id JOIN brands.brand_names b ON b.id = c.brand_id
         WHERE o.influencer_id = $1 AND ($6::uuid IS NULL OR o.id = $6)
       ) x
       WHERE ($2::text IS NULL OR x.status = $2)
         AND ($3::bigint IS NULL OR ("cursorUs", id) < ($3::bigint, $4::uuid))
       ORDER BY "cursorUs" DESC, id DESC LIMIT $5`,
      [
        influencerId,
        opts.status ?? null,
        opts.after?.[0] ?? null,
        opts.after?.[1] ?? null,
        opts.limit,
        opts.id ?? null,
      ],
    );
  }

  async campaignOffers(
    campaignId: string,
    opts: { status?: OfferStatus; after?: [string, string]; limit: number },
  ): Promise<BrandOfferRow[]> {
    return this.dataSource.query(
      `SELECT * FROM (
         SELECT o.id, o.influencer_id AS "influencerId", ${EFFECTIVE_STATUS} AS status, o.match_score AS "matchScore",
                o.created_at AS "createdAt", o.expires_at AS "expiresAt", o.decided_at AS "decidedAt",
                o.withdrawn_reason AS "withdrawnReason", ${CURSOR_US} AS "cursorUs"
         FROM offers o WHERE o.campaign_id = $1
       ) x
       WHERE ($2::text IS NULL OR x.status = $2)
         AND ($3::bigint IS NULL OR ("cursorUs", id) > ($3::bigint, $4::uuid))
       ORDER BY "cursorUs", id LIMIT $5`,
      [campaignId, opts.status ?? null, opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit],
    );
  }
}
