import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Privacy-relevant actions. Rows carry the member id and non-personal details only, so the log survives
 * erasure without keeping what was erased. No FK: the log must outlive anything it mentions.
 */
@Entity({ name: 'audit_log', schema: 'influencers' })
@Check(
  'audit_log_action_check',
  `action IN ('signup', 'consent_changed', 'export', 'erasure_requested', 'erasure_completed', 'social_account_linked', 'social_account_unlinked')`,
)
@Index('audit_log_influencer_idx', ['influencerId', 'id'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  influencerId!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'jsonb' })
  details!: Record<string, string | number | boolean | null>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
