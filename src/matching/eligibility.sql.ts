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

/** The campaign's rule as the lazy wave takes it: bound as parameters, so the planner sees values, not `OR`s. */
export interface WaveRule {
  match: 'any' | 'all';
  countries: string[] | null;
  minOverallScore: number | null;
  targets: { topicId: number; minScore: number }[];
}

/**
 * The wave as a lazy, ordered read: the same rule and the same order as `eligibleCtes()` (with no cap) followed by
 * the offer checks, but it stops once it has `limit` members instead of judging every member above the thresholds.
 *
 * Each targeted topic's list is read best score first off `scores_topic_score_idx` (its top `cap`) and the lists
 * are sorted together, so hits arrive by score, highest first. A hit stands for its member only when it is the member's
 * best visible hit (ties to the lower topic id), so each member appears once, at its `best`; everything else about
 * the member — the other topics (total, `all`), the member row, the overall score, the offer checks — is a probe
 * per hit through a LATERAL … LIMIT 1 or a scalar subquery, which keeps the merge order (the planner cannot turn
 * them into hash joins over the whole population). `FETCH FIRST limit ROWS WITH TIES` on `best` stops the probes
 * after the group holding the `limit`-th row; only those rows are ordered by the full key (total, overall, md5)
 * and cut to `limit`: the rows of the exact wave, in its order (its top `limit` lie within the first `limit` with
 * ties on `best`), at the cost of the first few groups.
 *
 * Parameters: $1 campaign id, $2 limit, $3 countries (text[] or NULL), $4 min overall (or NULL), $5 match,
 * $6 per-topic cap (NULL = none), then per targeted topic i (0-based) $(7+2i) topic id and $(8+2i) its min score.
 * Columns: influencer_id, best. With a cap the result is exact only when every capped list reached below the
 * last row's `best` (waveCapCutsSql tells); the caller retries with a larger cap otherwise.
 */
export const lazyWaveSql = (topics: number, weeklyCap: number): string => {
  const topicParam = (i: number): string => `$${7 + 2 * i}::int`;
  const minParam = (i: number): string => `$${8 + 2 * i}::int`;
  const branches = Array.from(
    { length: topics },
    (_, i) => `(SELECT s.influencer_id, s.topic_id, s.score FROM scoring.published_scores s
          WHERE s.topic_id = ${topicParam(i)} AND s.score >= ${minParam(i)}
          ORDER BY s.score DESC LIMIT $6)`,
  ).join('\n        UNION ALL\n        ');
  const targets = Array.from({ length: topics }, (_, i) => `(${topicParam(i)}, ${minParam(i)})`).join(', ');
  // The OFFSET 0 fences keep the merged stream ordered and unfiltered, and the filters above it: given the
  // freedom, the planner (which cannot estimate the subquery filters) pushes them into each branch and sorts
  // every candidate.
  return `
    SELECT w.influencer_id, w.best FROM (
      SELECT h.influencer_id, h.score AS best, a.total, ov.score AS overall
      FROM (
        SELECT * FROM (
          ${branches}
        ) u
        ORDER BY u.score DESC OFFSET 0
      ) h
      CROSS JOIN LATERAL (
        SELECT i.id FROM influencers.active_members i
        WHERE i.id = h.influencer_id AND i.consent_matching AND i.adult_verified_at IS NOT NULL
          AND ($3::text[] IS NULL OR i.country = ANY ($3::text[]))
        LIMIT 1
      ) i
      CROSS JOIN LATERAL (
        SELECT count(*) AS topics_hit, sum(s.score) AS total,
               bool_or(s.score > h.score OR (s.score = h.score AND s.topic_id < h.topic_id)) AS beaten
        FROM (VALUES ${targets}) AS t(topic_id, min_score)
        JOIN scoring.published_scores s
          ON s.influencer_id = h.influencer_id AND s.topic_id = t.topic_id AND s.score >= t.min_score
        WHERE ${VISIBLE_SCORE}
      ) a
      LEFT JOIN LATERAL (
        SELECT ov.score FROM scoring.overall_scores ov WHERE ov.influencer_id = h.influencer_id LIMIT 1
      ) ov ON true
      WHERE (SELECT 1 FROM influencers.topic_prefs p
             WHERE p.influencer_id = h.influencer_id AND p.topic_id = h.topic_id AND p.hidden LIMIT 1) IS NULL
        AND NOT a.beaten
        AND ($5::text = 'any' OR a.topics_hit = ${topics})
        AND ($4::int IS NULL OR ov.score >= $4::int)
        AND (SELECT 1 FROM offers o WHERE o.campaign_id = $1 AND o.influencer_id = h.influencer_id LIMIT 1) IS NULL
        AND (SELECT count(*) FROM offers o WHERE o.influencer_id = h.influencer_id
             AND o.created_at > now() - interval '7 days') < ${weeklyCap}
      ORDER BY h.score DESC
      FETCH FIRST $2 ROWS WITH TIES
    ) w
    ORDER BY w.best DESC, w.total DESC, w.overall DESC NULLS LAST, md5($1::text || w.influencer_id::text)
    LIMIT $2`;
};

/**
 * Per targeted topic, the score at which a per-topic cap of $1 cuts the list (NULL when the list is shorter than
 * the cap): a capped wave is exact when its last `best` is above every cut. Parameters: $1 the cap, then per
 * targeted topic i $(2+2i) topic id and $(3+2i) its min score.
 */
export const waveCapCutsSql = (topics: number): string =>
  `SELECT ARRAY[${Array.from(
    { length: topics },
    (_, i) => `(SELECT s.score FROM scoring.published_scores s
       WHERE s.topic_id = $${2 + 2 * i}::int AND s.score >= $${3 + 2 * i}::int
       ORDER BY s.score DESC OFFSET $1::int - 1 LIMIT 1)`,
  ).join(', ')}]::int[] AS cuts`;
