import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TopicEntity } from '../../topics/entities/topic.entity';
import { InfluencerEntity } from './influencer.entity';

/** A member's choice to hide a topic: never used for targeting, never shown to brands. */
@Entity({ name: 'influencer_topic_prefs', schema: 'influencers' })
export class TopicPreferenceEntity {
  @PrimaryColumn({ type: 'uuid' })
  influencerId!: string;

  @PrimaryColumn({ type: 'int' })
  topicId!: number;

  @ManyToOne(() => InfluencerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'influencer_id' })
  influencer?: InfluencerEntity;

  @ManyToOne(() => TopicEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id' })
  topic?: TopicEntity;

  @Column({ type: 'boolean' })
  hidden!: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
