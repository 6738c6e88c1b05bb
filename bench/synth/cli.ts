import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { searchPath } from '../../src/database/contexts';
import { DAY, SynthParams, SynthReaction, generateActivity, generateMembers } from './generator';
import { DbWriter, hashSecretFromEnv, memberUuid } from './writer';

/**
 * `npm run synth -- --members N --seed S [--days D] [--end YYYY-MM-DD] [--rate R] [--out db|api] [--truth FILE]`
 * - `--out db` (default): writes members, linked accounts, follower snapshots, posts and reactions straight to
 *   DATABASE_URL with set-based INSERTs (demo, evaluation, benchmarks).
 * - `--out api`: signs members up and links accounts through the real API at `--api-url` (default
 *   http://localhost:3000), then posts the signals in batches of 5,000 with ADMIN_TOKEN (small N).
 * Ground truth goes to `--truth` (default bench/.out/truth-s<seed>-n<N>.json), never to the database.
 */
function args(): Record<string, string> {
  const out: Record<string, string> = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++)
    if (a[i].startsWith('--')) out[a[i].slice(2)] = a[i + 1]?.startsWith('--') ? 'true' : a[++i];
  return out;
}

export async function topicPool(client: Client): Promise<number[]> {
  // Real ontology topics that sit under at least one parent (so roll-up has somewhere to go), in a stable order.
  const { rows } = await client.query<{ id: number }>(
    `SELECT t.id FROM topics t WHERE EXISTS (SELECT 1 FROM topic_edges e WHERE e.child_id = t.id) AND NOT t.is_super
     ORDER BY t.slug LIMIT 400`,
  );
  return rows.map((r) => r.id);
}

async function main(): Promise<void> {
  const a = args();
  const end = a.end ? Date.parse(`${a.end}T00:00:00Z`) : Math.floor(Date.now() / DAY) * DAY;
  const p: SynthParams = {
    members: Number(a.members ?? 1000),
    seed: Number(a.seed ?? 1),
    days: Number(a.days ?? 90),
    end,
    reactionsPer90d: Number(a.rate ?? 100),
  };
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (topics are read from it; --out db writes to it)');
  const client = new Client({ connectionString: url, options: `-c search_path=${searchPath()}` });
  await client.connect();
  const t0 = Date.now();
  const members = generateMembers(p, await topicPool(client));
  const truthFile = a.truth ?? join(__dirname, '..', '.out', `truth-s${p.seed}-n${p.members}.json`);
  const labels = new Map<number, { bot: number; pod: number; organic: number }>();
  const count = (rs: SynthReaction[]): void => {
    for (const r of rs) {
      const l = labels.get(r.member) ?? { bot: 0, pod: 0, organic: 0 };
      if (r.label === 'bot' || r.label === 'slowbot') l.bot++;
      else if (r.label === 'pod' || r.label === 'ring') l.pod++;
      else l.organic++;
      labels.set(r.member, l);
    }
  };

  if ((a.out ?? 'db') === 'api') {
    await viaApi(a['api-url'] ?? 'http://localhost:3000', p, members, count);
  } else {
    await DbWriter.ensurePartitions(url, end - p.days * DAY - 31 * DAY, end + 31 * DAY);
    const w = new DbWriter(client, hashSecretFromEnv(), p.seed, members);
    await w.writeMembers(end);
    for (const { posts, reactions } of generateActivity(p, members)) {
      count(reactions);
      await w.add(posts, reactions);
    }
    await w.flush();
    await client.query('ANALYZE signal_reactions; ANALYZE signal_posts; ANALYZE signal_followers');
    console.log(`wrote ${JSON.stringify(w.written)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  await client.end();
  mkdirSync(dirname(truthFile), { recursive: true });
  writeFileSync(
    truthFile,
    JSON.stringify({
      params: p,
      members: members.map((m) => ({
        id: memberUuid(p.seed, m.index),
        externalId: m.externalId,
        followers: m.followers,
        quality: m.quality,
        bought: m.bought,
        botCustomer: m.botCustomer,
        pod: m.pod,
        slowBotCustomer: m.slowBotCustomer,
        ring: m.ring,
        reactions: labels.get(m.index) ?? { bot: 0, pod: 0, organic: 0 },
      })),
    }),
  );
  console.log(`ground truth: ${truthFile}`);
}

async function viaApi(
  base: string,
  p: SynthParams,
  members: ReturnType<typeof generateMembers>,
  count: (rs: SynthReaction[]) => void,
): Promise<void> {
  const admin = process.env.ADMIN_TOKEN;
  if (!admin) throw new Error('ADMIN_TOKEN is required for --out api');
  const post = async (path: string, body: unknown, token: string): Promise<Record<string, unknown>> => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const slugs = new Map<number, string>();
  const client = new Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${searchPath()}` });
  await client.connect();
  for (const r of (await client.query<{ id: number; slug: string }>(`SELECT id, slug FROM topics`)).rows)
    slugs.set(r.id, r.slug);
  await client.end();
  for (const m of members) {
    const s = await post(
      '/v1/influencers',
      {
        email: `synth-${p.seed}-${m.index}@example.com`,
        password: 'synthetic-password-123',
        displayName: `Synthetic ${m.index}`,
        dateOfBirth: '1990-01-01',
        country: 'US',
        consents: { matching: true, shareStatsWithBrands: false },
      },
      '',
    );
    await post(
      '/v1/me/social-accounts',
      { network: 'twitter', handle: `@${m.externalId}`, externalId: m.externalId },
      String(s.accessToken),
    );
  }
  let batch: Record<string, unknown>[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length) await post('/v1/signals', { events: batch }, admin);
    batch = [];
  };
  const pending: Record<string, unknown>[][] = [];
  for (const { posts, reactions } of generateActivity(p, members)) {
    count(reactions);
    const evs: Record<string, unknown>[] = [];
    for (const x of posts) {
      evs.push({
        type: 'post',
        network: 'twitter',
        externalId: members[x.member].externalId,
        postId: x.postId,
        occurredAt: new Date(x.at).toISOString(),
        topics: x.topics.map((t) => slugs.get(t)!),
      });
    }
    for (const r of reactions) {
      evs.push({
        type: r.type,
        network: 'twitter',
        externalId: members[r.member].externalId,
        postId: r.postId,
        actorExternalId: r.actor,
        occurredAt: new Date(r.at).toISOString(),
      });
    }
    pending.push(evs);
  }
  for (const m of members) {
    pending.push([
      {
        type: 'followers',
        network: 'twitter',
        externalId: m.externalId,
        value: m.followers,
        occurredAt: new Date(p.end - DAY).toISOString(),
      },
    ]);
  }
  for (const evs of pending) {
    for (const e of evs) {
      batch.push(e);
      if (batch.length === 5000) await flush();
    }
  }
  await flush();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
