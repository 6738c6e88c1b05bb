import { InfluencerTokens } from '../../src/influencers/influencer-tokens.service';
import { TestApp, bearer } from '../support/test-app';

/**
 * Sets a member's current scores directly (what a scoring run would publish), so matching tests control
 * eligibility exactly. `overall` goes to topic 0.
 */
export async function setScores(
  t: TestApp,
  influencerId: string,
  scores: { overall?: number; topics?: Record<string, number>; unpublished?: string[] },
): Promise<void> {
  const rows: [number, number, boolean][] = [];
  if (scores.overall !== undefined) rows.push([0, scores.overall, true]);
  for (const [slug, score] of Object.entries(scores.topics ?? {})) {
    const [{ id }] = await t.db.query(`SELECT id FROM topics WHERE slug = $1`, [slug]);
    rows.push([id, score, !(scores.unpublished ?? []).includes(slug)]);
  }
  await t.db.query(
    `INSERT INTO scores (influencer_id, topic_id, score, target, base_score, base_day, percentile, reactors, published,
                         factors, model_version, computed_at, run_id)
     SELECT $1, x.topic_id, x.score, x.score, x.score, current_date, NULL, 50, x.published, '[]'::jsonb, 'v1', now(), gen_random_uuid()
     FROM unnest($2::int[], $3::int[], $4::boolean[]) AS x(topic_id, score, published)
     ON CONFLICT (influencer_id, topic_id) DO UPDATE SET score = EXCLUDED.score, target = EXCLUDED.score, published = EXCLUDED.published`,
    [influencerId, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
}

export interface BulkMember {
  id: string;
  auth: Record<string, string>;
}

/**
 * Many opted-in adult members at once, written in one statement with tokens minted by the real token service;
 * for concurrency tests where 200 argon2 signups would only measure argon2.
 */
export async function insertMembers(
  t: TestApp,
  n: number,
  o: { country?: string; matching?: boolean; coffee?: number } = {},
): Promise<BulkMember[]> {
  const rows: { id: string }[] = await t.db.query(
    `INSERT INTO influencers (email, display_name, password_hash, country, adult_verified_at, consent_matching)
     SELECT 'bulk-' || gen_random_uuid() || '@example.com', 'Bulk ' || g, 'x', $2, now(), $3
     FROM generate_series(1, $1) g RETURNING id`,
    [n, o.country ?? 'US', o.matching ?? true],
  );
  const tokens = t.app.get(InfluencerTokens);
  const members = rows.map((r) => ({ id: r.id, auth: bearer(tokens.sign(r.id)) }));
  if (o.coffee !== undefined) {
    for (const m of members) await setScores(t, m.id, { overall: 50, topics: { coffee: o.coffee } });
  }
  return members;
}
