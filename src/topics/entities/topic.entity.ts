import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'topics', schema: 'topics' })
@Check('topics_source_check', `source IN ('klout', 'sway')`)
// Slugs are matched case-insensitively (the ontology has a few upper-case ones such as `UCLA`).
@Index('topics_slug_lower_uq', { synchronize: false })
export class TopicEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Klout's 64-bit id; numeric because the super-topics exceed 2^63. */
  @Column({ type: 'numeric', precision: 20, scale: 0, nullable: true })
  kloutId!: string | null;

  @Column({ type: 'text', nullable: true })
  wikidataId!: string | null;

  /** Child of the ontology root: one of the 16 `*-super` topics. */
  @Column({ type: 'boolean', default: false })
  isSuper!: boolean;

  @Column({ type: 'text', default: 'sway' })
  source!: 'klout' | 'sway';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
