import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ShippingAddress } from '../influencers/entities/influencer.entity';

export interface ClaimRow {
  id: string;
  offerId: string;
  campaignId: string;
  influencerId: string;
  status: 'claimed' | 'fulfilled';
  code: string;
  shippingAddress: ShippingAddress | null;
  trackingNumber: string | null;
  createdAt: Date;
  fulfilledAt: Date | null;
  cursorUs: string;
  perkKind: string;
}

export interface MemberClaimRow extends ClaimRow {
  perkTitle: string;
  perkDescription: string;
  unitCostCents: string;
  currency: string;
  brandName: string;
  landingUrl: string;
}

const COLS = `cl.id, cl.offer_id AS "offerId", cl.campaign_id AS "campaignId", cl.influencer_id AS "influencerId",
  cl.status, cl.code, cl.shipping_address AS "shippingAddress", cl.tracking_number AS "trackingNumber",
  cl.created_at AS "createdAt", cl.fulfilled_at AS "fulfilledAt",
  (extract(epoch FROM cl.created_at) * 1000000)::bigint AS "cursorUs", c.perk_kind AS "perkKind"`;

@Injectable()
export class RedemptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the claim unless the code collides; null means "draw another code". */
  async insertClaim(
    m: EntityManager,
    v: {
      offerId: string;
      campaignId: string;
      influencerId: string;
      code: string;
      shippingAddress: ShippingAddress | null;
      addressHash: Buffer | null;
      claimantHash: Buffer | null;
    },
  ): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO claims (offer_id, campaign_id, influencer_id, code, shipping_address, score_at_claim, address_hash,
                           claimant_hash)
       VALUES ($1, $2, $3, $4, $5::jsonb, (SELECT score FROM scoring.overall_scores WHERE influencer_id = $3), $6, $7)
       ON CONFLICT (code) DO NOTHING RETURNING id`,
      [
        v.offerId,
        v.campaignId,
        v.influencerId,
        v.code,
        v.shippingAddress ? JSON.stringify(v.shippingAddress) : null,
        v.addressHash,
        v.claimantHash,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async memberClaims(
    influencerId: string,
    opts: { after?: [string, string]; limit: number; id?: string; status?: string },
    m: EntityManager = this.dataSource.manager,
  ): Promise<MemberClaimRow[]> {
    // The status filter sits in the WHERE, before the LIMIT: filtered afterwards, a page would come back short
    // (or empty with more to come) whenever other statuses filled the limit.
    return m.query(
      `SELECT ${COLS}, c.perk_title AS "perkTitle", c.perk_description AS "perkDescription",
              c.unit_cost_cents AS "unitCostCents", c.currency, b.name AS "brandName", c.landing_url AS "landingUrl"
       FROM redemptions.claims cl JOIN campaigns.campaign_facts c ON c.id = cl.campaign_id JOIN brands.brand_names b ON b.id = c.brand_id
       WHERE cl.influencer_id = $1 AND ($4::uuid IS NULL OR cl.id = $4) AND ($6::text IS NULL OR cl.status = $6)
         AND ($2::bigint IS NULL OR ((extract(epoch FROM cl.created_at) * 1000000)::bigint, cl.id) < ($2::bigint, $3::uuid))
       ORDER BY cl.created_at DESC, cl.id DESC LIMIT $5`,
      [
        influencerId,
        opts.after?.[0] ?? null,
        opts.after?.[1] ?? null,
        opts.id ?? null,
        opts.limit,
        opts.status ?? null,
      ],
    );
  }

  async campaignClaims(
    campaignId: string,
    opts: { status?: string; after?: [string, string]; limit: number },
  ): Promise<ClaimRow[]> {
    return this.dataSource.query(
      `SELECT ${COLS} FROM redemptions.claims cl JOIN campaigns.campaign_facts c ON c.id = cl.campaign_id
       WHERE cl.campaign_id = $1 AND ($2::text IS NULL OR cl.status = $2)
         AND ($3::bigint IS NULL OR ((extract(epoch FROM cl.created_at) * 1000000)::bigint, cl.id) > ($3::bigint, $4::uuid))
       ORDER BY cl.created_at, cl.id LIMIT $5`,
      [campaignId, opts.status ?? null, opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit],
    );
  }

  async campaignClaim(campaignId: string, claimId: string): Promise<ClaimRow | null> {
    const rows = await this.dataSource.query(
      `SELECT ${COLS} FROM redemptions.claims cl JOIN campaigns.campaign_facts c ON c.id = cl.campaign_id WHERE cl.campaign_id = $1 AND cl.id = $2`,
      [campaignId, claimId],
    );
    return rows[0] ?? null;
  }

  /** Fulfilling twice keeps the first fulfilment time; a tracking number may be added or corrected. */
  /** The status the claim had before (so the caller knows whether this fulfilled it), or null when not found. */
  async fulfil(
    campaignId: string,
    claimId: string,
    trackingNumber: string | null,
    m: EntityManager = this.dataSource.manager,
  ): Promise<'claimed' | 'fulfilled' | null> {
    // Locked first, so of two concurrent fulfilments exactly one sees 'claimed'.
    const [before] = await m.query<{ status: 'claimed' | 'fulfilled' }[]>(
      `SELECT status FROM claims WHERE campaign_id = $1 AND id = $2 FOR UPDATE`,
      [campaignId, claimId],
    );
    if (!before) return null;
    await m.query(
      `UPDATE claims SET status = 'fulfilled', fulfilled_at = COALESCE(fulfilled_at, now()),
              tracking_number = COALESCE($3, tracking_number)
       WHERE campaign_id = $1 AND id = $2`,
      [campaignId, claimId, trackingNumber],
    );
    return before.status;
  }

  /** The brand needs the address to ship, not to keep: 30 days after fulfilment it is gone. */
  async purgeShippedAddresses(days: number): Promise<number> {
    const [, n] = await this.dataSource.query<[unknown, number]>(
      `UPDATE claims SET shipping_address = NULL
       WHERE shipping_address IS NOT NULL AND status = 'fulfilled' AND fulfilled_at < now() - make_interval(days => $1)`,
      [days],
    );
    return n;
  }

  async eraseMember(m: EntityManager, influencerId: string): Promise<void> {
    await m.query(
      `UPDATE claims SET shipping_address = NULL, address_hash = NULL, claimant_hash = NULL WHERE influencer_id = $1`,
      [influencerId],
    );
  }
}
