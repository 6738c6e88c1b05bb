import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TopicEntity } from './topic.entity';

/** parent → child; a topic may have several parents (a DAG, not a tree). */
@Entity({ name: 'topic_edges', schema: 'topics' })
@Index('topic_edges_child_idx', ['childId'])
export class TopicEdgeEntity {
  @PrimaryColumn({ type: 'int' })
  parentId!: number;

  @PrimaryColumn({ type: 'int' })
  childId!: number;

  @ManyToOne(() => TopicEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: TopicEntity;

  @ManyToOne(() => TopicEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: TopicEntity;
}
