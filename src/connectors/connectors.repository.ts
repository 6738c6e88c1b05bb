import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectorNetwork, SyncStatus } from './entities/connector-account.entity';

export interface AccountRow {
  id: string;
  influencerId: string;
  network: ConnectorNetwork;
  handle: string;
  externalId: string;
  instanceUrl: string | null;
  status: 'unverified' | 'verified';
  verificationCode: string | null;
  accessTokenEnc: Buffer | null;
  cursor: Record<string, unknown>;
  lastSyncAt: Date | null;
  lastSyncStatus: SyncStatus | null;
  lastSyncError: string | null;
  postsRead: number;
  failures: number;
  createdAt: Date;
  verifiedAt: Date | null;
}

export interface LedgerPost {
  postId: string;
  url: string;
  postedAt: Date;
  topicIds: number[];
  likes: number;
  reposts: number;
  replies: number;
  claimId: string | null;
}

const COLS = `id, influencer_id AS "influencerId", network, handle, external_id AS "externalId",
  instance_url AS "instanceUrl", status, verification_code AS "verificationCode", access_token_enc AS "accessTokenEnc",
  cursor, last_sync_at AS "lastSyncAt", last_sync_status AS "lastSyncStatus", last_sync_error AS "lastSyncError",
  posts_read AS "postsRead", failures, created_at AS "createdAt", verified_at AS "verifiedAt"`;

