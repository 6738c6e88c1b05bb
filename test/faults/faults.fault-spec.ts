import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { searchPath } from '../../src/database/contexts';
import request from 'supertest';
import { createBrand, TestBrand } from '../factories/brands';
import { activateOffline, createCampaign } from '../factories/campaigns';
import { activeCampaign, claimFor, quote } from '../factories/claims';
import { createMember, TestMember } from '../factories/influencers';
import { setScores } from '../factories/scores';
import { MATCHING_LOCK_KEY } from '../../src/matching/matching.queue';
import { PrivateRedis } from '../support/private-redis';
import { ADMIN_TOKEN, JWT_SECRET, TestApp, admin } from '../support/test-app';
import { waitFor } from '../support/wait';
import { PgCluster, SwayProcess } from './support/cluster';

/**
 * Issue #12 (7): faults against real processes. The suite owns a PostgreSQL cluster and a Redis, runs Sway as
 * separate API and worker processes, and kills or restarts each. Every scenario checks that nothing acknowledged
 * is lost and nothing is done twice. The table in docs/operations.md lists them.
 */
const PREFIX = '{faults}';
const LEASE_MS = 1500;

describe('faults', () => {
  let pg: PgCluster;
  let redis: PrivateRedis;
  let api: SwayProcess;
  let worker: SwayProcess;
  let db: Pool;
  let t: TestApp;
  let brand: TestBrand;
  let campaignId: string;
  let code: string;

  beforeAll(async () => {
    pg = await PgCluster.create();
    await pg.createDatabase('sway');
    redis = new PrivateRedis(await PrivateRedis.freePort());
    await redis.start();
    const env = {
      DATABASE_URL: pg.url('sway'),
      REDIS_URL: redis.url,
      ADMIN_TOKEN,
      JWT_SECRET,
      QUEUE_PREFIX: PREFIX,
      LOG_LEVEL: 'info', // 'sway started' says a process is up
      RATE_LIMIT_ENABLED: 'false',
      IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
      PUBLIC_BASE_URL: 'https://sway.test',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    api = new SwayProcess('api', env, await PrivateRedis.freePort());
    worker = new SwayProcess('worker', env);
    await Promise.all([api.start(), worker.start()]);
    // The app's search_path, so the factories' unqualified table names resolve as they do in the app.
    db = new Pool({ connectionString: pg.url('sway'), max: 4, options: `-c search_path=${searchPath()}` });
    db.on('error', () => undefined); // PostgreSQL is restarted on purpose below
    // The factories' view of an app: HTTP to the API process, SQL to the suite's database.
    t = {
      http: request(api.base),
      db: { query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows },
      config: { platformFeeBps: 1000 },
    } as unknown as TestApp;
    brand = await createBrand(t);
    campaignId = await activeCampaign(t, brand, { inventory: 200, attributionWindowDays: 7 });
    code = (await claimFor(t, campaignId)).code;
  }, 420_000);

  afterAll(async () => {
    await Promise.all([api?.kill9(), worker?.kill9()]);
    await db?.end().catch(() => undefined);
    await redis?.stop();
    await pg?.destroy();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db.query(sql, params)).rows[0].n);

  const redirect = async (): Promise<string | null> => {
    const res = await fetch(`${api.base}/r/${code}`, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    });
    if (res.status !== 302) throw new Error(`redirect answered ${res.status}`);
    return new URL(res.headers.get('location')!).searchParams.get('sway_click');
  };

  it('kill -9 of the API under mixed load: no acknowledged click, conversion, signup or claim is lost or doubled', async () => {
    // Members with a pending offer each, so claims are part of the load.
    const offers: { id: string; member: TestMember }[] = [];
    for (let i = 0; i < 8; i++) {
      const member = await createMember(t);
      const [{ id }] = await t.db.query(
        `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
         VALUES ($1, $2, 'pending', 60, now() + interval '72 hours') RETURNING id`,
        [campaignId, member.id],
      );
      offers.push({ id, member });
    }
    interface Sent {
      key: string;
      path: string;
      headers: Record<string, string>;
      body?: unknown;
      status?: number;
    }
    const clickIds: string[] = [];
    const sent: Sent[] = [];
    let stop = false;
    let n = 0;
    const post = async (s: Sent): Promise<void> => {
      sent.push(s);
      try {
        const res = await fetch(`${api.base}${s.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': s.key, ...s.headers },
          body: s.body === undefined ? undefined : JSON.stringify(s.body),
        });
        s.status = res.status;
        await res.arrayBuffer();
      } catch {
        // the API died with this request in flight: retried below with the same key
      }
    };
    const clicks = async (): Promise<void> => {
      while (!stop) {
        try {
          const id = await redirect();
          if (id) clickIds.push(id);
        } catch {
          return; // the API is gone
        }
      }
    };
    const writes = async (): Promise<void> => {
      while (!stop) {
        const i = ++n;
        if (i % 3 === 0) {
          await post({
            key: `sig-${i}`,
            path: '/v1/brands',
            headers: {},
            body: { name: `Load ${i}`, email: `load${i}@brand.example` },
          });
        } else if (i % 5 === 0 && offers.length) {
          const o = offers.pop()!;
          await post({ key: `claim-${i}`, path: `/v1/me/offers/${o.id}/claim`, headers: o.member.auth, body: {} });
        } else {
          await post({
            key: `conv-${i}`,
            path: '/v1/conversions',
            headers: brand.auth,
            body: { orderId: `load-${i}`, amountCents: 100 + i, currency: 'usd', code },
          });
        }
      }
    };
    const load = Promise.all([...Array.from({ length: 6 }, clicks), ...Array.from({ length: 4 }, writes)]);
    await new Promise((r) => setTimeout(r, 2_500));
    await api.kill9();
    stop = true;
    await load;
    expect(clickIds.length).toBeGreaterThan(50);

    // Every click id a visitor received names a stored click.
    const stored = await count(`SELECT count(*) AS n FROM clicks WHERE id = ANY($1::uuid[])`, [clickIds]);
    expect(stored).toBe(clickIds.length);

    // Retried with the same key after the restart, every request ends answered; none is done twice.
    await api.start();
    for (const s of sent.filter((x) => x.status === undefined || x.status === 409)) {
      await waitFor(
        async () => {
          const res = await fetch(`${api.base}${s.path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': s.key, ...s.headers },
            body: s.body === undefined ? undefined : JSON.stringify(s.body),
          });
          const body = (await res.json()) as { code?: string };
          if (res.status === 409 && body.code === 'idempotency_in_progress') return false; // lease still running
          s.status = res.status;
          return true;
        },
        LEASE_MS * 10,
        `retry of ${s.key}`,
      );
    }
    const ok = (prefix: string) => sent.filter((s) => s.key.startsWith(prefix) && s.status! < 300);
    expect(sent.filter((s) => !(s.status! < 300 || s.status === 409)).map((s) => `${s.key} ${s.status}`)).toEqual([]);
    const orders = ok('conv-').map((s) => (s.body as { orderId: string }).orderId);
    expect(await count(`SELECT count(*) AS n FROM conversions WHERE order_id = ANY($1)`, [orders])).toBe(orders.length);
    const emails = ok('sig-').map((s) => (s.body as { email: string }).email);
    expect(await count(`SELECT count(*) AS n FROM brands WHERE email = ANY($1)`, [emails])).toBe(emails.length);
    const claimed = ok('claim-').length;
    expect(
      await count(`SELECT count(*) AS n FROM offers WHERE campaign_id = $1 AND status = 'claimed'`, [campaignId]),
    ).toBe(claimed + 1);
  });

  it('PostgreSQL restarted: 503 problem+json while down, links still redirect, recovery without restarting Sway', async () => {
    await redirect(); // the link is cached in the API
    await pg.stop('immediate');
    try {
      const health = await fetch(`${api.base}/health`);
      expect(health.status).toBe(503);
      const read = await fetch(`${api.base}/v1/campaigns/${campaignId}`, { headers: brand.auth });
      expect(read.status).toBe(503);
      expect(read.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const write = await fetch(`${api.base}/v1/conversions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...brand.auth },
        body: JSON.stringify({ orderId: 'pg-down', amountCents: 100, currency: 'usd', code }),
      });
      expect(write.status).toBe(503);
      // The link works, but no click id is claimed for a click that could not be stored.
      expect(await redirect()).toBeNull();
    } finally {
      await pg.start();
    }
    await waitFor(async () => (await fetch(`${api.base}/health`)).status === 200, 30_000, 'health after restart');
    const id = await waitFor(() => redirect(), 10_000, 'a click id again');
    expect(await count(`SELECT count(*) AS n FROM clicks WHERE id = $1`, [id])).toBe(1);
  });

  it('Redis restarted empty: every job scheduler comes back, the API recovers', async () => {
    const queue = (name: string) => {
      const q = new Queue(name, { connection: { url: redis.url, maxRetriesPerRequest: null }, prefix: PREFIX });
      q.on('error', () => undefined);
      return q;
    };
    const names = [
      'maintenance',
      'matching',
      'offers',
      'billing-events',
      'campaigns',
      'redemptions',
      'scoring',
      'rollups',
    ];
    const schedulers = async (): Promise<number> => {
      let total = 0;
      for (const name of names) {
        const q = queue(name);
        try {
          total += await q.getJobSchedulersCount();
        } finally {
          await q.close();
        }
      }
      return total;
    };
    const before = await schedulers();
    expect(before).toBeGreaterThan(10);
    await redis.stop();
    await redis.start();
    expect(await schedulers()).toBe(0);
    await waitFor(async () => (await schedulers()) === before, 30_000, 'schedulers restored');
    await waitFor(async () => (await fetch(`${api.base}/health`)).status === 200, 30_000, 'health after restart');
  });

  it('crash between commit and enqueue: the outbox delivers after the processes come back', async () => {
    const member = await createMember(t);
    const [{ id: offerId }] = await t.db.query(
      `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
       VALUES ($1, $2, 'pending', 60, now() + interval '72 hours') RETURNING id`,
      [campaignId, member.id],
    );
    // Redis down: the consent withdrawal commits with its outbox row, and nothing can be published.
    await redis.stop();
    const res = await fetch(`${api.base}/v1/me/consents`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...member.auth },
      body: JSON.stringify({ matching: false, shareStatsWithBrands: false }),
    });
    expect(res.status).toBe(200);
    expect(
      await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'member-matching-withdrawn'`),
    ).toBeGreaterThan(0);
    await Promise.all([api.kill9(), worker.kill9()]);
    await redis.start(); // empty
    await Promise.all([api.start(), worker.start()]);
    await waitFor(
      async () => (await db.query(`SELECT status FROM offers WHERE id = $1`, [offerId])).rows[0].status === 'withdrawn',
      30_000,
      'the pending offer withdrawn',
    );
    expect(await count(`SELECT count(*) AS n FROM outbox`)).toBe(0);
  });

  it('kill -9 of a worker mid-job (matching wave, scoring run, refund): another worker finishes each, once', async () => {
    // Five eligible members (scores set directly, as a run would publish them) for a wave that wants up to 20.
    const members: { id: string }[] = await t.db.query(
      `INSERT INTO influencers (email, display_name, password_hash, country, adult_verified_at, consent_matching)
       SELECT 'fault-' || gen_random_uuid() || '@example.com', 'Fault ' || g, 'x', 'US', now(), true
       FROM generate_series(1, 5) g RETURNING id`,
    );
    for (const m of members) await setScores(t, m.id, { overall: 50, topics: { coffee: 60 } });
    const ids = members.map((m) => m.id);
    const wave = (await createCampaign(t, brand, { inventory: 10 })).id;
    const refundable = await activeCampaign(t, brand, { inventory: 5 });

    // Each job blocks on a lock the test holds, inside its own transaction: the wave and the run on their advisory
    // locks, the refund on the ledger insert after it has planned the amount.
    // The refundable campaign's own (empty) wave is done, so the only wave the locks catch is the one under test.
    const matching = new Queue('matching', {
      connection: { url: redis.url, maxRetriesPerRequest: null },
      prefix: PREFIX,
    });
    matching.on('error', () => undefined);
    try {
      await waitFor(
        async () =>
          (await count(`SELECT count(*) AS n FROM outbox`)) === 0 &&
          (await matching.getActiveCount()) + (await matching.getWaitingCount()) === 0,
        20_000,
        'matching idle',
      );
    } finally {
      await matching.close();
    }
    const lock = await db.connect();
    const scoringLock = await db.connect();
    let runId: string;
    try {
      await lock.query('BEGIN');
      // The wave's own campaign lock (waves of other campaigns no longer share one).
      await lock.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [MATCHING_LOCK_KEY, wave]);
      await scoringLock.query(`SELECT pg_advisory_lock(hashtext('sway:scoring-run'))`);
      // Activation books the funding in the ledger, so it goes before the ledger lock.
      await activateOffline(t, wave, quote(10, 1800, t.config.platformFeeBps));
      await lock.query('LOCK TABLE ledger_entries IN EXCLUSIVE MODE');
      const close = await fetch(`${api.base}/v1/campaigns/${refundable}/close`, {
        method: 'POST',
        headers: brand.auth,
      });
      expect(close.status).toBeLessThan(300);
      const run = await fetch(`${api.base}/v1/scoring/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `fault-run-${Date.now()}`, ...admin },
        body: '{}',
      });
      expect(run.status).toBe(202);
      runId = ((await run.json()) as { runId: string }).runId;
      const waiting = async (event: string, like: string): Promise<number> =>
        count(
          `SELECT count(*) AS n FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND wait_event = $1 AND application_name = 'sway-worker' AND query LIKE $2`,
          [event, like],
        );
      await waitFor(
        async () =>
          (await waiting('advisory', 'SELECT pg_advisory_xact_lock($1::int, hashtext%')) === 1 &&
          (await waiting('advisory', '%sway:scoring-run%')) === 1 &&
          (await waiting('relation', 'INSERT INTO ledger_entries%')) === 1,
        20_000,
        'the wave, the run and the refund waiting mid-transaction',
      );
      await worker.kill9();
      await worker.start();
      // The wave first, so the run (which drops topic scores it did not compute) cannot change who is eligible.
      await lock.query('COMMIT');
      const offers = async () =>
        (
          await db.query(
            `SELECT count(*)::int AS n, count(DISTINCT influencer_id)::int AS d FROM offers WHERE campaign_id = $1`,
            [wave],
          )
        ).rows[0] as { n: number; d: number };
      // BullMQ hands the dead worker's jobs to the live one once their locks expire (stalled-job check).
      await waitFor(async () => (await offers()).n >= 5, 150_000, 'the wave made by the new worker');
      await waitFor(
        async () =>
          (await count(`SELECT count(*) AS n FROM ledger_entries WHERE campaign_id = $1 AND kind = 'refund'`, [
            refundable,
          ])) > 0,
        150_000,
        'the refund booked by the new worker',
      );
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      lock.release();
      await scoringLock.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
      scoringLock.release();
    }
    const status = async () => (await db.query(`SELECT status, scored FROM score_runs WHERE id = $1`, [runId])).rows[0];
    await waitFor(async () => (await status()).status === 'succeeded', 180_000, 'the run finished by the new worker');
    await new Promise((r) => setTimeout(r, 1_000));

    // The wave: exactly one offer per eligible member, as an uninterrupted wave makes.
    const made = (
      await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT influencer_id)::int AS d FROM offers WHERE campaign_id = $1`,
        [wave],
      )
    ).rows[0];
    expect(made).toEqual({ n: 5, d: 5 });
    expect(
      await count(`SELECT count(*) AS n FROM offers WHERE campaign_id = $1 AND influencer_id = ANY($2::uuid[])`, [
        wave,
        ids,
      ]),
    ).toBe(5);
    // The run: succeeded once, one current score and one history row per member, all from this run.
    const { scored } = await status();
    expect(scored).toBe(5);
    expect(await count(`SELECT count(*) AS n FROM score_runs WHERE status = 'running'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM scores WHERE run_id = $1 AND topic_id = 0`, [runId])).toBe(5);
    expect(
      await count(
        `SELECT count(DISTINCT influencer_id) AS n FROM score_history WHERE run_id = $1 AND influencer_id = ANY($2::uuid[])`,
        [runId, ids],
      ),
    ).toBe(5);
    expect(await count(`SELECT count(*) AS n FROM score_history WHERE run_id = $1`, [runId])).toBe(5);
    // The refund: booked once, and the ledger adds up to zero owed (funded = spent + fees + refunded).
    const ledger = (
      await db.query(
        `SELECT kind, count(*)::int AS n, sum(amount_cents)::int AS cents FROM ledger_entries WHERE campaign_id = $1 GROUP BY kind`,
        [refundable],
      )
    ).rows as { kind: string; n: number; cents: number }[];
    const of = (kind: string) => ledger.find((l) => l.kind === kind) ?? { n: 0, cents: 0 };
    expect(of('refund').n).toBe(1);
    expect(of('funding').cents).toBe(quote(5, 1800, t.config.platformFeeBps));
    expect(of('funding').cents - of('claim_spend').cents - of('platform_fee').cents - of('refund').cents).toBe(0);
    expect(of('refund').cents).toBeGreaterThan(0);
  });

  it('kill -9 of a worker mid-job (erasure): another worker finishes it, once', async () => {
    const member = await createMember(t);
    const lock = await db.connect();
    try {
      // The erasure job blocks on a table its scoring part deletes from, so the kill lands mid-job, in its
      // transaction.
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE scores IN ACCESS EXCLUSIVE MODE');
      const res = await fetch(`${api.base}/v1/me`, { method: 'DELETE', headers: member.auth });
      expect(res.status).toBe(202);
      await waitFor(
        async () =>
          (
            await db.query(
              `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'sway-worker'`,
            )
          ).rowCount,
        20_000,
        'the erasure job waiting mid-transaction',
      );
      await worker.kill9();
      await lock.query('COMMIT');
    } finally {
      lock.release();
    }
    await worker.start();
    // BullMQ hands the job of the dead worker to the live one once its lock expires (stalled-job check).
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM audit_log WHERE influencer_id = $1 AND action = 'erasure_completed'`, [
          member.id,
        ])) > 0,
      150_000,
      'the erasure completed by the new worker',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(
      await count(`SELECT count(*) AS n FROM audit_log WHERE influencer_id = $1 AND action = 'erasure_completed'`, [
        member.id,
      ]),
    ).toBe(1);
  });

  it('the API answers the operator while all this happened', async () => {
    const res = await fetch(`${api.base}/v1/admin/campaigns/${campaignId}`, { headers: admin });
    expect(res.status).toBeLessThan(500);
  });
});
