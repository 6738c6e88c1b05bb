import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Which brand a brand user's browser session acts for (agencies switch), and whether it still owes the second
 * factor. Keyed by the sessions context's session id; no FK across contexts (a row outliving its session is
 * harmless: the session no longer resolves).
 */
@Entity({ name: 'session_brands', schema: 'teams' })
export class SessionBrandEntity {
  @PrimaryColumn({ type: 'uuid' })
  sessionId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  /** When this session proved a passkey; a brand that requires a second factor authorizes only after it. */
  @Column({ type: 'timestamptz', nullable: true })
  secondFactorAt!: Date | null;
}
