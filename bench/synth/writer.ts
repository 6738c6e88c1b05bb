import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config';
import { typeOrmOptions } from '../../src/database/typeorm.options';
import { accountHash, reactionEventKey } from '../../src/scoring/keyed-hash';
import { ScoringRepository } from '../../src/scoring/scoring.repository';
import { DAY, SynthMember, SynthPost, SynthReaction, hash32 } from './generator';

/** The app's keyed-hash secret, derived exactly as the app does (HASH_SECRET, else from JWT_SECRET). */
export function hashSecretFromEnv(): Buffer {
  return loadConfig({
    ADMIN_TOKEN: 'synthetic-admin-token-0000',
    REDIS_URL: 'redis://127.0.0.1:6379',
    JWT_SECRET: 'synthetic-jwt-secret-0123456789-0123456789',
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/sway_dev',
  }).hashSecret;
}

/** A stable UUID per (seed, member), so the writer never needs the database to tell it ids. */
export function memberUuid(seed: number, i: number): string {
  const h = [hash32(seed, 9, i, 1), hash32(seed, 9, i, 2), hash32(seed, 9, i, 3), hash32(seed, 9, i, 4)]
    .map((x) => x.toString(16).padStart(8, '0'))
    .join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const BATCH = 20_000;

/** Direct database writer for the demo and the benchmarks: multi-row INSERT … SELECT FROM unnest(…) batches. */
export class DbWriter {
  private reactions: SynthReaction[] = [];
  private posts: SynthPost[] = [];
  written = { members: 0, posts: 0, reactions: 0, followers: 0 };

  constructor(
    private readonly client: Client,
    private readonly secret: Buffer,
    private readonly seed: number,
    private readonly members: SynthMember[],
  ) {}

  static async ensurePartitions(url: string, from: number, to: number): Promise<void> {
    const ds = new DataSource(typeOrmOptions(url, { poolSize: 1 }));
    await ds.initialize();
    try {
      await new ScoringRepository(ds).ensurePartitions(new Date(from), new Date(to));
    } finally {
      await ds.destroy();
    }
  }

  async writeMembers(end: number): Promise<void> {
    for (let s = 0; s < this.members.length; s += BATCH) {
      const ms = this.members.slice(s, s + BATCH);
      const ids = ms.map((m) => memberUuid(this.seed, m.index));
      await this.client.query(
        `INSERT INTO influencers (id, email, display_name, password_hash, country, adult_verified_at, consent_matching)
         SELECT id, 'synth-' || $2::text || '-' || i || '@example.invalid', 'Synthetic ' || i, '!synthetic-no-login', 'US', now(), true
         FROM unnest($1::uuid[], $3::int[]) AS t(id, i) ON CONFLICT DO NOTHING`,
        [ids, String(this.seed), ms.map((m) => m.index)],
      );
      await this.client.query(
        `INSERT INTO social_accounts (influencer_id, network, handle, external_id)
         SELECT id, 'twitter', '@' || ext, ext FROM unnest($1::uuid[], $2::text[]) AS t(id, ext) ON CONFLICT DO NOTHING`,
        [ids, ms.map((m) => m.externalId)],
      );
      // Follower snapshots: one a week, drifting slowly, the last one a day before the end.
      const fo = { id: [] as string[], h: [] as Buffer[], v: [] as number[], at: [] as Date[] };
      for (const m of ms) {
        const h = accountHash(this.secret, 'twitter', m.externalId);
        // Bought followers arrive at once, 2–8 weeks before the end: the snapshots jump ×10 with no engagement.
        const jump = m.bought ? 2 + (m.index % 7) : Infinity;
        for (let w = 0; w < 13; w++) {
          fo.id.push(memberUuid(this.seed, m.index));
          fo.h.push(h);
          fo.v.push(Math.round((w >= jump ? m.followers / 10 : m.followers) * (1 - 0.002 * w)));
          fo.at.push(new Date(end - DAY - w * 7 * DAY));
        }
      }
      await this.client.query(
        `INSERT INTO signal_followers (influencer_id, account_hash, day, network, value, occurred_at)
         SELECT id, h, (at AT TIME ZONE 'UTC')::date, 'twitter', v, at
         FROM unnest($1::uuid[], $2::bytea[], $3::bigint[], $4::timestamptz[]) AS t(id, h, v, at) ON CONFLICT DO NOTHING`,
        [fo.id, fo.h, fo.v, fo.at],
      );
      this.written.members += ms.length;
      this.written.followers += fo.id.length;
    }
  }

  async add(posts: SynthPost[], reactions: SynthReaction[]): Promise<void> {
    this.posts.push(...posts);
    for (const r of reactions) this.reactions.push(r);
    if (this.posts.length >= BATCH) await this.flushPosts();
    if (this.reactions.length >= BATCH) await this.flushReactions();
  }

  async flush(): Promise<void> {
    await this.flushPosts();
    await this.flushReactions();
  }

  private async flushPosts(): Promise<void> {
    if (!this.posts.length) return;
    const ps = this.posts;
    this.posts = [];
    await this.client.query(
      `INSERT INTO signal_posts (network, post_id, occurred_at, influencer_id, account_hash, topic_ids)
       SELECT 'twitter', pid, at, id, h, tids::int[]
       FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::bytea[], $5::text[]) AS t(pid, at, id, h, tids)
       ON CONFLICT DO NOTHING`,
      [
        ps.map((p) => p.postId),
        ps.map((p) => new Date(p.at)),
        ps.map((p) => memberUuid(this.seed, p.member)),
        ps.map((p) => accountHash(this.secret, 'twitter', this.members[p.member].externalId)),
        ps.map((p) => `{${[...p.topics].sort((a, b) => a - b).join(',')}}`),
      ],
    );
    this.written.posts += ps.length;
  }

  private async flushReactions(): Promise<void> {
    if (!this.reactions.length) return;
    const rs = this.reactions;
    this.reactions = [];
    const actor = rs.map((r) => accountHash(this.secret, 'twitter', r.actor));
    await this.client.query(
      `INSERT INTO signal_reactions (event_key, occurred_at, influencer_id, network, post_id, kind, actor_hash)
       SELECT k, at, id, 'twitter', pid, kind, a
       FROM unnest($1::bytea[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::bytea[]) AS t(k, at, id, pid, kind, a)
       ON CONFLICT DO NOTHING`,
      [
        rs.map((r, i) => reactionEventKey('twitter', r.postId, r.type, actor[i])),
        rs.map((r) => new Date(r.at)),
        rs.map((r) => memberUuid(this.seed, r.member)),
        rs.map((r) => r.postId),
        rs.map((r) => r.type),
        actor,
      ],
    );
    this.written.reactions += rs.length;
  }
}
