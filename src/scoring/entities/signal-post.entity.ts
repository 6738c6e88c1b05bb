import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A member's post, as a connector reported it. Partitioned by month on `occurred_at` (hand-written migration,
 * so `synchronize: false`): a unique key on a partitioned table must contain the partition key, and a post's
 * timestamp never changes, so (network, post_id, occurred_at) still dedupes a re-sent event.
 */
@Entity({ name: 'signal_posts', schema: 'scoring', synchronize: false })
export class SignalPostEntity {
  @PrimaryColumn({ type: 'text' })
  network!: string;

  @PrimaryColumn({ type: 'text' })
  postId!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'uuid' })
  influencerId!: string;

  /** HMAC of the author's account (`network:externalId`): links the post to the account without the raw id. */
  @Column({ type: 'bytea' })
  accountHash!: Buffer;

  @Column({ type: 'int', array: true, default: () => "'{}'" })
  topicIds!: number[];

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}
