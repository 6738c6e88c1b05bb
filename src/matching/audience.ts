/**
 * The brand console's live audience estimate. The exact count has to visit every member above the thresholds
 * (seconds at a million members), so the count is taken on a deterministic sample — the members whose id falls in
 * the first k of 65,536 id buckets (ids are gen_random_uuid, so their leading bits are uniform) — and scaled by
 * 65,536 / k. The sample grows until the 95 % confidence bound is within `maxRelativeError`; when that would take a
 * large share of the members anyway (small audiences, or a small population), the count is exact.
 *
 * The bound is the Bernoulli-sampling one: each member is in the sample with probability f = k / 65,536
 * independently of eligibility, so the estimate h / f of h sampled hits has relative standard error
 * √((1 − f) / (f·E)) ≈ √((1 − f) / h). ±2 % at 95 % therefore needs h ≈ 1.96² (1 − f) / 0.02² ≈ 9,600 hits
 * whatever the audience; no cheaper unbiased design is available here: a ratio estimator against a per-topic total
 * would cut that for one topic, but the total is itself a count over the whole topic list (the cost avoided).
 *
 * The rule is the matcher's (`eligibleCtes` in eligibility.sql.ts), specialised for one campaign's targeting:
 * the targeting is read first and the count runs SQL written for it, with the topics, thresholds, countries and
 * overall minimum as parameters. A generic query over `campaign_targets` makes the planner guess one row per
 * `OR`-shaped condition (it then probed the overall scores 18,700 times where a hash join took a seventh of the
 * time); here each source is one index range with a true estimate, and a condition the campaign does not set is
 * a constant TRUE the planner drops. Each topic's sampled hits are read straight off `scores_topic_score_idx`
 * (topic, score, member): `score = ANY(min..100)` makes it one short id range per score value, so only the members
 * above the threshold are read, not every sampled member's score. test/integration/matching/audience.int-spec.ts
 * proves the specialised count equals the matcher's on a population with every exclusion.
 */
export const BUCKETS = 65_536;
const Z_95 = 1.96;
const MAX_SCORE = 100; // scores_score_check: score BETWEEN 1 AND 100, so `= ANY(min..100)` is `>= min`

export interface AudienceOptions {
  /** Largest accepted half-width of the 95 % interval, relative to the estimate. */
  maxRelativeError: number;
  /** Buckets in the first sample. */
  pilotBuckets: number;
  /** Above this many buckets a sample costs about what the exact count does: count exactly instead. */
  exactAboveBuckets: number;
}

const AUDIENCE_DEFAULTS: AudienceOptions = {
  maxRelativeError: 0.02,
  // 1/128, ~7,800 members at a million: enough to size the sample (the second read only adds the missing range).
  pilotBuckets: 512,
  exactAboveBuckets: BUCKETS / 4,
};

export interface AudienceCount {
  eligible: number;
  exact: boolean;
  /** Half-width of the 95 % interval relative to `eligible`; 0 when exact. */
  relativeErrorBound: number;
  /** Buckets of 65,536 the figure was computed on (all of them when exact). */
  sampledBuckets: number;
  /** Eligible members found in the sample. */
  sampleHits: number;
}

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

interface Targeting {
  match: 'any' | 'all';
  countries: string[] | null;
  minOverall: number | null;
  topics: { topicId: number; minScore: number }[];
}

async function targeting(query: Query, campaignId: string): Promise<Targeting | null> {
  const [row] = await query(
    `SELECT c.match, c.countries, c.min_overall_score,
            coalesce((SELECT json_agg(json_build_object('topicId', t.topic_id, 'minScore', t.min_score) ORDER BY t.topic_id)
                      FROM campaigns.campaign_targets t WHERE t.campaign_id = c.id), '[]') AS topics
     FROM campaigns.campaign_facts c WHERE c.id = $1`,
    [campaignId],
  );
  if (!row) return null;
  return {
    match: row.match as Targeting['match'],
    countries: row.countries as string[] | null,
    minOverall: row.min_overall_score as number | null,
    topics: row.topics as Targeting['topics'],
  };
}

/** The uuid below which an id falls in the first `buckets` of 65,536 (uuids compare bytewise). */
export function sampleBound(buckets: number): string {
  return `${buckets.toString(16).padStart(4, '0')}0000-0000-0000-0000-000000000000`;
}

/**
 * The matcher's eligibility count for this targeting over the members with id in [from, to) (either end open
 * when null). Why it equals `eligibleCtes`'s count: `hits` there is the visible published scores at or
 * above each targeted topic's threshold; a member is eligible when they have one (`any`: UNION) or one per
 * targeted topic (`all`: INTERSECT, topics being unique per campaign), are an active consenting verified member in
 * the countries (when set), and have an overall score at the minimum (when set; no overall row fails it, as the
 * LEFT JOIN's NULL does there).
 */
