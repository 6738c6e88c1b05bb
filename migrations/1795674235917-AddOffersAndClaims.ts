import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOffersAndClaims1795674235917 implements MigrationInterface {
  name = 'AddOffersAndClaims1795674235917';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "offers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "campaign_id" uuid NOT NULL,
                "influencer_id" uuid NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "match_score" smallint NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "withdrawn_reason" text,
                CONSTRAINT "offers_campaign_member_uq" UNIQUE ("campaign_id", "influencer_id"),
                CONSTRAINT "offers_match_score_check" CHECK (
                    match_score BETWEEN 0 AND 100
                ),
                CONSTRAINT "offers_status_check" CHECK (
                    status IN (
                        'pending',
                        'claimed',
                        'declined',
                        'expired',
                        'withdrawn'
                    )
                ),
                CONSTRAINT "PK_4c88e956195bba85977da21b8f4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "offers_campaign_status_idx" ON "offers" ("campaign_id", "status")
        `);
    await queryRunner.query(`
            CREATE INDEX "offers_member_created_idx" ON "offers" ("influencer_id", "created_at")
        `);
    // Expiry sweep and claim checks look only at pending offers.
    await queryRunner.query(`
            CREATE INDEX "offers_pending_expiry_idx" ON "offers" ("expires_at") WHERE status = 'pending'
        `);
    await queryRunner.query(`
            CREATE TABLE "claims" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "offer_id" uuid NOT NULL,
                "campaign_id" uuid NOT NULL,
                "influencer_id" uuid NOT NULL,
                "code" text NOT NULL,
                "status" text NOT NULL DEFAULT 'claimed',
                "shipping_address" jsonb,
                "tracking_number" text,
                "score_at_claim" smallint,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "fulfilled_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "claims_code_uq" UNIQUE ("code"),
                CONSTRAINT "claims_offer_uq" UNIQUE ("offer_id"),
                CONSTRAINT "claims_campaign_member_uq" UNIQUE ("campaign_id", "influencer_id"),
                CONSTRAINT "REL_d18045a3b0eae87eb68b2e1eae" UNIQUE ("offer_id"),
                CONSTRAINT "claims_status_check" CHECK (status IN ('claimed', 'fulfilled')),
                CONSTRAINT "PK_96c91970c0dcb2f69fdccd0a698" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "claims_member_idx" ON "claims" ("influencer_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "claims_campaign_created_idx" ON "claims" ("campaign_id", "created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD CONSTRAINT "FK_b579987579826077814e3ce64c6" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD CONSTRAINT "FK_e287c97614a411e2db92793caf7" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "claims"
            ADD CONSTRAINT "FK_d18045a3b0eae87eb68b2e1eaee" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "claims"
            ADD CONSTRAINT "FK_ad843b15498d4897fddbc336dcb" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "claims"
            ADD CONSTRAINT "FK_91837f5742c5b3423bef4cee65e" FOREIGN KEY ("influencer_id") REFERENCES "influencers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "offers_pending_expiry_idx"`);
    await queryRunner.query(`
            ALTER TABLE "claims" DROP CONSTRAINT "FK_91837f5742c5b3423bef4cee65e"
        `);
    await queryRunner.query(`
            ALTER TABLE "claims" DROP CONSTRAINT "FK_ad843b15498d4897fddbc336dcb"
        `);
    await queryRunner.query(`
            ALTER TABLE "claims" DROP CONSTRAINT "FK_d18045a3b0eae87eb68b2e1eaee"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP CONSTRAINT "FK_e287c97614a411e2db92793caf7"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP CONSTRAINT "FK_b579987579826077814e3ce64c6"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."claims_campaign_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."claims_member_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "claims"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."offers_member_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."offers_campaign_status_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "offers"
        `);
  }
}
