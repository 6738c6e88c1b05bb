import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Keyed hashes of every account a member has linked (kept after an unlink). Scoring uses it to exclude
 * self-reactions and to find reactors who are members; erasure uses it to delete the reactions a member gave,
 * after `social_accounts` (and so the raw ids) are already gone. No FK: it must outlive the social account.
 */
@Entity({ name: 'scoring_accounts', schema: 'scoring' })
@Index('scoring_accounts_influencer_idx', ['influencerId'])
export class ScoringAccountEntity {
  @PrimaryColumn({ type: 'bytea' })
  accountHash!: Buffer;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @Column({ type: 'text' })
  network!: string;
}
