import { hkdfSync } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { QUEUES } from '../common/queue/queues';

/**
 * The only place that reads process.env. Everything else receives an AppConfig, so a test can build one
 * without touching the environment and a missing variable fails at start, not at the first request.
 */
type Role = 'api' | 'worker' | 'all';

export interface AppConfig {
  role: Role;
  port: number;
  host: string;
  databaseUrl: string;
  /** Connections per process; size it for the concurrent requests one API process serves (bench/README.md). */
  databasePoolSize: number;
  redisUrl: string;
  /** Redis Cluster seed nodes (REDIS_CLUSTER_NODES); when set, every Redis client is a Cluster client. */
  redisCluster: RedisClusterConfig | null;
  /** Streaming replicas for reads that may lag (reports, CSV, audience estimates, brand lists). */
  databaseReplicaUrls: string[];
  /** Short parameterised statements as named prepared statements (src/database/auto-prepare.ts). */
  databasePreparedStatements: boolean;
  /** A replica further behind the primary than this is skipped until it catches up (0: no bound). */
  databaseReplicaMaxLagSeconds: number;
  publicBaseUrl: string;
  adminToken: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** Key for keyed hashes (reactor ids, visitor hashes, brand pseudonyms); derived from JWT_SECRET unless set. */
  hashSecret: Buffer;
  stripeSecretKey: string | null;
  stripeWebhookSecret: string | null;
  stripeApiUrl: string | null;
  /** Sway's Connect platform client id (`ca_…`): brands prove they own the account they link through OAuth. */
  stripeConnectClientId: string | null;
  /** Per-request timeout of Stripe API calls (the SDK retries on top of it). */
  stripeTimeoutMs: number;
  platformFeeBps: number;
  rateLimit: { enabled: boolean; defaultPerMinute: number; authPerMinute: number };
  queuePrefix: string;
  logLevel: string;
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  workerConcurrency: number;
  /** WORKER_CONCURRENCY_<QUEUE> (queue name upper-cased, `-` as `_`): one queue's jobs per worker instead. */
  workerConcurrencyByQueue: Record<string, number>;
  webhooks: WebhooksConfig;
  idempotencyLeaseMs: number;
  /** Connectors: where Bluesky is read, and whether Mastodon instances may be plain http (tests, intranets). */
  connectors: {
    bskyAppViewUrl: string;
    bskyResolverUrl: string;
    mastodonAllowHttp: boolean;
    /** Tests only (never from the environment): resolve instance hostnames without real DNS. */
    lookup?: LookupFunction;
  };
  /** Apply pending migrations at start instead of refusing to start (one process at a time, advisory lock). */
  migrateOnStart: boolean;
  /** How long start-up waits for PostgreSQL, and then for Redis, to answer before exiting. */
  startupTimeoutMs: number;
  /** Outgoing mail: `smtp://` or `smtps://` URL (credentials in it); null → mail is written to the log, addressless. */
  mail: { smtpUrl: string | null; from: string };
}

interface RedisClusterConfig {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

interface WebhooksConfig {
  /** `http://` and loopback endpoints (development, tests); never private, link-local or metadata addresses. */
  allowInsecure: boolean;
  timeoutMs: number;
  /** Delay before each attempt (the first is normally 0); its length is the number of attempts. */
  retryScheduleMs: number[];
  /** An endpoint failing this many attempts in a row, for at least `disableAfterMs`, is disabled. */
  disableAfterFailures: number;
  disableAfterMs: number;
  /** How often pending deliveries whose BullMQ job was lost (Redis flushed, worker killed) are re-queued. */
  sweepEveryMs: number;
  /** How long past due a pending delivery must be before the sweeper re-queues it. */
  staleAfterMs: number;
  /** Tests only (never from the environment): resolve hostnames without real DNS. */
  lookup?: LookupFunction;
}

const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '0,5s,5m,30m,2h,5h,10h,14h,20h,24h';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const v = env[name];
  if (v === undefined || v.trim() === '') throw new ConfigError(`${name} is required but not set`);
  return v.trim();
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "250ms", "5s", "5m", "2h", "1d" or plain milliseconds. */
function parseDuration(raw: string): number | null {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] ?? 'ms'] : null;
}

function duration(env: Env, name: string, def: string, minMs: number): number {
  const raw = env[name]?.trim() || def;
  const v = parseDuration(raw);
  if (v === null || v < minMs)
    throw new ConfigError(`${name} must be a duration of at least ${minMs} ms (e.g. 5s), got "${raw}"`);
  return v;
}

function schedule(env: Env, name: string, def: string): number[] {
  const raw = env[name]?.trim() || def;
  const parts = raw.split(',').map((p) => parseDuration(p));
  if (parts.some((p) => p === null) || parts.length < 1 || parts.length > 20) {
    throw new ConfigError(`${name} must be 1 to 20 comma-separated durations (e.g. 0,5s,5m), got "${raw}"`);
  }
  return parts as number[];
}

