import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import request from 'supertest';
import { searchPath } from '../../src/database/contexts';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor } from '../factories/claims';
import { createMember, TestMember } from '../factories/influencers';
import { PrivateRedis } from '../support/private-redis';
import { PrivateRedisCluster } from '../support/redis-cluster';
import { ADMIN_TOKEN, JWT_SECRET, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { PgCluster, SwayProcess } from './support/cluster';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/**
 * Issue #21 (1): Sway on a real Redis Cluster (3 masters, 1 replica each), selected by REDIS_CLUSTER_NODES only.
 * Real API and worker processes run queues, schedulers, rate limits and caches on it; a master is killed under
 * load and no acknowledged job is lost; the queue-touching e2e specs run against the same cluster.
 */
const PREFIX = '{sway}';

describe('Redis Cluster', () => {
  let pg: PgCluster;
  let cluster: PrivateRedisCluster;
  let api: SwayProcess;
  let worker: SwayProcess;
  let db: Pool;
  let t: TestApp;
  let brand: TestBrand;
  let campaignId: string;

  beforeAll(async () => {
    [pg, cluster] = await Promise.all([PgCluster.create(), PrivateRedisCluster.start()]);
    await pg.createDatabase('sway');
    const env = {
      DATABASE_URL: pg.url('sway'),
      REDIS_CLUSTER_NODES: cluster.nodes,
      ADMIN_TOKEN,
      JWT_SECRET,
      QUEUE_PREFIX: PREFIX,
      LOG_LEVEL: 'info', // 'sway started' says a process is up
      // Signups are in the auth bucket; the account lockout (also Redis) is what the first test checks.
      RATE_LIMIT_AUTH_PER_MINUTE: '100000',
      RATE_LIMIT_PER_MINUTE: '100000',
      PUBLIC_BASE_URL: 'https://sway.test',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    api = new SwayProcess('api', env, await PrivateRedis.freePort());
    worker = new SwayProcess('worker', env);
    await Promise.all([api.start(), worker.start()]);
    db = new Pool({ connectionString: pg.url('sway'), max: 4, options: `-c search_path=${searchPath()}` });
    t = {
      http: request(api.base),
      db: { query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows },
      config: { platformFeeBps: 1000 },
    } as unknown as TestApp;
    brand = await createBrand(t);
    campaignId = await activeCampaign(t, brand, { inventory: 500, attributionWindowDays: 7 });
  }, 420_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await db?.end().catch(() => undefined);
    await cluster?.stop();
    await pg?.destroy();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db.query(sql, params)).rows[0].n);

  const noCrossSlot = (): void => {
    expect(api.log).not.toMatch(/CROSSSLOT/);
    expect(worker.log).not.toMatch(/CROSSSLOT/);
  };

  it('runs schedulers, outbox jobs, rate limits and health on the cluster, with no CROSSSLOT', async () => {
    // Every job scheduler the worker registered is on the cluster.
    const client = cluster.client();
    try {
      const q = new Queue('maintenance', { connection: client, prefix: PREFIX });
      q.on('error', () => undefined);
      await waitFor(async () => (await q.getJobSchedulersCount()) > 0, 30_000, 'schedulers on the cluster');
      await q.close();
    } finally {
      client.disconnect();
    }
    expect((await fetch(`${api.base}/health`)).status).toBe(200);

    // Outbox → queue → worker: consent withdrawal withdraws the pending offer.
    const member = await createMember(t);
    const [{ id: offerId }] = await t.db.query(
      `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
       VALUES ($1, $2, 'pending', 60, now() + interval '72 hours') RETURNING id`,
      [campaignId, member.id],
    );
    const res = await fetch(`${api.base}/v1/me/consents`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...member.auth },
      body: JSON.stringify({ matching: false, shareStatsWithBrands: false }),
    });
    expect(res.status).toBe(200);
    await waitFor(
      async () => (await db.query(`SELECT status FROM offers WHERE id = $1`, [offerId])).rows[0].status === 'withdrawn',
      30_000,
      'the offer withdrawn through the cluster',
    );

    // A claim, its redirect (link cache) and a conversion: the rollups job counts them.
    const { code } = await claimFor(t, campaignId);
    const r = await fetch(`${api.base}/r/${code}`, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    });
    expect(r.status).toBe(302);

    // Rate limits count in the cluster (rate-limiter-flexible): after five free attempts an account is locked.
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const login = await fetch(`${api.base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password-123' }),
      });
      statuses.push(login.status);
    }
    expect(statuses).toContain(429);
    noCrossSlot();
  });

  it('a master killed under load: every acknowledged consent withdrawal still reaches the worker', async () => {
    const members: { member: TestMember; offerId: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const member = await createMember(t);
      const [{ id }] = await t.db.query(
        `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
         VALUES ($1, $2, 'pending', 60, now() + interval '72 hours') RETURNING id`,
        [campaignId, member.id],
      );
      members.push({ member, offerId: id });
    }
    const master = await cluster.masterOf(PREFIX);
    const acked: string[] = [];
    const withdraw = async ({ member, offerId }: { member: TestMember; offerId: string }): Promise<void> => {
      const res = await fetch(`${api.base}/v1/me/consents`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...member.auth },
        body: JSON.stringify({ matching: false, shareStatsWithBrands: false }),
      });
      if (res.status === 200) acked.push(offerId);
      await res.arrayBuffer();
    };
    // Half before, the rest while the master is dying and its replica takes over.
    const first = members.slice(0, 15);
    const rest = members.slice(15);
    const before = Promise.all(first.map(withdraw));
    await new Promise((r) => setTimeout(r, 300));
    await cluster.kill(master);
    await Promise.all([before, ...rest.map(withdraw)]);
    const promoted = await cluster.waitPromoted(PREFIX, master);
    expect(promoted).not.toBe(master);
    expect(acked.length).toBeGreaterThan(15);

    // The killed node comes back as a replica of the promoted one (what an orchestrator's restart does).
    await cluster.startNode(master);
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n === 0,
      90_000,
      'the outbox drained after the failover',
    );
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM offers WHERE id = ANY($1::uuid[]) AND status = 'withdrawn'`, [
          acked,
        ])) === acked.length,
      90_000,
      'every acknowledged withdrawal done',
    );
    expect((await fetch(`${api.base}/health`)).status).toBe(200);
    expect(worker.log).not.toMatch(/CROSSSLOT/);
  });

  it('the queue-touching e2e specs pass against the cluster', async () => {
    // The same specs `npm test` runs on a single Redis, with REDIS_CLUSTER_NODES instead (test/support/test-app.ts).
    // Every path that touches Redis differently: matching (outbox → queue → worker, waves, top-ups,
    // withdrawals), event-driven matching (job schedulers, sweeps by job id), webhooks (delayed retries, the
    // sweeper), notifications (mail queue, digests) and the login throttle (rate-limiter-flexible's keys).
    const specs = [
      'test/e2e/matching.e2e-spec.ts',
      'test/e2e/event-matching.e2e-spec.ts',
      'test/e2e/webhooks.e2e-spec.ts',
      'test/e2e/notifications.e2e-spec.ts',
      'test/e2e/login-throttle.e2e-spec.ts',
    ];
    let summary = '';
    try {
      const { stderr } = await run(
        process.execPath,
        [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'e2e', '--runInBand', ...specs],
        { cwd: ROOT, env: { ...process.env, TEST_REDIS_CLUSTER_NODES: cluster.nodes }, maxBuffer: 64 * 1024 * 1024 },
      );
      summary = stderr;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`e2e specs failed on the cluster:\n${(e.stderr ?? '').slice(-6000)}`);
    }
    // Every listed spec ran (a renamed file would otherwise drop out silently).
    expect(summary).toMatch(new RegExp(`Test Suites: +${specs.length} passed, ${specs.length} total`));
  }, 900_000);
});
