import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ConnectorAccountEntity } from './connector-account.entity';

/**
 * A post read through an account: ids, URL, inferred topic ids and the counts the network reported. Never the
 * text. Deleted with the account (unlink, erasure).
 */
@Entity({ name: 'posts', schema: 'connectors' })
export class ConnectorPostEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'posts_pk' })
  accountId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'posts_pk' })
  postId!: string;

  @ManyToOne(() => ConnectorAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'posts_account_fk' })
  account?: ConnectorAccountEntity;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'timestamptz' })
  postedAt!: Date;

  @Column({ type: 'integer', array: true, default: '{}' })
  topicIds!: number[];

  @Column({ type: 'integer', default: 0 })
  likes!: number;

  @Column({ type: 'integer', default: 0 })
  reposts!: number;

  @Column({ type: 'integer', default: 0 })
  replies!: number;

  /** The claim this post was recorded as a share of, if it carried a claim's link or code. */
  @Column({ type: 'uuid', nullable: true })
  claimId!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  fetchedAt!: Date;
}
