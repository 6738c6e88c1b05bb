import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TopicEntity } from '../../topics/entities/topic.entity';
import { CampaignEntity } from './campaign.entity';

/** Targeting by topic id, so the matcher joins scores on integers rather than on slugs. */
@Entity({ name: 'campaign_topics', schema: 'campaigns' })
@Check('campaign_topics_min_score_check', `min_score BETWEEN 1 AND 100`)
@Index('campaign_topics_topic_idx', ['topicId'])
export class CampaignTopicEntity {
  @PrimaryColumn({ type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'int' })
  topicId!: number;

  @ManyToOne(() => CampaignEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: CampaignEntity;

  @ManyToOne(() => TopicEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'topic_id' })
  topic?: TopicEntity;

  @Column({ type: 'smallint' })
  minScore!: number;
}
