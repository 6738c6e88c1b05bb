import { Client } from 'pg';
import { searchPath } from '../src/database/contexts';
import { hmacPads } from '../src/scoring/keyed-hash';
import { arg } from './lib';
import { hashSecretFromEnv } from './synth/writer';

/**
 * `node -r ts-node/register/transpile-only bench/replicate.ts --db URL --copies 10 [--suffix c]`: scales a synthetic world
 * to copies × its size inside PostgreSQL (set-based INSERT … SELECT), because writing 10M reactions through the
 * Node generator takes far longer than the run it feeds. Copy c gets new member ids, new account ids (and so new
 * keyed hashes), new post ids and a disjoint set of reactors (actor hashes re-hashed with c). Reactions between
 * members become reactions from non-members in the copies (about 1% of reactions).
 */
async function main(): Promise<void> {
  // The tables live in per-context schemas (issue #11): resolve them as the app does.
  const c = new Client({
    connectionString: arg('db', process.env.DATABASE_URL),
    options: `-c search_path=${searchPath()}`,
  });
  await c.connect();
  const copies = Number(arg('copies', '10'));
  // Copying an already replicated world again needs a suffix of its own, or copy k would collide with copy k.
  const tag = arg('suffix', 'c');
  const { ipad, opad } = hmacPads(hashSecretFromEnv());
  const h = (ext: string): string =>
    `substring(sha256($2 || sha256($1 || convert_to('twitter:' || ${ext}, 'UTF8'))) FROM 1 FOR 16)`;
  await c.query(`CREATE TEMP TABLE src_members AS SELECT id FROM influencers`);
  for (let k = 1; k < copies; k++) {
    const t0 = Date.now();
    const sfx = `-${tag}${k}`;
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO influencers (id, email, display_name, password_hash, country, adult_verified_at, consent_matching)
       SELECT md5(i.id::text || $1)::uuid, replace(i.email, '@', $1 || '@'), i.display_name || $1, i.password_hash, i.country, i.adult_verified_at, true
       FROM influencers i JOIN src_members s ON s.id = i.id`,
      [sfx],
    );
    await c.query(
      `INSERT INTO social_accounts (influencer_id, network, handle, external_id)
       SELECT md5(a.influencer_id::text || $1)::uuid, a.network, a.handle || $1, a.external_id || $1
       FROM social_accounts a JOIN src_members s ON s.id = a.influencer_id`,
      [sfx],
    );
    // account hash of the copied account: HMAC of the new external id (same secret as the app).
    await c.query(
      `CREATE TEMP TABLE acct_map ON COMMIT DROP AS
       SELECT ${h('a.external_id')} AS old_h, ${h(`a.external_id || $3`)} AS new_h
       FROM social_accounts a JOIN src_members s ON s.id = a.influencer_id`,
      [ipad, opad, sfx],
    );
    await c.query(
      `INSERT INTO signal_followers (influencer_id, account_hash, day, network, value, occurred_at)
       SELECT md5(f.influencer_id::text || $1)::uuid, m.new_h, f.day, f.network, f.value, f.occurred_at
       FROM signal_followers f JOIN src_members s ON s.id = f.influencer_id JOIN acct_map m ON m.old_h = f.account_hash`,
      [sfx],
    );
    await c.query(
      `INSERT INTO signal_posts (network, post_id, occurred_at, influencer_id, account_hash, topic_ids, url)
       SELECT p.network, p.post_id || $1, p.occurred_at, md5(p.influencer_id::text || $1)::uuid, m.new_h, p.topic_ids, p.url
       FROM signal_posts p JOIN src_members s ON s.id = p.influencer_id JOIN acct_map m ON m.old_h = p.account_hash`,
      [sfx],
    );
    await c.query(
      `INSERT INTO signal_reactions (event_key, occurred_at, influencer_id, network, post_id, kind, actor_hash)
       SELECT substring(sha256(r.event_key || convert_to($1, 'UTF8')) FROM 1 FOR 16), r.occurred_at,
              md5(r.influencer_id::text || $1)::uuid, r.network, r.post_id || $1, r.kind,
              substring(sha256(r.actor_hash || convert_to($1, 'UTF8')) FROM 1 FOR 16)
       FROM signal_reactions r JOIN src_members s ON s.id = r.influencer_id`,
      [sfx],
    );
    await c.query('COMMIT');
    console.log(`copy ${k}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  await c.query('ANALYZE');
  await c.end();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
