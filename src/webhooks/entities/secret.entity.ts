import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEndpointEntity } from './endpoint.entity';

/**
 * Signing secrets of an endpoint. Rotation gives the old ones an `expiresAt`; until then every live secret signs
 * (Standard Webhooks lets `webhook-signature` carry several), so receivers can switch without losing a delivery.
 */
@Entity({ name: 'secrets', schema: 'webhooks' })
@Index('secrets_endpoint_idx', ['endpointId', 'createdAt'])
export class WebhookSecretEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpointEntity;

  /** `whsec_…`; signing needs the key itself, so it cannot be stored as a hash. */
  @Column({ type: 'text' })
  secret!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
