import { Entity, PrimaryColumn } from 'typeorm';

/**
 * The exact set of distinct human visitors per campaign and UTC day: the click flush inserts into it with
 * ON CONFLICT DO NOTHING and counts what was new, so `unique_clicks` stays exact without rescanning clicks.
 * Days older than two are pruned (clicks are stamped with the time they happen, so no later click can need them).
 */
@Entity({ name: 'click_visitors', schema: 'tracking' })
export class ClickVisitorEntity {
  @PrimaryColumn({ type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'bytea' })
  visitorHash!: Buffer;
}
