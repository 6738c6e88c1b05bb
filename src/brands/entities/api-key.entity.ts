import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BrandEntity } from './brand.entity';

/** Only a SHA-256 of the key is stored: the key has 256 random bits, so a slow hash adds nothing. */
@Entity({ name: 'api_keys', schema: 'brands' })
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
