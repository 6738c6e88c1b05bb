import { eligibleCtes } from './eligibility.sql';

/**
 * The brand console's live audience estimate. The exact count has to visit every member above the thresholds
 * (seconds at a million members), so the count is taken on a deterministic sample — the members whose id falls in
 * the first k of 65,536 id buckets (ids are gen_random_uuid, so their leading bits are uniform) — judged by the
 * matcher's own eligibility rule (`eligibleCtes`), and scaled by 65,536 / k. The sample grows until the 95 %
 * confidence bound is within `maxRelativeError`; when that would take a large share of the members anyway (small
 * audiences, or a small population), the count is exact.
 *
 * The bound is the Bernoulli-sampling one: each member is in the sample with probability f = k / 65,536
 * independently of eligibility, so the estimate h / f of h sampled hits has relative standard error
 * √((1 − f) / (f·E)) ≈ √((1 − f) / h).
 */
export const BUCKETS = 65_536;
const Z_95 = 1.96;

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
  pilotBuckets: 1_024, // 1/64: ~15,600 members at a million
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

type Query = (sql: string, params: unknown[]) => Promise<{ n: number }[]>;

/** The uuid below which an id falls in the first `buckets` of 65,536 (uuids compare bytewise). */
export function sampleBound(buckets: number): string {
  return `${buckets.toString(16).padStart(4, '0')}0000-0000-0000-0000-000000000000`;
}

/** Eligible members among the first `buckets` id buckets, by the matcher's rule; all members at BUCKETS. */
export async function countSample(query: Query, campaignId: string, buckets: number): Promise<number> {
  const whole = buckets >= BUCKETS;
  const [row] = await query(
    `WITH ${eligibleCtes(whole ? undefined : '$3::uuid')} SELECT count(*)::int AS n FROM eligible`,
    whole ? [campaignId, null] : [campaignId, null, sampleBound(buckets)],
  );
  return row.n;
}

const halfWidth = (hits: number, buckets: number): number =>
  hits === 0 ? Infinity : Z_95 * Math.sqrt((1 - buckets / BUCKETS) / hits);

export async function countAudience(
  query: Query,
  campaignId: string,
  o: AudienceOptions = AUDIENCE_DEFAULTS,
): Promise<AudienceCount> {
  for (let buckets = Math.min(o.pilotBuckets, BUCKETS); ;) {
    const hits = await countSample(query, campaignId, buckets);
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
    // 10 % to spare; nothing seen yet: a sample eight times larger.
    const seen = (hits * BUCKETS) / buckets;
    const k = Z_95 ** 2 / o.maxRelativeError ** 2;
    const wanted = hits === 0 ? buckets * 8 : Math.ceil(1.1 * BUCKETS * (k / (seen + k)));
    const next = Math.max(wanted, buckets * 2);
    buckets = next > o.exactAboveBuckets ? BUCKETS : next;
  }
}
