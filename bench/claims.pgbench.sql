-- The raw claim transaction (design.md "Performance targets"): the conditional unit take and the claim row,
-- nothing else. bench/claims.ts fills bench_pool (one prepared offer per transaction, distinct members) and runs
--   pgbench -n -M prepared -c <clients> -j 2 -T <seconds> -f bench/claims.pgbench.sql <db>
-- The pool row is picked inside the UPDATE (an initplan nextval, evaluated once), so the transaction is exactly
-- two statements; the campaign inventory is sized so that no transaction finds it sold out.
BEGIN;
UPDATE campaigns c SET remaining = remaining - 1, claimed = claimed + 1, updated_at = now()
  FROM bench_pool p
  WHERE p.n = (SELECT nextval('bench_pool_seq')) AND c.id = p.campaign_id AND c.remaining > 0
  RETURNING p.offer_id, p.campaign_id, p.influencer_id \gset
INSERT INTO claims (offer_id, campaign_id, influencer_id, code)
  VALUES (:offer_id, :campaign_id, :influencer_id, 'R' || md5(:offer_id::text));
END;
