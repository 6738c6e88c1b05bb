-- Model v1 scoring run (docs/scoring.md). One transaction, under an advisory lock; statements run in order.
-- :name parameters are bound per statement; {{name}} are the frozen model constants from model-v1.ts,
-- inlined as numeric literals so the planner sees constants. Temp tables hold per-pair and per-member
-- aggregates only: the population never leaves PostgreSQL.

-- name: accounts
-- Keyed hashes of every linked account (kept after unlink, for erasure): self-reactions and member reactors.
INSERT INTO scoring_accounts (account_hash, influencer_id, network)
SELECT substring(sha256(:opad || sha256(:ipad || convert_to(sa.network || ':' || sa.external_id, 'UTF8'))) FROM 1 FOR 16),
       sa.influencer_id, sa.network
FROM influencers.linked_accounts sa
ON CONFLICT (account_hash) DO UPDATE SET influencer_id = EXCLUDED.influencer_id, network = EXCLUDED.network
WHERE scoring_accounts.influencer_id <> EXCLUDED.influencer_id;

-- name: analyze_accounts
ANALYZE scoring_accounts;

-- name: actor_days
-- Reactions each actor gave per UTC day, over everything stored in the window: selectivity S = 1/sqrt(n). Only
-- days with n > 1 are kept (most audiences react once a day at most), so the join below stays small; n = 1 else.
CREATE TEMP TABLE sr_ad ON COMMIT DROP AS
SELECT actor_hash AS a, (occurred_at AT TIME ZONE 'UTC')::date AS d, count(*)::int AS n
FROM signal_reactions
WHERE occurred_at > :as_of::timestamptz - ({{windowDays}} * interval '1 day') AND occurred_at <= :as_of::timestamptz
GROUP BY 1, 2
HAVING count(*) > 1;

-- name: analyze_actor_days
ANALYZE sr_ad;

-- name: bots
-- Bot-like actors (trust 0): this many reactions on a single day (fast), or (slow bots, kept under that line) a
-- smaller daily volume sustained over several days of the window. Only fast bots count towards the fraud rule:
-- slow farms spread camouflage likes over popular accounts, whose owners bought nothing.
CREATE TEMP TABLE sr_bot ON COMMIT DROP AS
SELECT a, max(n) >= {{botDailyVolume}} AS fast FROM sr_ad
GROUP BY a
HAVING max(n) >= {{botDailyVolume}} OR count(*) FILTER (WHERE n >= {{slowBotDailyVolume}}) >= {{slowBotDays}};

-- name: analyze_bots
ANALYZE sr_bot;

-- name: prev
-- Reactors who are members, with their previous overall score (Q = 0.5 + 0.5·prev/100).
CREATE TEMP TABLE sr_prev ON COMMIT DROP AS
SELECT sa.account_hash AS a, max(s.score)::float8 AS prev
FROM scoring_accounts sa
JOIN scores s ON s.influencer_id = sa.influencer_id AND s.topic_id = 0
GROUP BY sa.account_hash;

-- name: topic_sets
-- Posts of the last two windows give the topic tags of reactions to older posts. Each distinct topic set gets a
-- small integer id (0 = untagged): grouping and joining by an int is far cheaper than by int[].
CREATE TEMP TABLE sr_tset ON COMMIT DROP AS
SELECT (row_number() OVER ())::int AS tset, topic_ids FROM (
  SELECT DISTINCT topic_ids FROM signal_posts
  WHERE occurred_at > :as_of::timestamptz - ({{postLookbackDays}} * interval '1 day') AND occurred_at <= :as_of::timestamptz
    AND cardinality(topic_ids) > 0
) s;

-- name: post_repeats
-- A post reported more than once (different timestamps): only its latest report counts. Found by hashing rather
-- than by sorting millions of posts; normally empty.
CREATE TEMP TABLE sr_prep ON COMMIT DROP AS
SELECT network, post_id, influencer_id AS m, max(occurred_at) AS latest
FROM signal_posts
WHERE occurred_at > :as_of::timestamptz - ({{postLookbackDays}} * interval '1 day') AND occurred_at <= :as_of::timestamptz
GROUP BY 1, 2, 3 HAVING count(*) > 1;

