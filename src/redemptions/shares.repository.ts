import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ShareRow {
  id: string;
  claimId: string;
  campaignId: string;
  influencerId: string;
  network: string;
  url: string;
  text: string | null;
  disclosed: boolean;
  reach: number;
  engagements: number;
  postedAt: Date | null;
  createdAt: Date;
  day: string;
}

const COLS = `id, claim_id AS "claimId", campaign_id AS "campaignId", influencer_id AS "influencerId", network, url,
  text, disclosed, reach, engagements, posted_at AS "postedAt", created_at AS "createdAt",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`;

@Injectable()
export class SharesRepository {
  /** The member's own claim, locked against a concurrent share of the same URL racing on the unique key. */
  async memberClaim(m: EntityManager, influencerId: string, claimId: string): Promise<{ campaignId: string } | null> {
    const rows = await m.query(
      `SELECT campaign_id AS "campaignId" FROM claims WHERE id = $1 AND influencer_id = $2 FOR SHARE`,
      [claimId, influencerId],
    );
    return rows[0] ?? null;
  }

  /** The member's claim whose redemption code (or tracking link code) this is, locked like memberClaim. */
  async memberClaimByCode(
    m: EntityManager,
    influencerId: string,
    code: string,
  ): Promise<{ id: string; campaignId: string } | null> {
    const rows = await m.query(
      `SELECT id, campaign_id AS "campaignId" FROM claims WHERE code = $1 AND influencer_id = $2 FOR SHARE`,
      [code, influencerId],
    );
    return rows[0] ?? null;
  }

  async insert(m: EntityManager, v: Omit<ShareRow, 'id' | 'day'>): Promise<ShareRow | null> {
    const rows: ShareRow[] = await m.query(
      `INSERT INTO shares (claim_id, campaign_id, influencer_id, network, url, text, disclosed, reach, engagements,
                           posted_at, metrics_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11)
       ON CONFLICT (claim_id, url) DO NOTHING RETURNING ${COLS}`,
      [
        v.claimId,
        v.campaignId,
        v.influencerId,
        v.network,
        v.url,
        v.text,
        v.disclosed,
        v.reach,
        v.engagements,
        v.postedAt,
        v.createdAt,
      ],
    );
    return rows[0] ?? null;
  }

  async byClaimUrl(m: EntityManager, claimId: string, url: string): Promise<ShareRow | null> {
    const rows = await m.query(`SELECT ${COLS} FROM shares WHERE claim_id = $1 AND url = $2`, [claimId, url]);
    return rows[0] ?? null;
  }

  /** A batch of recent, not erased shares, locked for a metrics refresh (skipping ones another worker holds). */
  lockRecent(m: EntityManager, days: number, afterId: string | null, limit: number): Promise<ShareRow[]> {
    return m.query(
      `SELECT ${COLS} FROM shares
       WHERE url IS NOT NULL AND created_at > now() - make_interval(days => $1)
         AND ($2::uuid IS NULL OR id > $2::uuid)
       ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [days, afterId, limit],
    );
  }

  async setMetrics(m: EntityManager, rows: { id: string; reach: number; engagements: number }[]): Promise<void> {
    if (!rows.length) return;
    await m.query(
      `UPDATE shares s SET reach = x.reach, engagements = x.engagements, metrics_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::int[]) AS x(id, reach, engagements) WHERE s.id = x.id`,
      [rows.map((r) => r.id), rows.map((r) => r.reach), rows.map((r) => r.engagements)],
    );
  }

  memberShares(m: EntityManager, influencerId: string): Promise<ShareRow[]> {
    return m.query(`SELECT ${COLS} FROM shares WHERE influencer_id = $1 ORDER BY created_at, id`, [influencerId]);
  }

  /** The URL and caption lead to the person; the counters stay for the brand's totals. */
  async eraseMember(m: EntityManager, influencerId: string): Promise<void> {
    await m.query(`UPDATE shares SET url = NULL, text = NULL WHERE influencer_id = $1`, [influencerId]);
  }
}