function countSql(t: Targeting, from: string | null, to: string | null): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const lo = from === null ? '' : p(from);
  const hi = to === null ? '' : p(to);
  // Repeated on each source so the planner reads each as a narrow id range with its true size. Every optional
  // part is a whole condition (TRUE when absent) so that each statement parses for the SQL-boundary check.
  const range = (column: string): string =>
    [lo ? `${column} >= ${lo}::uuid` : '', hi ? `${column} < ${hi}::uuid` : ''].filter(Boolean).join(' AND ') || 'TRUE';
  const perTopic = t.topics.map(
    ({ topicId, minScore }) => `
      SELECT s.influencer_id FROM scoring.published_scores s
      WHERE s.topic_id = ${p(topicId)}::int
        AND s.score = ANY (${p(Array.from({ length: MAX_SCORE - minScore + 1 }, (_, i) => minScore + i))}::smallint[])
        AND ${range('s.influencer_id')}
        AND NOT EXISTS (
          SELECT 1 FROM influencers.topic_prefs tp
          WHERE tp.influencer_id = s.influencer_id AND tp.topic_id = s.topic_id AND tp.hidden
        )`,
  );
  const overall =
    t.minOverall === null
      ? 'TRUE'
      : `m.influencer_id IN (
          SELECT ov.influencer_id FROM scoring.overall_scores ov
          WHERE ov.score >= ${p(t.minOverall)}::smallint AND ${range('ov.influencer_id')}
        )`;
  const country = t.countries === null ? 'TRUE' : `i.country = ANY (${p(t.countries)}::text[])`;
  const sql = `
    SELECT count(*)::int AS n
    FROM (${perTopic.join(t.match === 'any' ? ' UNION ' : ' INTERSECT ')}) m
    JOIN influencers.active_members i ON i.id = m.influencer_id AND ${range('i.id')}
    WHERE i.consent_matching AND i.adult_verified_at IS NOT NULL AND ${country} AND ${overall}`;
  return { sql, params };
}

async function countRange(query: Query, t: Targeting, from: number, to: number): Promise<number> {
  if (!t.topics.length) return 0; // no targeted topic: no hit, so nobody (as in eligibleCtes)
  const { sql, params } = countSql(t, from > 0 ? sampleBound(from) : null, to < BUCKETS ? sampleBound(to) : null);
  const [row] = await query(sql, params);
  return row.n as number;
}

/** Eligible members of the campaign among the first `buckets` id buckets; all members at BUCKETS. */
export async function countSample(query: Query, campaignId: string, buckets: number): Promise<number> {
  const t = await targeting(query, campaignId);
  return t ? countRange(query, t, 0, Math.min(buckets, BUCKETS)) : 0;
}

const halfWidth = (hits: number, buckets: number): number =>
  hits === 0 ? Infinity : Z_95 * Math.sqrt((1 - buckets / BUCKETS) / hits);

export async function countAudience(
  query: Query,
  campaignId: string,
  o: AudienceOptions = AUDIENCE_DEFAULTS,
): Promise<AudienceCount> {
  const t = await targeting(query, campaignId);
  const none = { eligible: 0, exact: true, relativeErrorBound: 0, sampledBuckets: BUCKETS, sampleHits: 0 };
  if (!t) return none;
  let buckets = Math.min(o.pilotBuckets, BUCKETS);
  let hits = await countRange(query, t, 0, buckets);
  for (;;) {
    if (buckets >= BUCKETS) {
      return { eligible: hits, exact: true, relativeErrorBound: 0, sampledBuckets: BUCKETS, sampleHits: hits };
    }
    const bound = halfWidth(hits, buckets);
    if (bound <= o.maxRelativeError) {
      return {
        eligible: Math.round((hits * BUCKETS) / buckets),
        exact: false,
        relativeErrorBound: Math.round(bound * 10_000) / 10_000,
        sampledBuckets: buckets,
        sampleHits: hits,
      };
    }
    // The fraction f at which the bound would be met for the audience seen so far (Z²(1−f) / (f·λ) = e²), with
    // 10 % to spare; nothing seen yet: a sample eight times larger. The stopping rule is only ever the bound on
    // the hits actually counted, so a short guess costs one more (small) read, never a wider error.
    const seen = (hits * BUCKETS) / buckets;
    const k = Z_95 ** 2 / o.maxRelativeError ** 2;
    const wanted = hits === 0 ? buckets * 8 : Math.ceil(1.1 * BUCKETS * (k / (seen + k)));
    const next = Math.max(wanted, Math.ceil(buckets * 1.05));
    if (next > o.exactAboveBuckets) {
      // The sample so far is a prefix of the id space: the rest of it completes the exact count.
      hits += await countRange(query, t, buckets, BUCKETS);
      buckets = BUCKETS;
    } else {
      // The first `buckets` are already counted: the larger sample only adds the range between the bounds.
      hits += await countRange(query, t, buckets, next);
      buckets = next;
    }
  }
}
