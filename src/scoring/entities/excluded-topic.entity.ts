import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A topic an upheld contest removed from one member's scores (wrongly attributed): never scored for them again. */
@Entity({ name: 'excluded_topics', schema: 'scoring' })
export class ExcludedTopicEntity {
  @PrimaryColumn({ type: 'uuid' })
  influencerId!: string;

  @PrimaryColumn({ type: 'int' })
  topicId!: number;

  @Column({ type: 'uuid' })
  contestId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
