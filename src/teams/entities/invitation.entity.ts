import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { BrandRole } from '../../common/auth/permissions';

/** An emailed invitation to a brand's team; the link's token is stored only as SHA-256. */
@Entity({ name: 'invitations', schema: 'teams' })
@Check('invitations_role_check', `role IN ('owner', 'admin', 'analyst', 'billing')`)
@Index('invitations_brand_idx', ['brandId', 'createdAt'])
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  role!: BrandRole;

  @Index('invitations_token_hash_uq', { unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'uuid', nullable: true })
  invitedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;
}