-- name: posts
-- pk: a 64-bit hash of (network, post id), so the join from ten million reactions hashes one int8 and the author;
-- a false match would need two posts of one member with equal 64-bit hashes.
CREATE TEMP TABLE sr_post ON COMMIT DROP AS
SELECT hashtextextended(p.network || ':' || p.post_id, 0) AS pk, p.influencer_id AS m, p.occurred_at,
       coalesce(ts.tset, 0) AS tset
FROM signal_posts p
LEFT JOIN sr_tset ts ON ts.topic_ids = p.topic_ids
WHERE p.occurred_at > :as_of::timestamptz - ({{postLookbackDays}} * interval '1 day')
  AND p.occurred_at <= :as_of::timestamptz
  AND NOT EXISTS (
    SELECT 1 FROM sr_prep d
    WHERE d.network = p.network AND d.post_id = p.post_id AND d.m = p.influencer_id AND d.latest > p.occurred_at
  )
  AND NOT EXISTS (SELECT 1 FROM excluded_accounts x WHERE x.account_hash = p.account_hash);

-- name: excluded_posts
-- Posts of accounts an upheld contest excluded: the reactions to them count for nothing. Normally empty.
CREATE TEMP TABLE sr_xpost ON COMMIT DROP AS
SELECT DISTINCT hashtextextended(p.network || ':' || p.post_id, 0) AS pk, p.influencer_id AS m
FROM signal_posts p JOIN excluded_accounts x ON x.influencer_id = p.influencer_id AND x.account_hash = p.account_hash
WHERE p.occurred_at > :as_of::timestamptz - ({{postLookbackDays}} * interval '1 day') AND p.occurred_at <= :as_of::timestamptz;

-- name: analyze_posts
ANALYZE sr_post;

-- name: analyze_topic_sets
ANALYZE sr_tset;

-- name: pairs
-- Weighted reactions per (author, actor, topic set): w = T·S·trust·2^(−age/half-life); Q and the cap apply per pair.
CREATE TEMP TABLE sr_pair ON COMMIT DROP AS
SELECT r.influencer_id AS m, r.actor_hash AS a, coalesce(p.tset, 0) AS tset, (b.a IS NOT NULL) AS bot,
       coalesce(b.fast, false) AS fast_bot,
       count(*)::int AS cnt,
       sum(x.base * exp(x.age * {{decay30}})) AS p30,
       sum(x.base * exp(x.age * {{decay90}})) AS p90,
       max(r.occurred_at) AS last_at
FROM signal_reactions r
LEFT JOIN sr_ad ad ON ad.a = r.actor_hash AND ad.d = (r.occurred_at AT TIME ZONE 'UTC')::date
LEFT JOIN sr_bot b ON b.a = r.actor_hash
LEFT JOIN sr_post p ON p.pk = hashtextextended(r.network || ':' || r.post_id, 0) AND p.m = r.influencer_id
CROSS JOIN LATERAL (
  SELECT CASE WHEN b.a IS NOT NULL THEN 0::float8
              ELSE (CASE r.kind WHEN 'like' THEN {{wLike}} WHEN 'reply' THEN {{wReply}}
                                WHEN 'reshare' THEN {{wReshare}} ELSE {{wClick}} END) / sqrt(coalesce(ad.n, 1)::float8) END AS base,
         date_part('epoch', :as_of::timestamptz - r.occurred_at) / 86400.0 AS age
) x
WHERE r.occurred_at > :as_of::timestamptz - ({{windowDays}} * interval '1 day') AND r.occurred_at <= :as_of::timestamptz
  AND NOT EXISTS (SELECT 1 FROM scoring_accounts s WHERE s.account_hash = r.actor_hash AND s.influencer_id = r.influencer_id)
  AND NOT EXISTS (
    SELECT 1 FROM sr_xpost xp WHERE xp.pk = hashtextextended(r.network || ':' || r.post_id, 0) AND xp.m = r.influencer_id
  )
GROUP BY 1, 2, 3, 4, 5;

-- name: member_pairs
-- Reactions between members, by (author, reacting member).
CREATE TEMP TABLE sr_mm ON COMMIT DROP AS
SELECT sp.m AS author, sa.influencer_id AS actor_m, sum(sp.cnt)::int AS cnt
FROM sr_pair sp JOIN scoring_accounts sa ON sa.account_hash = sp.a
WHERE NOT sp.bot
GROUP BY 1, 2;