function url(env: Env, name: string, protocols: string[], value?: string): string {
  const v = value ?? required(env, name);
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')})`);
  }
  if (!protocols.includes(parsed.protocol.replace(':', ''))) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return v;
}

/** The migration CLI needs only the database. */
export function loadDatabaseUrl(env: Env = process.env): string {
  return url(env, 'DATABASE_URL', ['postgres', 'postgresql']);
}

/** `host:port` or `redis://[user:pass@]host:port`, comma-separated; credentials come from the first URL that has them. */
function redisClusterConfig(env: Env): RedisClusterConfig | null {
  const raw = env.REDIS_CLUSTER_NODES?.trim();
  if (!raw) return null;
  const out: RedisClusterConfig = { nodes: [], tls: false };
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    let u: URL;
    try {
      u = new URL(/^[a-z]+:\/\//i.test(part) ? part : `redis://${part}`);
    } catch {
      throw new ConfigError(`REDIS_CLUSTER_NODES must list host:port or redis:// URLs, got "${part}"`);
    }
    if (!['redis:', 'rediss:'].includes(u.protocol) || !u.hostname) {
      throw new ConfigError(`REDIS_CLUSTER_NODES must list host:port or redis:// URLs, got "${part}"`);
    }
    out.nodes.push({ host: u.hostname, port: u.port ? Number(u.port) : 6379 });
    if (u.protocol === 'rediss:') out.tls = true;
    if (u.password && out.password === undefined) {
      out.password = decodeURIComponent(u.password);
      if (u.username) out.username = decodeURIComponent(u.username);
    }
  }
  if (!out.nodes.length) throw new ConfigError('REDIS_CLUSTER_NODES lists no node');
  return out;
}

function replicaUrls(env: Env): string[] {
  const raw = env.DATABASE_REPLICA_URLS?.trim();
  if (!raw) return [];
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((v) => url({ DATABASE_REPLICA_URLS: v }, 'DATABASE_REPLICA_URLS', ['postgres', 'postgresql']));
}

/**
 * One number does not fit every queue: webhook deliveries mostly wait on other people's servers, matching waves
 * keep the database busy. A suffix that names no queue is an error, so a typo does not silently do nothing.
 */
function workerConcurrencyByQueue(env: Env): Record<string, number> {
  const bySuffix = new Map(Object.values(QUEUES).map((q) => [q.toUpperCase().replace(/-/g, '_'), q]));
  const out: Record<string, number> = {};
  for (const name of Object.keys(env)) {
    const suffix = /^WORKER_CONCURRENCY_(.+)$/.exec(name)?.[1];
    if (!suffix || env[name] === undefined || env[name] === '') continue;
    const queue = bySuffix.get(suffix);
    if (!queue) {
      throw new ConfigError(`${name} names no queue (one of ${[...bySuffix.keys()].sort().join(', ')})`);
    }
    out[queue] = int(env, name, 1, 1, 500);
  }
  return out;
}

function connectorsConfig(env: Env): AppConfig['connectors'] {
  const appView = url(
    env,
    'PUBLIC_BSKY_APPVIEW_URL',
    ['http', 'https'],
    env.PUBLIC_BSKY_APPVIEW_URL?.trim() || 'https://public.api.bsky.app',
  ).replace(/\/+$/, '');
  const resolver = env.BSKY_RESOLVER_URL?.trim()
    ? url(env, 'BSKY_RESOLVER_URL', ['http', 'https']).replace(/\/+$/, '')
    : appView;
  return {
    bskyAppViewUrl: appView,
    bskyResolverUrl: resolver,
    mastodonAllowHttp: bool(env, 'MASTODON_ALLOW_HTTP', false),
  };
}

