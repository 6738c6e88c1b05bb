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
/** A member's published score `s` on a topic they have not hidden: the only kind of score targeting counts. */
const VISIBLE_SCORE = `NOT EXISTS (
        SELECT 1 FROM influencers.topic_prefs p
        WHERE p.influencer_id = s.influencer_id AND p.topic_id = s.topic_id AND p.hidden
      )`;

/**
 * The eligibility CTEs, optionally restricted to the members whose id is below `sampleBound` (a SQL expression of
 * type uuid, e.g. a parameter): the audience estimate's deterministic sample, judged by this very rule. The bound
 * restricts only which members are looked at, never what makes one eligible; it is repeated on each source so the
 * planner reads each as a narrow id range (scores_topic_member_idx, influencers_matchable_idx). A sample takes no
 * per-topic cap ($2 is NULL), so the cap's ordering is left out rather than sorted for nothing.
 */
export const eligibleCtes = (sampleBound?: string): string => {
  const sampled = (column: string): string => (sampleBound ? `AND ${column} < ${sampleBound}` : '');
  return `
  target AS (
    SELECT c.id, c.match, c.min_overall_score, c.countries,
           (SELECT count(*) FROM campaigns.campaign_targets WHERE campaign_id = c.id) AS n_topics
    FROM campaigns.campaign_facts c WHERE c.id = $1
  ),
  hits AS (
    SELECT s.influencer_id, s.topic_id, s.score
    FROM campaigns.campaign_targets ct
    CROSS JOIN LATERAL (
      SELECT s.influencer_id, s.topic_id, s.score FROM scoring.published_scores s
      WHERE s.topic_id = ct.topic_id AND s.score >= ct.min_score ${sampled('s.influencer_id')}
      ${sampleBound ? '' : 'ORDER BY s.score DESC, s.influencer_id'}
      LIMIT $2
    ) s
    WHERE ct.campaign_id = $1
      AND ${VISIBLE_SCORE}
  ),
  per_member AS (
    SELECT influencer_id, count(*) AS topics_hit, max(score) AS best, sum(score) AS total
    FROM hits GROUP BY influencer_id
  ),
  eligible AS (
    SELECT m.influencer_id, m.best, m.total, ov.score AS overall
    FROM per_member m
    CROSS JOIN target t
    JOIN influencers.active_members i ON i.id = m.influencer_id ${sampled('i.id')}
    LEFT JOIN scoring.overall_scores ov ON ov.influencer_id = m.influencer_id ${sampled('ov.influencer_id')}
    WHERE i.consent_matching
      AND i.adult_verified_at IS NOT NULL
      AND (t.countries IS NULL OR i.country = ANY (t.countries))
      AND (t.match = 'any' OR m.topics_hit = t.n_topics)
      AND (t.min_overall_score IS NULL OR ov.score >= t.min_overall_score)
  )`;
};

export const ELIGIBLE_CTES = eligibleCtes();

/**
 * The claimant's best targeted topic (visible, published; a topic meeting its threshold first, then the higher
 * score, then the lower id), 0 when none: what a claim is reported under. Parameters: $1 campaign, $2 member.
 */
export const BEST_TARGETED_TOPIC = (campaign: string, member: string): string => `
  COALESCE((
    SELECT ct.topic_id
    FROM campaigns.campaign_targets ct
    JOIN scoring.published_scores s ON s.influencer_id = ${member} AND s.topic_id = ct.topic_id
    WHERE ct.campaign_id = ${campaign} AND ${VISIBLE_SCORE}
    ORDER BY (s.score >= ct.min_score) DESC, s.score DESC, ct.topic_id
    LIMIT 1
  ), 0)`;