-- name: pods
-- Ring rule (the pod rule generalised): a heavy edge — a member who reacted to another at least
-- {{podMinReactions}} times in the window — that lies on a directed cycle of heavy edges of length
-- ≤ {{ringMaxLength}} counts for nothing (and towards the fraud share). Length 2 is the mutual pod pair; longer
-- cycles are like rings (A likes B, B likes C, C likes A). Organic fans rarely form heavy cycles.
CREATE TEMP TABLE sr_pod ON COMMIT DROP AS
WITH RECURSIVE e AS (
  SELECT actor_m AS src, author AS dst FROM sr_mm WHERE cnt >= {{podMinReactions}} AND actor_m <> author
), walk(start, cur, depth) AS (
  SELECT src, dst, 1 FROM e
  UNION
  SELECT w.start, e.dst, w.depth + 1 FROM walk w JOIN e ON e.src = w.cur WHERE w.depth < {{ringMaxLength}} - 1
)
SELECT DISTINCT e.dst AS m, sa.account_hash AS a
FROM e
JOIN scoring_accounts sa ON sa.influencer_id = e.src
WHERE EXISTS (SELECT 1 FROM walk w WHERE w.start = e.dst AND w.cur = e.src);

-- name: member_reactions
CREATE TEMP TABLE sr_mo ON COMMIT DROP AS
WITH pa AS (
  SELECT m, a, bool_or(bot) AS bot, bool_or(fast_bot) AS fast_bot, sum(cnt) AS cnt, sum(p30) AS p30, sum(p90) AS p90, max(last_at) AS last_at
  FROM sr_pair GROUP BY m, a
), pw AS (
  SELECT pa.m, pa.bot OR pd.m IS NOT NULL AS bot, pa.fast_bot AS is_bot, pd.m IS NOT NULL AND NOT pa.bot AS is_pod, pa.cnt, pa.last_at,
         coalesce(pv.prev, 0) AS prev,
         least({{pairCap}}, (0.5 + 0.5 * coalesce(pv.prev, 0) / 100) * pa.p30) AS w30,
         least({{pairCap}}, (0.5 + 0.5 * coalesce(pv.prev, 0) / 100) * pa.p90) AS w90
  FROM pa LEFT JOIN sr_prev pv ON pv.a = pa.a LEFT JOIN sr_pod pd ON pd.m = pa.m AND pd.a = pa.a
)
SELECT m,
       coalesce(sum(least(1, w90)) FILTER (WHERE NOT bot), 0) AS reach,
       coalesce(sum(w30) FILTER (WHERE NOT bot), 0) AS w,
       coalesce(sum(w30 * prev / 100) FILTER (WHERE NOT bot), 0) AS network,
       coalesce(sum(exp(date_part('epoch', :as_of::timestamptz - last_at) / 86400.0 * {{decay90}})) FILTER (WHERE NOT bot), 0) AS audience_raw,
       count(*) FILTER (WHERE NOT bot)::int AS reactors,
       coalesce(sum(cnt) FILTER (WHERE is_bot), 0)::int AS bot_reactions,
       coalesce(sum(cnt) FILTER (WHERE is_pod), 0)::int AS pod_reactions,
       sum(cnt)::int AS all_reactions
FROM pw GROUP BY m;

-- name: member_posts
CREATE TEMP TABLE sr_mp ON COMMIT DROP AS
SELECT m, count(*)::float8 AS posts FROM sr_post
WHERE occurred_at > :as_of::timestamptz - ({{windowDays}} * interval '1 day')
GROUP BY m;

-- name: member_followers
-- The smallest snapshot per account in the window, summed over the member's accounts (issue 17): a jump of
-- bought followers raises no cap until it has lasted the whole window; honest growth lags by as much, which
-- rarely matters because audience counts only followers who engaged.
CREATE TEMP TABLE sr_fo ON COMMIT DROP AS
SELECT m, sum(value)::float8 AS followers FROM (
  SELECT influencer_id AS m,
         CASE WHEN {{followersFromMinimum}} > 0 THEN min(value) ELSE (array_agg(value ORDER BY day DESC))[1] END AS value
  FROM signal_followers f
  WHERE occurred_at > :as_of::timestamptz - ({{windowDays}} * interval '1 day') AND occurred_at <= :as_of::timestamptz
    AND NOT EXISTS (SELECT 1 FROM excluded_accounts x WHERE x.account_hash = f.account_hash)
  GROUP BY influencer_id, account_hash
) f GROUP BY m;

