import { Client } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { createRedisClient } from '../redis/redis.module';
import { applyMigrations, pendingMigrations } from '../../database/schema-version';
import { typeOrmOptions } from '../../database/typeorm.options';

/** A start-up failure the operator can act on: main prints its message as the one line before exiting. */
class StartupError extends Error {}

/** host:port of a connection URL, never its credentials: the only thing about a dependency that logs name. */
function hostOf(connectionUrl: string, defaultPort: number): string {
  try {
    const u = new URL(connectionUrl);
    // libpq-style `postgres:///db?host=/run/postgresql` names a socket directory instead of a host.
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return `${host}:${u.port || defaultPort}`;
  } catch {
    return 'an unparseable address';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const RETRY_DELAY_MS = 1_000;

/**
 * Retries `attempt` until it succeeds, throws a fatal error (retrying cannot help), or `timeoutMs` runs out.
 * Every failed attempt logs one warning naming the host, so a stuck start is never silent.
 */
async function waitFor(
  what: string,
  timeoutMs: number,
  log: Logger,
  attempt: (remainingMs: number) => Promise<void>,
  isFatal: (err: unknown) => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    try {
      await attempt(Math.max(remaining, 100));
      return;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (isFatal(err)) throw new StartupError(`${what}: ${reason}`);
      const left = deadline - Date.now();
      if (left <= RETRY_DELAY_MS) {
        throw new StartupError(`${what} unreachable after ${Math.round(timeoutMs / 1000)} s (${reason})`);
      }
      log.warn(`${what} unreachable (${reason}); retrying for another ${Math.ceil(left / 1000)} s`);
      await sleep(RETRY_DELAY_MS);
    }
  }
}

// A server that answered with an SQLSTATE (bad password, no such database) will answer the same again, except
// while it is still starting up or out of connection slots.
const retryableSqlStates = new Set(['57P03', '53300']);
function pgFatal(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !retryableSqlStates.has(code);
}

async function waitForPostgres(databaseUrl: string, timeoutMs: number, log: Logger): Promise<void> {
  await waitFor(
    `PostgreSQL at ${hostOf(databaseUrl, 5432)}`,
    timeoutMs,
    log,
    async (remaining) => {
      const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: Math.min(remaining, 3_000) });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    pgFatal,
  );
}

function redisFatal(err: unknown): boolean {
  return /NOAUTH|WRONGPASS|ERR AUTH|invalid password/i.test(err instanceof Error ? err.message : '');
}

async function waitForRedis(
  target: string | Pick<AppConfig, 'redisUrl' | 'redisCluster'>,
  timeoutMs: number,
  log: Logger,
): Promise<void> {
  const t = typeof target === 'string' ? { redisUrl: target, redisCluster: null } : target;
  const where = t.redisCluster
    ? `Redis Cluster at ${t.redisCluster.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`
    : `Redis at ${hostOf(t.redisUrl, 6379)}`;
  await waitFor(
    where,
    timeoutMs,
    log,
    async (remaining) => {
      const client = createRedisClient(t, {
        lazyConnect: true,
        connectTimeout: Math.min(remaining, 2_000),
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
      });
      // connect() rejects with a bare "Connection is closed."; the cause (ECONNREFUSED, ENOTFOUND) comes as an event.
      let cause: Error | undefined;
      client.on('error', (err: Error) => (cause ??= err));
      try {
        await client.connect();
        await client.ping();
      } catch (err) {
        throw cause ?? err;
      } finally {
        client.disconnect();
      }
    },
    redisFatal,
  );
}

/** Refuses to run against a database missing this build's migrations (every call would fail), or applies them. */
async function ensureSchema(config: AppConfig, log: Logger): Promise<void> {
  const dataSource = new DataSource({
    ...typeOrmOptions(config.databaseUrl, { applicationName: `sway-${config.role}-startup`, poolSize: 2 }),
    entities: [],
  });
  await dataSource.initialize();
  try {
    const pending = await pendingMigrations(dataSource);
    if (!pending.length) return;
    if (!config.migrateOnStart) {
      const names = pending.length > 3 ? `${pending.slice(0, 3).join(', ')}, …` : pending.join(', ');
      throw new StartupError(
        `the database lacks ${pending.length} migration(s) of this build (${names}); ` +
          'run "npm run db:migrate" first, or start with MIGRATE_ON_START=true',
      );
    }
    const applied = await applyMigrations(dataSource);
    log.info({ applied }, `applied ${applied.length} migration(s) at start`);
  } finally {
    await dataSource.destroy();
  }
}

/** Everything a process needs before Nest starts: PostgreSQL answers, the schema is current, Redis answers. */
export async function preflight(config: AppConfig, log: Logger): Promise<void> {
  await waitForPostgres(config.databaseUrl, config.startupTimeoutMs, log);
  await ensureSchema(config, log);
  await waitForRedis(config, config.startupTimeoutMs, log);
}
