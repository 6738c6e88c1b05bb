-- The claim as the product runs it, without the app: the same statements, in the same order and the same
-- transaction shape, as POST /v1/me/offers/{id}/claim for a discount perk of a brand without webhook endpoints
-- (src/redemptions/redemptions.service.ts `claim`): the member check of the bearer's guard, then BEGIN, the offer
-- lock and mark (matching), the email for the self-referral hash (influencers), the claim row with the score at
-- claim (redemptions), the webhook event (webhooks), the unit (campaigns), the claim's rollup rows (tracking), the
-- ledger's spend and fee (billing), COMMIT. bench/claims.ts runs it beside the two-statement raw transaction
-- (claims.pgbench.sql) as a second baseline: how much of the gap is the claim's own database work and how much the
-- app's. The keyed hash is SHA-256 here instead of the app's HMAC; the redemption code is derived from the offer.
-- Keep it in step with the service when the claim path changes (the bench checks its claims like the app's).
SELECT p.offer_id, p.influencer_id
  FROM bench_pool p JOIN influencers i ON i.id = p.influencer_id AND i.status = 'active'
  WHERE p.n = (SELECT nextval('bench_pool_seq')) \gset
BEGIN;
WITH o AS (
  SELECT id, campaign_id, status, (status = 'pending' AND expires_at <= now()) AS expired
  FROM offers WHERE id = :offer_id AND influencer_id = :influencer_id FOR UPDATE
), marked AS (
  UPDATE offers SET status = 'claimed', decided_at = now()
  FROM o WHERE offers.id = o.id AND o.status = 'pending' AND NOT o.expired
  RETURNING offers.id
)
SELECT o.campaign_id, c.brand_id, EXISTS (SELECT 1 FROM marked) AS claimed,
       COALESCE((
         SELECT ct.topic_id FROM campaigns.campaign_targets ct
         JOIN scoring.published_scores s ON s.influencer_id = :influencer_id AND s.topic_id = ct.topic_id
         WHERE ct.campaign_id = o.campaign_id AND NOT EXISTS (
           SELECT 1 FROM influencers.topic_prefs tp
           WHERE tp.influencer_id = s.influencer_id AND tp.topic_id = s.topic_id AND tp.hidden)
         ORDER BY (s.score >= ct.min_score) DESC, s.score DESC, ct.topic_id LIMIT 1), 0) AS topic_id
FROM o JOIN campaigns.campaign_facts c ON c.id = o.campaign_id \gset
SELECT email FROM influencers.influencers WHERE id = :influencer_id \gset
INSERT INTO claims (offer_id, campaign_id, influencer_id, code, shipping_address, score_at_claim, address_hash,
                    claimant_hash, created_at)
  VALUES (:offer_id, :campaign_id, :influencer_id, 'R' || md5(:offer_id::text), NULL,
          (SELECT score FROM scoring.overall_scores WHERE influencer_id = :influencer_id), NULL,
          sha256(convert_to(:email, 'UTF8')), now())
  ON CONFLICT (code) DO NOTHING RETURNING id AS claim_id \gset
INSERT INTO webhooks.events (brand_id, type, data)
  SELECT * FROM unnest(ARRAY[:brand_id]::uuid[], ARRAY['claim.created']::text[],
                       ARRAY[jsonb_build_object('claimId', :claim_id::text, 'campaignId', :campaign_id::text,
                                                'offerId', :offer_id::text)]::jsonb[])
  RETURNING id, EXISTS (
    SELECT 1 FROM webhooks.endpoints e
    WHERE e.brand_id = events.brand_id AND e.status = 'enabled' AND events.type = ANY (e.event_types)) AS wanted;
UPDATE campaigns SET remaining = remaining - 1, claimed = claimed + 1, updated_at = now()
  WHERE id = :campaign_id AND status = 'active' AND remaining > 0
  RETURNING id, brand_id, remaining, perk_kind;
WITH stats AS (
  INSERT INTO tracking.claim_stats (claim_id, campaign_id, topic_id) VALUES (:claim_id, :campaign_id, :topic_id)
  ON CONFLICT (claim_id) DO NOTHING RETURNING 1
), daily AS (
  INSERT INTO tracking.campaign_daily (campaign_id, day, claims)
  VALUES (:campaign_id, (now() AT TIME ZONE 'UTC')::date, 1)
  ON CONFLICT (campaign_id, day) DO UPDATE SET claims = tracking.campaign_daily.claims + 1
  RETURNING 1
)
INSERT INTO tracking.campaign_topic_totals (campaign_id, topic_id, claims)
  SELECT :campaign_id::uuid, :topic_id::int, 1 FROM daily, stats
  ON CONFLICT (campaign_id, topic_id) DO UPDATE SET claims = tracking.campaign_topic_totals.claims + 1;
WITH c AS (
  SELECT id, currency, unit_cost_cents AS u, claimed::bigint AS n, platform_fee_bps AS bps
  FROM campaigns.campaign_facts WHERE id = :campaign_id AND platform_fee_bps IS NOT NULL AND claimed >= 1
), charge AS (
  SELECT 'claim_spend'::text AS kind, c.u AS amount FROM c
  UNION ALL
  SELECT 'platform_fee', (round(c.n::numeric * c.u * c.bps / 10000) - round((c.n - 1)::numeric * c.u * c.bps / 10000))::bigint
  FROM c
), ins AS (
  INSERT INTO ledger_entries (campaign_id, kind, amount_cents, currency, claim_id, reference)
  SELECT c.id, charge.kind, charge.amount, c.currency, :claim_id::uuid, :claim_id::text FROM c, charge WHERE charge.amount > 0
  ON CONFLICT (campaign_id, kind, reference) DO NOTHING
)
SELECT (SELECT count(*) FROM c)::int AS found,
       COALESCE((SELECT amount FROM charge WHERE kind = 'claim_spend'), 0)::float8 AS spend,
       COALESCE((SELECT amount FROM charge WHERE kind = 'platform_fee'), 0)::float8 AS fee;
END;
