import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BrandRole } from '../../common/auth/permissions';
import { BrandEntity } from './brand.entity';

/** Only a SHA-256 of the key is stored: the key has 256 random bits, so a slow hash adds nothing. */
@Entity({ name: 'api_keys', schema: 'brands' })
@Check('api_keys_role_check', `role IN ('owner', 'admin', 'analyst', 'billing')`)
@Index('api_keys_brand_idx', ['brandId', 'createdAt'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  @ManyToOne(() => BrandEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'brand_id' })
  brand?: BrandEntity;

  @Column({ type: 'bytea', unique: true })
  keyHash!: Buffer;

  /** The first characters (`sk_AbCd…`), so a person can tell keys apart without the secret. */
  @Column({ type: 'text' })
  prefix!: string;

  /** What the key may do (src/common/auth/permissions.ts); keys made before roles existed are `admin`. */
  @Column({ type: 'text', default: 'admin' })
  role!: BrandRole;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
