import { Column, Entity, PrimaryColumn } from 'typeorm';

export const CLICK_KINDS = ['human', 'bot', 'preview', 'head'] as const;
export type ClickKind = (typeof CLICK_KINDS)[number];

/**
 * One request to a tracking link. Partitioned by month on `clicked_at` (hand-written migration, so
 * `synchronize: false`); the key holds the partition key, and because ids are UUIDv7 whose timestamp *is*
 * `clicked_at`, a lookup by id alone prunes to one partition. No raw IP or User-Agent is ever stored: only a
 * keyed hash whose key rotates every UTC day. Only `human` clicks count; the others are kept so the filtering
 * can be audited. No foreign keys: the hot path writes these in bulk from ids it already resolved.
 */
@Entity({ name: 'clicks', schema: 'tracking', synchronize: false })
export class ClickEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  clickedAt!: Date;

  @Column({ type: 'uuid' })
  claimId!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  /** HMAC-SHA256(HMAC(hashSecret, UTC day), ip ‖ user agent), first 16 bytes. */
  @Column({ type: 'bytea' })
  visitorHash!: Buffer;

  @Column({ type: 'text' })
  kind!: ClickKind;

  /** The ad click id parameter the link arrived with (`gclid`, `fbclid`, …): paid traffic. Never its value. */
  @Column({ type: 'text', nullable: true })
  adClick!: string | null;
}
