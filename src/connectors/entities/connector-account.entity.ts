import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const CONNECTOR_NETWORKS = ['bluesky', 'mastodon'] as const;
export type ConnectorNetwork = (typeof CONNECTOR_NETWORKS)[number];
export const SYNC_STATUSES = ['ok', 'partial', 'rate_limited', 'failed', 'skipped_no_consent'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/**
 * An account on an open network that a member linked through a connector. The connectors context owns it (not
 * `influencers.social_accounts`): the proof of control, the OAuth grant and the sync cursor live with it, and
 * unlinking it must also delete what was fetched through it.
 */
@Entity({ name: 'accounts', schema: 'connectors' })
@Check('accounts_network_check', `network IN ('bluesky', 'mastodon')`)
@Check('accounts_status_check', `status IN ('unverified', 'verified')`)
@Check(
  'accounts_sync_status_check',
  `last_sync_status IN ('ok', 'partial', 'rate_limited', 'failed', 'skipped_no_consent')`,
)
@Index('accounts_verified_uq', ['network', 'externalId'], { unique: true, where: `status = 'verified'` })
@Index('accounts_influencer_idx', ['influencerId'])
@Index('accounts_due_idx', ['nextSyncAt'], { where: `status = 'verified'` })
export class ConnectorAccountEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'accounts_pk' })
  id!: string;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @Column({ type: 'text' })
  network!: ConnectorNetwork;

  @Column({ type: 'text' })
  handle!: string;

  /** Bluesky: the DID. Mastodon: the account's id on its instance. */
  @Column({ type: 'text' })
  externalId!: string;

  /** Mastodon: the instance's base URL (`https://mastodon.social`). */
  @Column({ type: 'text', nullable: true })
  instanceUrl!: string | null;

  @Column({ type: 'text', default: 'unverified' })
  status!: 'unverified' | 'verified';

  /** Bluesky: the one-time code the member puts in their profile description; cleared once verified. */
  @Column({ type: 'text', nullable: true })
  verificationCode!: string | null;

  /** Mastodon: the member's read-only access token, AES-256-GCM encrypted (key derived from HASH_SECRET). */
  @Column({ type: 'bytea', nullable: true })
  accessTokenEnc!: Buffer | null;

  /** Where the next incremental sync starts (per network: newest post seen, pages, ...). */
  @Column({ type: 'jsonb', default: {} })
  cursor!: Record<string, unknown>;

  @Column({ type: 'timestamptz', nullable: true })
  lastSyncAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastSyncStatus!: SyncStatus | null;

  /** A short, non-personal reason (HTTP status, "rate limited until ..."). */
  @Column({ type: 'text', nullable: true })
  lastSyncError!: string | null;

  @Column({ type: 'integer', default: 0 })
  postsRead!: number;

  /** Consecutive failed syncs: the next one is postponed exponentially. */
  @Column({ type: 'integer', default: 0 })
  failures!: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextSyncAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;
}