/**
 * Every invalid variable is reported in one go (one line, separated by "; "), so a first start does not turn
 * into a fix-one-rerun loop.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const errors: string[] = [];
  // Runs one read; a ConfigError is collected and the placeholder stands in so the others are still checked.
  function check<T>(read: () => T, placeholder: T): T {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      errors.push(err.message);
      return placeholder;
    }
  }
  const role = check(() => {
    const raw = env.ROLE?.trim() || 'all';
    if (!['api', 'worker', 'all'].includes(raw)) throw new ConfigError(`ROLE must be api, worker or all, got "${raw}"`);
    return raw as Role;
  }, 'all');
  const port = check(() => int(env, 'PORT', 3000, 0, 65535), 3000);
  const adminToken = check(() => {
    const v = required(env, 'ADMIN_TOKEN');
    if (v.length < 16) throw new ConfigError('ADMIN_TOKEN must be at least 16 characters');
    return v;
  }, '');
  const jwtSecret = check(() => {
    const v = required(env, 'JWT_SECRET');
    if (v.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');
    return v;
  }, '');
  const hashSecretRaw = env.HASH_SECRET?.trim();
  if (hashSecretRaw !== undefined && hashSecretRaw !== '' && hashSecretRaw.length < 32) {
    errors.push('HASH_SECRET must be at least 32 characters');
  }
  const hashSecret = hashSecretRaw
    ? Buffer.from(hashSecretRaw)
    : Buffer.from(hkdfSync('sha256', jwtSecret, 'sway', 'keyed-hash', 32));
  const stripeApiUrl = check(
    () => (env.STRIPE_API_URL?.trim() ? url(env, 'STRIPE_API_URL', ['http', 'https']) : null),
    null,
  );
  const publicBaseUrl = check(
    () => url(env, 'PUBLIC_BASE_URL', ['http', 'https'], env.PUBLIC_BASE_URL?.trim() || `http://localhost:${port}`),
    '',
  ).replace(/\/+$/, '');

  const config: AppConfig = {
    role,
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl: check(() => loadDatabaseUrl(env), ''),
    databasePoolSize: check(() => int(env, 'DATABASE_POOL_SIZE', 20, 1, 1_000), 20),
    // With a cluster the seed nodes replace REDIS_URL; a REDIS_URL that is set is still checked.
    redisUrl: check(
      () =>
        env.REDIS_CLUSTER_NODES?.trim() && !env.REDIS_URL?.trim() ? '' : url(env, 'REDIS_URL', ['redis', 'rediss']),
      '',
    ),
    redisCluster: check(() => redisClusterConfig(env), null),
    databaseReplicaUrls: check(() => replicaUrls(env), []),
    databasePreparedStatements: check(() => bool(env, 'DATABASE_PREPARED_STATEMENTS', true), true),
    databaseReplicaMaxLagSeconds: check(() => int(env, 'DATABASE_REPLICA_MAX_LAG_SECONDS', 30, 0, 86_400), 30),
    publicBaseUrl,
    adminToken,
    jwtSecret,
    jwtTtlSeconds: check(() => int(env, 'JWT_TTL_SECONDS', 900, 60, 86_400), 900),
    hashSecret,
    stripeSecretKey: env.STRIPE_SECRET_KEY?.trim() || null,
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET?.trim() || null,
    stripeApiUrl,
    stripeConnectClientId: env.STRIPE_CONNECT_CLIENT_ID?.trim() || null,
    stripeTimeoutMs: check(() => int(env, 'STRIPE_TIMEOUT_MS', 10_000, 100, 120_000), 10_000),
    platformFeeBps: check(() => int(env, 'PLATFORM_FEE_BPS', 1000, 0, 10_000), 1000),
    rateLimit: {
      enabled: check(() => bool(env, 'RATE_LIMIT_ENABLED', true), true),
      defaultPerMinute: check(() => int(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000), 600),
      authPerMinute: check(() => int(env, 'RATE_LIMIT_AUTH_PER_MINUTE', 10, 1, 1_000_000), 10),
    },
    queuePrefix: env.QUEUE_PREFIX?.trim() || '{sway}',
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    trustProxy: check(() => bool(env, 'TRUST_PROXY', false), false),
    shutdownTimeoutMs: check(() => int(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 1_000, 600_000), 25_000),
    workerConcurrency: check(() => int(env, 'WORKER_CONCURRENCY', 8, 1, 500), 8),
    workerConcurrencyByQueue: check(() => workerConcurrencyByQueue(env), {}),
    migrateOnStart: check(() => bool(env, 'MIGRATE_ON_START', false), false),
    startupTimeoutMs: check(() => int(env, 'STARTUP_TIMEOUT_MS', 15_000, 500, 600_000), 15_000),
    webhooks: check(
      () => ({
        allowInsecure: bool(env, 'WEBHOOKS_ALLOW_INSECURE', false),
        timeoutMs: duration(env, 'WEBHOOKS_TIMEOUT', '15s', 100),
        retryScheduleMs: schedule(env, 'WEBHOOKS_RETRY_SCHEDULE', DEFAULT_WEBHOOK_RETRY_SCHEDULE),
        disableAfterFailures: int(env, 'WEBHOOKS_DISABLE_AFTER_FAILURES', 10, 1, 1_000_000),
        disableAfterMs: duration(env, 'WEBHOOKS_DISABLE_AFTER', '72h', 0),
        sweepEveryMs: duration(env, 'WEBHOOKS_SWEEP_INTERVAL', '60s', 100),
        staleAfterMs: duration(env, 'WEBHOOKS_STALE_AFTER', '2m', 0),
      }),
      {} as WebhooksConfig,
    ),
    mail: {
      smtpUrl: check(() => (env.SMTP_URL?.trim() ? url(env, 'SMTP_URL', ['smtp', 'smtps']) : null), null),
      from: env.MAIL_FROM?.trim() || 'Sway <no-reply@localhost>',
    },
    idempotencyLeaseMs: check(() => int(env, 'IDEMPOTENCY_LEASE_MS', 30_000, 500, 3_600_000), 30_000),
    connectors: check(() => connectorsConfig(env), {
      bskyAppViewUrl: '',
      bskyResolverUrl: '',
      mastodonAllowHttp: false,
    }),
  };
  if (errors.length) throw new ConfigError(errors.join('; '));
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
