import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A linked account whose signals an upheld contest took out of scoring (its posts, their reactions, followers). */
@Entity({ name: 'excluded_accounts', schema: 'scoring' })
@Index('excluded_accounts_influencer_idx', ['influencerId'])
export class ExcludedAccountEntity {
  @PrimaryColumn({ type: 'bytea' })
  accountHash!: Buffer;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @Column({ type: 'uuid' })
  contestId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
