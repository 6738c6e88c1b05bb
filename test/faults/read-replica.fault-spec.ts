import { Pool } from 'pg';
import request from 'supertest';
import { searchPath } from '../../src/database/contexts';
import { createBrand, TestBrand } from '../factories/brands';
import { activeCampaign, claimFor } from '../factories/claims';
import { PrivateRedis } from '../support/private-redis';
import { ADMIN_TOKEN, JWT_SECRET, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { PgCluster, SwayProcess } from './support/cluster';

/**
 * Issue #21 (2): a streaming replica of the suite's own PostgreSQL (pg_basebackup -R, another port) behind
 * DATABASE_REPLICA_URLS. Lag-tolerant reads (reports, CSV, audience, the brand's campaign list) come from it;
 * writes and read-your-write paths from the primary. Replay is paused to make the lag visible, then the replica
 * is killed: the primary keeps serving everything.
 */
describe('read replica', () => {
  let primary: PgCluster;
  let replica: PgCluster;
  let redis: PrivateRedis;
  let api: SwayProcess;
  let db: Pool;
  let rdb: Pool;
  let t: TestApp;
  let brand: TestBrand;
  let campaignId: string;

  beforeAll(async () => {
    primary = await PgCluster.create();
    redis = new PrivateRedis(await PrivateRedis.freePort());
    await Promise.all([primary.createDatabase('sway'), redis.start()]);
    replica = await primary.replica();
    api = new SwayProcess(
      'api',
      {
        DATABASE_URL: primary.url('sway'),
        DATABASE_REPLICA_URLS: replica.url('sway'),
        REDIS_URL: redis.url,
        ADMIN_TOKEN,
        JWT_SECRET,
        QUEUE_PREFIX: '{replica}',
        LOG_LEVEL: 'info',
        RATE_LIMIT_ENABLED: 'false',
        PUBLIC_BASE_URL: 'https://sway.test',
        SHUTDOWN_TIMEOUT_MS: '5000',
      },
      await PrivateRedis.freePort(),
    );
    await api.start();
    db = new Pool({ connectionString: primary.url('sway'), max: 4, options: `-c search_path=${searchPath()}` });
    rdb = new Pool({ connectionString: replica.url('sway'), max: 2 });
    rdb.on('error', () => undefined); // the replica is killed on purpose
    t = {
      http: request(api.base),
      db: { query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows },
      config: { platformFeeBps: 1000 },
    } as unknown as TestApp;
    brand = await createBrand(t);
    campaignId = await activeCampaign(t, brand, { inventory: 50 });
  }, 420_000);

  afterAll(async () => {
    await api?.kill9();
    await Promise.all([db?.end().catch(() => undefined), rdb?.end().catch(() => undefined)]);
    await redis?.stop();
    await replica?.destroy();
    await primary?.destroy();
  });

  const caughtUp = async (): Promise<void> => {
    const [{ lsn }] = (await db.query(`SELECT pg_current_wal_lsn()::text AS lsn`)).rows;
    await waitFor(
      async () => (await rdb.query(`SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok`, [lsn])).rows[0].ok === true,
      30_000,
      'the replica caught up',
    );
  };
  const get = (path: string) => fetch(`${api.base}${path}`, { headers: brand.auth });
  const report = async () => {
    const res = await get(`/v1/campaigns/${campaignId}/report`);
    expect(res.status).toBe(200);
    return (await res.json()) as { byInfluencer: unknown[]; funnel: { claimed: number } };
  };
  const csvRows = async (): Promise<number> => {
    const res = await get(`/v1/campaigns/${campaignId}/report.csv`);
    expect(res.status).toBe(200);
    return (await res.text()).trim().split('\n').length - 1;
  };

  it('serves reports from the lagging replica while writes and read-your-write reads use the primary', async () => {
    await claimFor(t, campaignId);
    await caughtUp();
    expect((await report()).byInfluencer).toHaveLength(1);

    await rdb.query(`SELECT pg_wal_replay_pause()`);
    try {
      // A claim committed on the primary while the replica stands still.
      const claim = await claimFor(t, campaignId);
      // Read-your-write: the member sees the claim at once (primary).
      const mine = await fetch(`${api.base}/v1/me/claims`, { headers: claim.member.auth });
      expect(mine.status).toBe(200);
      expect(((await mine.json()) as { data: { id: string }[] }).data.map((c) => c.id)).toContain(claim.id);
      // The brand's campaign row (tenant check, counters) is the primary's: two claimed.
      const detail = await get(`/v1/campaigns/${campaignId}`);
      expect(((await detail.json()) as { claimed: number }).claimed).toBe(2);

      // The lag-tolerant reads are answered — from the replica, so without the new claim.
      const r = await report();
      expect(r.byInfluencer).toHaveLength(1);
      expect(r.funnel.claimed).toBe(2);
      expect(await csvRows()).toBe(1);
      expect((await get(`/v1/campaigns/${campaignId}/audience`)).status).toBe(200);
      const list = await get(`/v1/campaigns`);
      expect(list.status).toBe(200);
      expect((await get(`/v1/reports/summary`)).status).toBe(200);
    } finally {
      await rdb.query(`SELECT pg_wal_replay_resume()`);
    }
    await caughtUp();
    expect((await report()).byInfluencer).toHaveLength(2);
    expect(await csvRows()).toBe(2);
  });

  it('a replica further behind than DATABASE_REPLICA_MAX_LAG_SECONDS is skipped until it catches up', async () => {
    const bounded = new SwayProcess(
      'api',
      { ...api.env, DATABASE_REPLICA_MAX_LAG_SECONDS: '2' },
      await PrivateRedis.freePort(),
    );
    await bounded.start();
    try {
      const reportOf = async () => {
        const res = await fetch(`${bounded.base}/v1/campaigns/${campaignId}/report`, { headers: brand.auth });
        expect(res.status).toBe(200);
        return ((await res.json()) as { byInfluencer: unknown[] }).byInfluencer.length;
      };
      expect(await reportOf()).toBe(2);
      await rdb.query(`SELECT pg_wal_replay_pause()`);
      try {
        await claimFor(t, campaignId);
        // The replica stands still with the claim's WAL received but not replayed: once its lag passes 2 s the
        // bounded API answers from the primary, so the third claim appears although the replica lacks it.
        await waitFor(async () => (await reportOf()) === 3, 30_000, 'the lagging replica skipped');
        const [{ n }] = (await rdb.query(`SELECT count(*)::int AS n FROM redemptions.claims`)).rows;
        expect(n).toBe(2);
        expect(bounded.log).toMatch(/read replica lags [\d.]+ s \(bound 2 s\)/);
      } finally {
        await rdb.query(`SELECT pg_wal_replay_resume()`);
      }
      await caughtUp();
      await waitFor(async () => /read replica caught up/.test(bounded.log), 30_000, 'the replica back in use');
      expect(await reportOf()).toBe(3);
    } finally {
      await bounded.kill9();
    }
  });

  it('a dead replica: reads fall back to the primary, writes and health are unaffected', async () => {
    await rdb.end();
    await replica.stop('immediate');
    const claim = await claimFor(t, campaignId);
    expect(claim.id).toBeDefined();
    expect((await fetch(`${api.base}/health`)).status).toBe(200);
    // Fresh from the primary now: the fourth claim is in the report and the CSV.
    expect((await report()).byInfluencer).toHaveLength(4);
    expect(await csvRows()).toBe(4);
    expect((await get(`/v1/campaigns/${campaignId}/audience`)).status).toBe(200);
    expect((await get(`/v1/campaigns`)).status).toBe(200);
    expect(api.log).toMatch(/read replica unavailable, reads go to the primary/);
  });
});