-- name: topic_direct
-- Each reaction gives w·π(post, topic), π uniform over the post's topics; the cap applies per (actor, author, topic).
CREATE TEMP TABLE sr_td ON COMMIT DROP AS
WITH pt AS (
  SELECT sp.m, sp.a, tid, sum(sp.p30 / cardinality(ts.topic_ids)) AS p30,
         sum(sp.p90 / cardinality(ts.topic_ids)) AS p90, max(sp.last_at) AS last_at
  FROM sr_pair sp JOIN sr_tset ts ON ts.tset = sp.tset CROSS JOIN LATERAL unnest(ts.topic_ids) AS tid
  WHERE NOT sp.bot AND sp.tset > 0 AND NOT EXISTS (SELECT 1 FROM sr_pod pd WHERE pd.m = sp.m AND pd.a = sp.a)
    AND NOT EXISTS (SELECT 1 FROM excluded_topics xt WHERE xt.influencer_id = sp.m AND xt.topic_id = tid)
  GROUP BY sp.m, sp.a, tid
), pw AS (
  SELECT pt.m, pt.tid, pt.last_at, coalesce(pv.prev, 0) AS prev,
         least({{pairCap}}, (0.5 + 0.5 * coalesce(pv.prev, 0) / 100) * pt.p30) AS w30,
         least({{pairCap}}, (0.5 + 0.5 * coalesce(pv.prev, 0) / 100) * pt.p90) AS w90
  FROM pt LEFT JOIN sr_prev pv ON pv.a = pt.a
)
SELECT m, tid, sum(least(1, w90)) AS reach, sum(w30) AS w, sum(w30 * prev / 100) AS network,
       sum(exp(date_part('epoch', :as_of::timestamptz - last_at) / 86400.0 * {{decay90}})) AS audience_raw,
       count(*)::int AS reactors
FROM pw GROUP BY m, tid;

-- name: topic_posts
CREATE TEMP TABLE sr_tp ON COMMIT DROP AS
SELECT p.m, tid, sum(1.0 / cardinality(ts.topic_ids))::float8 AS posts
FROM sr_post p JOIN sr_tset ts ON ts.tset = p.tset CROSS JOIN LATERAL unnest(ts.topic_ids) AS tid
WHERE p.occurred_at > :as_of::timestamptz - ({{windowDays}} * interval '1 day')
  AND NOT EXISTS (SELECT 1 FROM excluded_topics xt WHERE xt.influencer_id = p.m AND xt.topic_id = tid)
GROUP BY p.m, tid;

-- name: closure
-- Every topic used this run with each ancestor and the shortest distance to it (the ontology is a DAG).
CREATE TEMP TABLE sr_cl ON COMMIT DROP AS
WITH RECURSIVE c(anc, des, dist) AS (
  SELECT tid, tid, 0 FROM (SELECT tid FROM sr_td UNION SELECT tid FROM sr_tp) s
  UNION ALL
  SELECT e.parent_id, c.des, c.dist + 1 FROM c JOIN topics.topic_hierarchy e ON e.child_id = c.anc WHERE c.dist < 10
)
SELECT anc, des, min(dist) AS dist FROM c GROUP BY anc, des;

-- name: topic_rolled
-- Damped roll-up to ancestors; a topic the member hid scores for them but feeds no ancestor.
CREATE TEMP TABLE sr_tr ON COMMIT DROP AS
WITH d AS (
  SELECT coalesce(td.m, tp.m) AS m, coalesce(td.tid, tp.tid) AS tid, coalesce(td.reach, 0) AS reach,
         coalesce(td.w, 0) AS w, coalesce(td.network, 0) AS network, coalesce(td.audience_raw, 0) AS audience_raw,
         coalesce(td.reactors, 0) AS reactors, coalesce(tp.posts, 0) AS posts
  FROM sr_td td FULL JOIN sr_tp tp ON tp.m = td.m AND tp.tid = td.tid
)
SELECT d.m, cl.anc AS topic_id,
       sum(power({{topicDamping}}, cl.dist) * d.reach) AS reach,
       sum(power({{topicDamping}}, cl.dist) * d.w) AS w,
       sum(power({{topicDamping}}, cl.dist) * d.network) AS network,
       sum(power({{topicDamping}}, cl.dist) * d.audience_raw) AS audience_raw,
       sum(power({{topicDamping}}, cl.dist) * d.posts) AS posts,
       max(d.reactors) AS reactors
