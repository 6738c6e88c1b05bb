import { Column, Entity, PrimaryColumn } from 'typeorm';

export const REACTION_KINDS = ['like', 'reply', 'reshare', 'click'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

/**
 * A reaction to a member's post. Partitioned by month on `occurred_at` (hand-written migration). The dedup key
 * is (event_key, occurred_at): `event_key` is 16 bytes of SHA-256 over (network, postId, type, actor hash), so
 * the unique index stays narrow (24 bytes a row instead of ~80 for the natural columns) while the key still
 * contains the partition key, as PostgreSQL requires. The actor is only ever stored as a keyed hash.
 */
@Entity({ name: 'signal_reactions', schema: 'scoring', synchronize: false })
export class SignalReactionEntity {
  @PrimaryColumn({ type: 'bytea' })
  eventKey!: Buffer;

  @PrimaryColumn({ type: 'timestamptz' })
  occurredAt!: Date;

  /** The author: the member whose linked account was reacted to. */
  @Column({ type: 'uuid' })
  influencerId!: string;

  @Column({ type: 'text' })
  network!: string;

  @Column({ type: 'text' })
  postId!: string;

  @Column({ type: 'text' })
  kind!: ReactionKind;

  /** HMAC-SHA256(hashSecret, `network:actorExternalId`). */
  @Column({ type: 'bytea' })
  actorHash!: Buffer;
}