/** Only this context's tables (schema `connectors`). */
@Injectable()
export class ConnectorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    m: EntityManager,
    v: {
      influencerId: string;
      network: ConnectorNetwork;
      handle: string;
      externalId: string;
      instanceUrl: string | null;
      verificationCode: string | null;
      verified: boolean;
      accessTokenEnc: Buffer | null;
    },
  ): Promise<AccountRow> {
    const [row] = await m.query(
      `INSERT INTO connectors.accounts (influencer_id, network, handle, external_id, instance_url, verification_code,
         status, verified_at, access_token_enc, next_sync_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN 'verified' ELSE 'unverified' END,
               CASE WHEN $7 THEN now() END, $8, CASE WHEN $7 THEN now() END)
       RETURNING ${COLS}`,
      [
        v.influencerId,
        v.network,
        v.handle,
        v.externalId,
        v.instanceUrl,
        v.verificationCode,
        v.verified,
        v.accessTokenEnc,
      ],
    );
    return row;
  }

  async memberAccount(
    influencerId: string,
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<AccountRow | null> {
    const rows = await m.query(`SELECT ${COLS} FROM connectors.accounts WHERE id = $1 AND influencer_id = $2`, [
      id,
      influencerId,
    ]);
    return rows[0] ?? null;
  }

  memberAccounts(influencerId: string, m: EntityManager = this.dataSource.manager): Promise<AccountRow[]> {
    return m.query(`SELECT ${COLS} FROM connectors.accounts WHERE influencer_id = $1 ORDER BY created_at, id`, [
      influencerId,
    ]);
  }

  /** One of this member's accounts, locked (verification, unlink). */
  async lockMemberAccount(m: EntityManager, influencerId: string, id: string): Promise<AccountRow | null> {
    const rows = await m.query(
      `SELECT ${COLS} FROM connectors.accounts WHERE id = $1 AND influencer_id = $2 FOR UPDATE`,
      [id, influencerId],
    );
    return rows[0] ?? null;
  }

  async markVerified(m: EntityManager, id: string, handle: string): Promise<void> {
    await m.query(
      `UPDATE connectors.accounts SET status = 'verified', verified_at = now(), verification_code = NULL, handle = $2,
         next_sync_at = now() WHERE id = $1`,
      [id, handle],
    );
  }

  /** The account a sync is about to write for, locked so an unlink or erasure waits for (or pre-empts) it. */
  async lockVerified(m: EntityManager, id: string): Promise<AccountRow | null> {
    const rows = await m.query(
      `SELECT ${COLS} FROM connectors.accounts WHERE id = $1 AND status = 'verified' FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async verifiedAccount(id: string): Promise<AccountRow | null> {
    const rows = await this.dataSource.query(
      `SELECT ${COLS} FROM connectors.accounts WHERE id = $1 AND status = 'verified'`,
      [id],
    );
    return rows[0] ?? null;
  }

  async recordSync(
    m: EntityManager,
    id: string,
    v: {
      status: SyncStatus;
      error: string | null;
      cursor?: Record<string, unknown>;
      handle?: string;
      failures: 'reset' | 'increment' | 'keep';
      nextSyncAt: Date | null;
    },
  ): Promise<void> {
    await m.query(
      `UPDATE connectors.accounts SET last_sync_at = now(), last_sync_status = $2, last_sync_error = $3,
         cursor = coalesce($4::jsonb, cursor), handle = coalesce($5, handle),
         failures = CASE $6 WHEN 'reset' THEN 0 WHEN 'increment' THEN failures + 1 ELSE failures END,
         next_sync_at = $7,
         posts_read = (SELECT count(*) FROM connectors.posts p WHERE p.account_id = $1)
       WHERE id = $1`,
      [id, v.status, v.error, v.cursor ? JSON.stringify(v.cursor) : null, v.handle ?? null, v.failures, v.nextSyncAt],
    );
  }

  async upsertPosts(m: EntityManager, accountId: string, posts: LedgerPost[]): Promise<void> {
    if (!posts.length) return;
    await m.query(
      `INSERT INTO connectors.posts (account_id, post_id, url, posted_at, topic_ids, likes, reposts, replies, claim_id)
       SELECT $1, p.post_id, p.url, p.posted_at, coalesce(string_to_array(nullif(p.topic_ids, ''), ',')::int[], '{}'), p.likes,
              p.reposts, p.replies, p.claim_id
       FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::int[], $7::int[], $8::int[], $9::uuid[])
         AS p(post_id, url, posted_at, topic_ids, likes, reposts, replies, claim_id)
       ON CONFLICT (account_id, post_id) DO UPDATE SET url = EXCLUDED.url, topic_ids = EXCLUDED.topic_ids,
         likes = EXCLUDED.likes, reposts = EXCLUDED.reposts, replies = EXCLUDED.replies,
         claim_id = coalesce(connectors.posts.claim_id, EXCLUDED.claim_id), fetched_at = now()`,
      [
        accountId,
        posts.map((p) => p.postId),
        posts.map((p) => p.url),
        posts.map((p) => p.postedAt),
        posts.map((p) => p.topicIds.join(',')),
        posts.map((p) => p.likes),
        posts.map((p) => p.reposts),
        posts.map((p) => p.replies),
        posts.map((p) => p.claimId),
      ],
    );
  }

  ledger(accountId: string, m: EntityManager = this.dataSource.manager): Promise<LedgerPost[]> {
    return m.query(
      `SELECT post_id AS "postId", url, posted_at AS "postedAt", topic_ids AS "topicIds", likes, reposts, replies,
              claim_id AS "claimId"
       FROM connectors.posts WHERE account_id = $1 ORDER BY posted_at DESC, post_id`,
      [accountId],
    );
  }

  async delete(m: EntityManager, influencerId: string, id: string): Promise<AccountRow | null> {
    const [rows] = await m.query<[AccountRow[], number]>(
      `DELETE FROM connectors.accounts WHERE id = $1 AND influencer_id = $2 RETURNING ${COLS}`,
      [id, influencerId],
    );
    return rows[0] ?? null;
  }

  /** Verified accounts in id order, a page at a time (the daily fan-out). */
  verifiedIds(afterId: string | null, limit: number): Promise<{ id: string }[]> {
    return this.dataSource.query(
      `SELECT id FROM connectors.accounts WHERE status = 'verified' AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
  }

  async eraseMember(m: EntityManager, influencerId: string): Promise<AccountRow[]> {
    await m.query(`DELETE FROM connectors.oauth_states WHERE influencer_id = $1`, [influencerId]);
    return m.query(`DELETE FROM connectors.accounts WHERE influencer_id = $1 RETURNING ${COLS}`, [influencerId]);
  }

  // ---- Mastodon apps and pending authorisations ----

  async mastodonApp(
    instanceUrl: string,
  ): Promise<{ clientId: string; clientSecretEnc: Buffer; redirectUri: string } | null> {
    const rows = await this.dataSource.query(
      `SELECT client_id AS "clientId", client_secret_enc AS "clientSecretEnc", redirect_uri AS "redirectUri"
       FROM connectors.mastodon_apps WHERE instance_url = $1`,
      [instanceUrl],
    );
    return rows[0] ?? null;
  }

  /** First registration wins when two members start on a new instance at once. */
  async saveMastodonApp(instanceUrl: string, clientId: string, secretEnc: Buffer, redirectUri: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO connectors.mastodon_apps (instance_url, client_id, client_secret_enc, redirect_uri)
       VALUES ($1, $2, $3, $4) ON CONFLICT (instance_url) DO NOTHING`,
      [instanceUrl, clientId, secretEnc, redirectUri],
    );
  }

  async saveOAuthState(v: {
    state: string;
    influencerId: string;
    instanceUrl: string;
    username: string;
    codeVerifier: string;
    ttlMs: number;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO connectors.oauth_states (state, influencer_id, instance_url, username, code_verifier, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond')`,
      [v.state, v.influencerId, v.instanceUrl, v.username, v.codeVerifier, v.ttlMs],
    );
  }

  /** One use only: the row is deleted as it is read. */
  async takeOAuthState(
    state: string,
  ): Promise<{ influencerId: string; instanceUrl: string; username: string; codeVerifier: string } | null> {
    const [rows] = await this.dataSource.query<
      [{ influencerId: string; instanceUrl: string; username: string; codeVerifier: string }[], number]
    >(
      `DELETE FROM connectors.oauth_states WHERE state = $1 AND expires_at > now()
       RETURNING influencer_id AS "influencerId", instance_url AS "instanceUrl", username, code_verifier AS "codeVerifier"`,
      [state],
    );
    return rows[0] ?? null;
  }

  async purgeOAuthStates(): Promise<number> {
    const [, n] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM connectors.oauth_states WHERE expires_at <= now()`,
    );
    return n;
  }
}