FROM d JOIN sr_cl cl ON cl.des = d.tid
WHERE cl.dist = 0 OR NOT EXISTS (
  SELECT 1 FROM influencers.topic_prefs h WHERE h.influencer_id = d.m AND h.topic_id = d.tid AND h.hidden
)
GROUP BY d.m, cl.anc;

-- name: targets
-- Components → raw → target for the overall score (topic 0) and every topic; the population is every active
-- member with a signal in the window or an existing score (so inactivity decays, smoothed, instead of vanishing).
CREATE TEMP TABLE sr_new ON COMMIT DROP AS
WITH pop AS (
  SELECT m FROM sr_mo UNION SELECT m FROM sr_mp UNION SELECT m FROM sr_fo
  UNION SELECT influencer_id FROM scores WHERE topic_id = 0
), comp AS (
  SELECT pop.m, coalesce(fo.followers, 0) AS followers, coalesce(mp.posts, 0) AS posts,
         coalesce(mo.reach, 0) AS reach,
         (coalesce(mo.w, 0) + {{priorPosts}} * {{mu}}) / (coalesce(mp.posts, 0) + {{priorPosts}}) AS amplification,
         coalesce(mo.network, 0) AS network,
         least(coalesce(fo.followers, 0), coalesce(mo.audience_raw, 0)) AS audience,
         coalesce(mo.reactors, 0) AS reactors,
         coalesce(mo.bot_reactions, 0) AS bot_reactions, coalesce(mo.pod_reactions, 0) AS pod_reactions,
         coalesce(mo.all_reactions, 0) AS all_reactions
  FROM pop
  JOIN influencers.active_members i ON i.id = pop.m
  LEFT JOIN sr_mo mo ON mo.m = pop.m
  LEFT JOIN sr_mp mp ON mp.m = pop.m
  LEFT JOIN sr_fo fo ON fo.m = pop.m
), overall AS (
  SELECT comp.*, r.raw,
         least(100, greatest(1, floor({{a}} + {{b}} * r.raw + 0.5)))::int AS target,
         (bot_reactions + pod_reactions >= {{fraudMinBotReactions}}
          AND bot_reactions + pod_reactions >= {{fraudBotShare}} * all_reactions) AS fraud
  FROM comp CROSS JOIN LATERAL (
    SELECT {{wReach}} * ln(1 + reach) + {{wAmplification}} * ln(1 + amplification)
         + {{wNetwork}} * ln(1 + network) + {{wAudience}} * ln(1 + audience) AS raw
  ) r
), topic AS (
  SELECT tr.m, tr.topic_id, o.followers, o.fraud, o.target AS overall_target, tr.posts, tr.reach,
         (tr.w + {{priorPosts}} * {{mu}}) / (tr.posts + {{priorPosts}}) AS amplification,
         tr.network, least(o.followers, tr.audience_raw) AS audience, tr.reactors
  FROM sr_tr tr JOIN overall o ON o.m = tr.m
  WHERE NOT EXISTS (SELECT 1 FROM excluded_topics xt WHERE xt.influencer_id = tr.m AND xt.topic_id = tr.topic_id)
)
SELECT m, 0 AS topic_id, target, fraud, reactors, true AS published, raw,
       jsonb_build_object('reach', reach, 'amplification', amplification, 'network', network, 'audience', audience,
                          'posts', posts, 'followers', followers, 'raw', raw, 'botReactions', bot_reactions,
                          'podReactions', pod_reactions, 'reactions', all_reactions) AS factors
FROM overall
UNION ALL
SELECT t.m, t.topic_id,
       least(t.overall_target + {{topicCapOverOverall}}, 100, greatest(1, floor({{a}} + {{b}} * r.raw + 0.5)))::int,
       t.fraud, t.reactors,
       t.reactors >= {{minTopicReactors}} AND NOT EXISTS (
         SELECT 1 FROM influencers.topic_prefs h WHERE h.influencer_id = t.m AND h.topic_id = t.topic_id AND h.hidden
       ),
       r.raw,
       jsonb_build_object('reach', t.reach, 'amplification', t.amplification, 'network', t.network,
                          'audience', t.audience, 'posts', t.posts, 'raw', r.raw)
FROM topic t CROSS JOIN LATERAL (
  SELECT {{wReach}} * ln(1 + t.reach) + {{wAmplification}} * ln(1 + t.amplification)
       + {{wNetwork}} * ln(1 + t.network) + {{wAudience}} * ln(1 + t.audience) AS raw
) r;

