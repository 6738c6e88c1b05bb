import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The connectors context (Bluesky, Mastodon): accounts it verified, with their sync state; the ledger of posts
 * fetched through each account (ids, URLs, topic ids and counts, never text); Mastodon apps per instance; pending
 * OAuth authorisations. Shares found in synced posts carry the connector's network, so `shares` (redemptions)
 * accepts the two networks.
 */
export class AddConnectors1796500000000 implements MigrationInterface {
  name = 'AddConnectors1796500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS connectors`);
    await q.query(`
      CREATE TABLE connectors.accounts (
        id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT accounts_pk PRIMARY KEY,
        influencer_id uuid NOT NULL,
        network text NOT NULL CONSTRAINT accounts_network_check CHECK (network IN ('bluesky', 'mastodon')),
        handle text NOT NULL,
        external_id text NOT NULL,
        instance_url text,
        status text NOT NULL DEFAULT 'unverified' CONSTRAINT accounts_status_check CHECK (status IN ('unverified', 'verified')),
        verification_code text,
        access_token_enc bytea,
        cursor jsonb NOT NULL DEFAULT '{}',
        last_sync_at timestamptz,
        last_sync_status text CONSTRAINT accounts_sync_status_check
          CHECK (last_sync_status IN ('ok', 'partial', 'rate_limited', 'failed', 'skipped_no_consent')),
        last_sync_error text,
        posts_read integer NOT NULL DEFAULT 0,
        failures integer NOT NULL DEFAULT 0,
        next_sync_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        verified_at timestamptz
      )`);
    // One member per verified account; several members may have an unverified claim on it (only one can prove it).
    await q.query(
      `CREATE UNIQUE INDEX accounts_verified_uq ON connectors.accounts (network, external_id) WHERE status = 'verified'`,
    );
    await q.query(`CREATE INDEX accounts_influencer_idx ON connectors.accounts (influencer_id)`);
    await q.query(`CREATE INDEX accounts_due_idx ON connectors.accounts (next_sync_at) WHERE status = 'verified'`);
    await q.query(`
      CREATE TABLE connectors.posts (
        account_id uuid NOT NULL CONSTRAINT posts_account_fk REFERENCES connectors.accounts (id) ON DELETE CASCADE,
        post_id text NOT NULL,
        url text NOT NULL,
        posted_at timestamptz NOT NULL,
        topic_ids integer[] NOT NULL DEFAULT '{}',
        likes integer NOT NULL DEFAULT 0,
        reposts integer NOT NULL DEFAULT 0,
        replies integer NOT NULL DEFAULT 0,
        claim_id uuid,
        fetched_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT posts_pk PRIMARY KEY (account_id, post_id)
      )`);
    await q.query(`
      CREATE TABLE connectors.mastodon_apps (
        instance_url text CONSTRAINT mastodon_apps_pk PRIMARY KEY,
        client_id text NOT NULL,
        client_secret_enc bytea NOT NULL,
        redirect_uri text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE connectors.oauth_states (
        state text CONSTRAINT oauth_states_pk PRIMARY KEY,
        influencer_id uuid NOT NULL,
        instance_url text NOT NULL,
        username text NOT NULL,
        code_verifier text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX oauth_states_influencer_idx ON connectors.oauth_states (influencer_id)`);
    await q.query(`ALTER TABLE shares DROP CONSTRAINT shares_network_check`);
    await q.query(`ALTER TABLE shares ADD CONSTRAINT shares_network_check
      CHECK (network IN ('twitter', 'instagram', 'tiktok', 'youtube', 'facebook', 'linkedin', 'bluesky', 'mastodon'))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM shares WHERE network IN ('bluesky', 'mastodon')`);
    await q.query(`ALTER TABLE shares DROP CONSTRAINT shares_network_check`);
    await q.query(`ALTER TABLE shares ADD CONSTRAINT shares_network_check
      CHECK (network IN ('twitter', 'instagram', 'tiktok', 'youtube', 'facebook', 'linkedin'))`);
    await q.query(`DROP SCHEMA connectors CASCADE`);
  }
}
