/**
 * The one definition of who may be offered a campaign, shared by the matcher and the audience estimate:
 * active (not erased), verified adult, `matching` consent given, country in the campaign's list (when set),
 * published topic scores ≥ thresholds on `any`/`all` of the targeted topics — a hidden topic never counts —
 * and overall score ≥ `min_overall_score` (when set).
 *
 * Parameters: $1 campaign id, $2 per-topic candidate cap (NULL = exact). With a cap the candidates are each
 * topic's top scorers read straight off `scores_topic_score_idx` (the per-topic top-k), which is what makes the
 * first wave of a campaign over a million members fast; the matcher falls back to the exact form when a capped
 * wave comes up short. Columns: influencer_id, best (best targeted topic score), total, overall.
 */
export const ELIGIBLE_CTES = `
  target AS (
    SELECT c.id, c.match, c.min_overall_score, c.countries,
           (SELECT count(*) FROM campaign_topics WHERE campaign_id = c.id) AS n_topics
    FROM campaigns c WHERE c.id = $1
  ),
  hits AS (
    SELECT s.influencer_id, s.topic_id, s.score
    FROM campaign_topics ct
    CROSS JOIN LATERAL (
      SELECT s.influencer_id, s.topic_id, s.score FROM scores s
      WHERE s.topic_id = ct.topic_id AND s.published AND s.score >= ct.min_score
      ORDER BY s.score DESC, s.influencer_id
      LIMIT $2
    ) s
    WHERE ct.campaign_id = $1
      AND NOT EXISTS (
        SELECT 1 FROM influencer_topic_prefs p
        WHERE p.influencer_id = s.influencer_id AND p.topic_id = s.topic_id AND p.hidden
      )
  ),
  per_member AS (
    SELECT influencer_id, count(*) AS topics_hit, max(score) AS best, sum(score) AS total
    FROM hits GROUP BY influencer_id
  ),
  eligible AS (
    SELECT m.influencer_id, m.best, m.total, ov.score AS overall
    FROM per_member m
    CROSS JOIN target t
    JOIN influencers i ON i.id = m.influencer_id
    LEFT JOIN scores ov ON ov.influencer_id = m.influencer_id AND ov.topic_id = 0
    WHERE i.status = 'active'
      AND i.consent_matching
      AND i.adult_verified_at IS NOT NULL
      AND (t.countries IS NULL OR i.country = ANY (t.countries))
      AND (t.match = 'any' OR m.topics_hit = t.n_topics)
      AND (t.min_overall_score IS NULL OR ov.score >= t.min_overall_score)
  )`;