-- name: smooth
-- s_t = base + clamp(target − base, −stepDown, +stepUp), base = the score at the end of the previous UTC day, so
-- several runs on one day never compound. First scores, a model change and a fraud flag apply the target at once.
-- A contest rescore (:member_id set) writes that member only, and applies the corrected target at once.
CREATE TEMP TABLE sr_final ON COMMIT DROP AS
WITH j AS (
  SELECT n.*, s.score AS old_score, s.base_score AS old_base, s.base_day AS old_base_day,
         s.model_version AS old_version, (s.influencer_id IS NULL) AS is_new,
         (:as_of::timestamptz AT TIME ZONE 'UTC')::date AS run_day
  FROM sr_new n LEFT JOIN scores s ON s.influencer_id = n.m AND s.topic_id = n.topic_id
  WHERE :member_id::uuid IS NULL OR n.m = :member_id::uuid
), b AS (
  SELECT j.*,
         CASE WHEN is_new THEN target WHEN old_base_day < run_day THEN old_score ELSE old_base END AS base
  FROM j
)
SELECT m, topic_id, target, reactors, published, factors, run_day, base,
       (CASE WHEN is_new OR old_version <> :model_version OR fraud OR :member_id::uuid IS NOT NULL THEN target
             ELSE base + least({{stepUp}}, greatest(-{{stepDown}}, target - base)) END)::int AS score,
       CASE WHEN :member_id::uuid IS NOT NULL THEN 'contest' WHEN is_new THEN 'first_score'
            WHEN old_version <> :model_version THEN 'model_change'
            WHEN fraud THEN 'fraud' ELSE :trigger END AS reason
FROM b;

-- name: upsert
INSERT INTO scores (influencer_id, topic_id, score, target, base_score, base_day, percentile, reactors, published,
                    factors, model_version, computed_at, run_id)
SELECT m, topic_id, score, target, base, run_day,
       -- A member-scoped run ranks its member among everyone else's current scores (what percent_rank would give).
       CASE WHEN topic_id <> 0 THEN NULL
            WHEN :member_id::uuid IS NULL THEN (100 * percent_rank() OVER (PARTITION BY topic_id = 0 ORDER BY score))::real
            ELSE (SELECT (100.0 * count(*) FILTER (WHERE o.score < sr_final.score) / greatest(1, count(*)))::real
                  FROM scores o WHERE o.topic_id = 0 AND o.influencer_id <> sr_final.m) END,
       reactors, published, factors, :model_version, :as_of::timestamptz, :run_id::uuid
FROM sr_final
ON CONFLICT (influencer_id, topic_id) DO UPDATE SET
  score = EXCLUDED.score, target = EXCLUDED.target, base_score = EXCLUDED.base_score, base_day = EXCLUDED.base_day,
  percentile = EXCLUDED.percentile, reactors = EXCLUDED.reactors, published = EXCLUDED.published,
  factors = EXCLUDED.factors, model_version = EXCLUDED.model_version, computed_at = EXCLUDED.computed_at,
  run_id = EXCLUDED.run_id;

-- name: drop_stale_topics
-- A topic with no post or reaction left in the window is no longer scored for that member.
DELETE FROM scores s
WHERE s.topic_id <> 0 AND s.run_id <> :run_id::uuid
  AND EXISTS (SELECT 1 FROM sr_final f WHERE f.m = s.influencer_id AND f.topic_id = 0);

-- name: history
-- Append-only: a row when the overall score changed, on the first run of each UTC day, and on every
-- first score, model change or fraud decision.
INSERT INTO score_history (influencer_id, at, overall, model_version, reason, run_id, note)
SELECT f.m, :as_of::timestamptz, f.score, :model_version, f.reason, :run_id::uuid,
       CASE WHEN f.reason = 'contest' THEN :note::text END
FROM sr_final f
LEFT JOIN LATERAL (
  SELECT h.overall, h.at FROM score_history h WHERE h.influencer_id = f.m ORDER BY h.at DESC, h.id DESC LIMIT 1
) l ON true
WHERE f.topic_id = 0
  AND (l.overall IS NULL OR l.overall <> f.score OR (l.at AT TIME ZONE 'UTC')::date < f.run_day
       OR f.reason IN ('first_score', 'model_change', 'fraud', 'contest'));

-- name: count
SELECT count(*)::int AS scored FROM sr_final WHERE topic_id = 0;
