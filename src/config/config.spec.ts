import { ConfigError, loadConfig } from './config';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sway',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: 'admin-token-0123456789',
  JWT_SECRET: 'x'.repeat(32),
};

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const c = loadConfig(base);
    expect(c.role).toBe('all');
    expect(c.port).toBe(3000);
    expect(c.platformFeeBps).toBe(1000);
    expect(c.rateLimit.enabled).toBe(true);
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.hashSecret).toHaveLength(32);
    expect(c.webhooks).toMatchObject({ allowInsecure: false, timeoutMs: 15_000, disableAfterMs: 72 * 3_600_000 });
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: undefined }, /DATABASE_URL is required/],
    ['REDIS_URL', { REDIS_URL: 'http://x' }, /REDIS_URL must use redis or rediss/],
    ['ROLE', { ROLE: 'web' }, /ROLE must be api, worker or all/],
    ['PORT', { PORT: 'eighty' }, /PORT must be an integer/],
    ['PLATFORM_FEE_BPS', { PLATFORM_FEE_BPS: '20000' }, /PLATFORM_FEE_BPS must be between 0 and 10000/],
    ['JWT_SECRET', { JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    ['RATE_LIMIT_ENABLED', { RATE_LIMIT_ENABLED: 'maybe' }, /RATE_LIMIT_ENABLED must be true or false/],
    ['WEBHOOKS_RETRY_SCHEDULE', { WEBHOOKS_RETRY_SCHEDULE: '0,5x' }, /WEBHOOKS_RETRY_SCHEDULE must be 1 to 20/],
    ['WEBHOOKS_TIMEOUT', { WEBHOOKS_TIMEOUT: '10ms' }, /WEBHOOKS_TIMEOUT must be a duration of at least 100 ms/],
    ['WEBHOOKS_ALLOW_INSECURE', { WEBHOOKS_ALLOW_INSECURE: 'sure' }, /WEBHOOKS_ALLOW_INSECURE must be true/],
  ])('names the variable when %s is wrong', (_name, patch, message) => {
    expect(() => loadConfig({ ...base, ...patch })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...patch })).toThrow(message);
  });

  it('reports every invalid variable at once, on one line', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'x', MIGRATE_ON_START: 'perhaps' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('\n');
    for (const name of ['PORT', 'ADMIN_TOKEN', 'JWT_SECRET', 'DATABASE_URL', 'REDIS_URL', 'MIGRATE_ON_START']) {
      expect(message).toContain(name);
    }
  });

  it('reads WORKER_CONCURRENCY_<QUEUE> per queue and refuses a suffix that names no queue', () => {
    const config = loadConfig({ ...base, WORKER_CONCURRENCY_WEBHOOKS: '40', WORKER_CONCURRENCY_BILLING_EVENTS: '2' });
    expect(config.workerConcurrencyByQueue).toEqual({ webhooks: 40, 'billing-events': 2 });
    expect(loadConfig(base).workerConcurrencyByQueue).toEqual({});
    expect(() => loadConfig({ ...base, WORKER_CONCURRENCY_WEBHOOK: '4' })).toThrow(
      /WORKER_CONCURRENCY_WEBHOOK names no queue/,
    );
    expect(() => loadConfig({ ...base, WORKER_CONCURRENCY_MATCHING: '0' })).toThrow(/between 1 and 500/);
  });

  it('strips a trailing slash from PUBLIC_BASE_URL', () => {
    expect(loadConfig({ ...base, PUBLIC_BASE_URL: 'https://sway.example/' }).publicBaseUrl).toBe(
      'https://sway.example',
    );
  });

  it('selects a Redis Cluster from REDIS_CLUSTER_NODES (REDIS_URL then optional) and lists read replicas', () => {
    const c = loadConfig({
      ...base,
      REDIS_URL: undefined,
      REDIS_CLUSTER_NODES: '127.0.0.1:7001, redis://:s3cret@10.0.0.2:7002,10.0.0.3',
      DATABASE_REPLICA_URLS: 'postgres://r1/sway,postgres://r2/sway',
    });
    expect(c.redisCluster).toEqual({
      nodes: [
        { host: '127.0.0.1', port: 7001 },
        { host: '10.0.0.2', port: 7002 },
        { host: '10.0.0.3', port: 6379 },
      ],
      password: 's3cret',
      tls: false,
    });
    expect(c.databaseReplicaUrls).toEqual(['postgres://r1/sway', 'postgres://r2/sway']);
    expect(loadConfig(base)).toMatchObject({ redisCluster: null, databaseReplicaUrls: [] });
    expect(() => loadConfig({ ...base, REDIS_CLUSTER_NODES: 'http://x:1' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadConfig({ ...base, DATABASE_REPLICA_URLS: 'mysql://x' })).toThrow(/DATABASE_REPLICA_URLS/);
    expect(loadConfig(base).databaseReplicaMaxLagSeconds).toBe(30);
    expect(loadConfig({ ...base, DATABASE_REPLICA_MAX_LAG_SECONDS: '0' }).databaseReplicaMaxLagSeconds).toBe(0);
    expect(() => loadConfig({ ...base, DATABASE_REPLICA_MAX_LAG_SECONDS: '-1' })).toThrow(
      /DATABASE_REPLICA_MAX_LAG_SECONDS/,
    );
  });
});
