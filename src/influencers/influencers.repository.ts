import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ShippingAddress } from './entities/influencer.entity';
import { Network } from './entities/social-account.entity';

export interface InfluencerRow {
  id: string;
  status: 'active' | 'erased';
  email: string;
  displayName: string;
  country: string;
  shippingAddress: ShippingAddress | null;
  adultVerifiedAt: Date;
  consentMatching: boolean;
  consentShareStats: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConsentRow {
  purpose: 'matching' | 'shareStatsWithBrands';
  granted: boolean;
  at: Date;
  noticeVersion: string;
}

export interface SocialAccountRow {
  id: string;
  network: Network;
  handle: string;
  externalId: string;
  createdAt: Date;
}

const COLS = `id, status, email, display_name AS "displayName", country, shipping_address AS "shippingAddress",
  adult_verified_at AS "adultVerifiedAt", consent_matching AS "consentMatching",
  consent_share_stats AS "consentShareStats", created_at AS "createdAt", updated_at AS "updatedAt"`;
const SOCIAL_COLS = `id, network, handle, external_id AS "externalId", created_at AS "createdAt"`;

/** Every member-owned read takes the member id from the token: there is no lookup of someone else's rows. */
@Injectable()
export class InfluencersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    m: EntityManager,
    v: {
      email: string;
      displayName: string;
      passwordHash: string;
      country: string;
      matching: boolean;
      shareStats: boolean;
    },
  ): Promise<InfluencerRow> {
    const [row] = await m.query(
      `INSERT INTO influencers (email, display_name, password_hash, country, adult_verified_at, consent_matching, consent_share_stats)
       VALUES ($1, $2, $3, $4, now(), $5, $6) RETURNING ${COLS}`,
      [v.email, v.displayName, v.passwordHash, v.country, v.matching, v.shareStats],
    );
    return row;
  }

  async findActive(id: string, m: EntityManager = this.dataSource.manager): Promise<InfluencerRow | null> {
    const rows = await m.query(`SELECT ${COLS} FROM influencers WHERE id = $1 AND status = 'active'`, [id]);
    return rows[0] ?? null;
  }

  async isActive(id: string): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM influencers WHERE id = $1 AND status = 'active'`, [id]);
    return rows.length > 0;
  }

  async credentialsByEmail(email: string): Promise<{ id: string; passwordHash: string } | null> {
    const rows = await this.dataSource.query(
      `SELECT id, password_hash AS "passwordHash" FROM influencers WHERE lower(email) = lower($1) AND status = 'active'`,
      [email],
    );
    return rows[0] ?? null;
  }

  async lockActive(m: EntityManager, id: string): Promise<InfluencerRow | null> {
    const rows = await m.query(`SELECT ${COLS} FROM influencers WHERE id = $1 AND status = 'active' FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async updateProfile(
    m: EntityManager,
    id: string,
    patch: { displayName?: string; country?: string; shippingAddress?: ShippingAddress | null },
  ): Promise<void> {
    await m.query(
      `UPDATE influencers SET
         display_name = COALESCE($2, display_name),
         country = COALESCE($3, country),
         shipping_address = CASE WHEN $4::boolean THEN $5::jsonb ELSE shipping_address END,
         updated_at = now()
       WHERE id = $1 AND status = 'active'`,
      [
        id,
        patch.displayName ?? null,
        patch.country ?? null,
        patch.shippingAddress !== undefined,
        patch.shippingAddress === undefined || patch.shippingAddress === null
          ? null
          : JSON.stringify(patch.shippingAddress),
      ],
    );
  }

  async setConsentState(m: EntityManager, id: string, matching: boolean, shareStats: boolean): Promise<void> {
    await m.query(
      `UPDATE influencers SET consent_matching = $2, consent_share_stats = $3, updated_at = now() WHERE id = $1`,
      [id, matching, shareStats],
    );
  }

  async appendConsents(
    m: EntityManager,
    id: string,
    entries: { purpose: ConsentRow['purpose']; granted: boolean }[],
    noticeVersion: string,
  ): Promise<void> {
    if (!entries.length) return;
    await m.query(
      `INSERT INTO consents (influencer_id, purpose, granted, notice_version)
       SELECT $1, p, g, $4 FROM unnest($2::text[], $3::boolean[]) AS t(p, g)`,
      [id, entries.map((e) => e.purpose), entries.map((e) => e.granted), noticeVersion],
    );
  }

  consentHistory(id: string, m: EntityManager = this.dataSource.manager): Promise<ConsentRow[]> {
    return m.query(
      `SELECT purpose, granted, at, notice_version AS "noticeVersion" FROM consents WHERE influencer_id = $1 ORDER BY id`,
      [id],
    );
  }

  async audit(
    m: EntityManager,
    id: string,
    action: string,
    details: Record<string, string | number | boolean | null> = {},
  ): Promise<void> {
    await m.query(`INSERT INTO audit_log (influencer_id, action, details) VALUES ($1, $2, $3::jsonb)`, [
      id,
      action,
      JSON.stringify(details),
    ]);
  }

  auditLog(
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ action: string; details: object; at: Date }[]> {
    return m.query(`SELECT action, details, at FROM audit_log WHERE influencer_id = $1 ORDER BY id`, [id]);
  }

  async insertSocialAccount(
    m: EntityManager,
    id: string,
    v: { network: Network; handle: string; externalId: string },
  ): Promise<SocialAccountRow> {
    const [row] = await m.query(
      `INSERT INTO social_accounts (influencer_id, network, handle, external_id) VALUES ($1, $2, $3, $4) RETURNING ${SOCIAL_COLS}`,
      [id, v.network, v.handle, v.externalId],
    );
    return row;
  }

  socialAccounts(id: string, m: EntityManager = this.dataSource.manager): Promise<SocialAccountRow[]> {
    return m.query(`SELECT ${SOCIAL_COLS} FROM social_accounts WHERE influencer_id = $1 ORDER BY created_at, id`, [id]);
  }

  async deleteSocialAccount(m: EntityManager, id: string, accountId: string): Promise<SocialAccountRow | null> {
    const [rows] = await m.query<[SocialAccountRow[], number]>(
      `DELETE FROM social_accounts WHERE influencer_id = $1 AND id = $2 RETURNING ${SOCIAL_COLS}`,
      [id, accountId],
    );
    return rows[0] ?? null;
  }

  async setTopicHidden(m: EntityManager, id: string, topicId: number, hidden: boolean): Promise<void> {
    await m.query(
      `INSERT INTO influencer_topic_prefs (influencer_id, topic_id, hidden) VALUES ($1, $2, $3)
       ON CONFLICT (influencer_id, topic_id) DO UPDATE SET hidden = EXCLUDED.hidden, updated_at = now()`,
      [id, topicId, hidden],
    );
  }

  topicPreferences(
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ slug: string; hidden: boolean; updatedAt: Date }[]> {
    return m.query(
      `SELECT t.slug, p.hidden, p.updated_at AS "updatedAt" FROM influencers.influencer_topic_prefs p JOIN topics.topic_catalogue t ON t.id = p.topic_id
       WHERE p.influencer_id = $1 ORDER BY t.slug`,
      [id],
    );
  }

  /**
   * Tombstones the member: every personal column nulled in the same statement that flips the status, so no
   * reader ever sees an erased member with personal data, and tokens stop verifying at once.
   */
  async tombstone(m: EntityManager, id: string): Promise<boolean> {
    const [, n] = await m.query<[unknown, number]>(
      `UPDATE influencers SET status = 'erased', erased_at = now(), updated_at = now(), email = NULL, display_name = NULL,
         password_hash = NULL, shipping_address = NULL, consent_matching = false, consent_share_stats = false
       WHERE id = $1 AND status = 'active'`,
      [id],
    );
    return n === 1;
  }

  async shippingAddressOf(m: EntityManager, id: string): Promise<ShippingAddress | null> {
    const rows = await m.query(`SELECT shipping_address AS a FROM influencers.influencers WHERE id = $1`, [id]);
    return rows[0]?.a ?? null;
  }

  async emailOf(m: EntityManager, id: string): Promise<string | null> {
    const rows = await m.query(`SELECT email FROM influencers.influencers WHERE id = $1`, [id]);
    return rows[0]?.email ?? null;
  }

  async erasePersonalRows(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM social_accounts WHERE influencer_id = $1`, [id]);
    await m.query(`DELETE FROM influencer_topic_prefs WHERE influencer_id = $1`, [id]);
  }

  /** What brands may see of members: sharing consent, display name and handles, for a set of ids. */
  sharingProfiles(
    ids: string[],
  ): Promise<
    { id: string; shares: boolean; displayName: string | null; handles: { network: string; handle: string }[] }[]
  > {
    return this.dataSource.query(
      `SELECT i.id, (i.status = 'active' AND i.consent_share_stats) AS shares, i.display_name AS "displayName",
              COALESCE((SELECT json_agg(json_build_object('network', a.network, 'handle', a.handle) ORDER BY a.network, a.handle)
                        FROM social_accounts a WHERE a.influencer_id = i.id), '[]'::json) AS handles
       FROM influencers i WHERE i.id = ANY($1::uuid[])`,
      [ids],
    );
  }
}
