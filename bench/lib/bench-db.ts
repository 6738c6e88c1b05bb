import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { createSwayApp, SwayApp } from '../../src/app.factory';
import { PinoNestLogger } from '../../src/common/logging/logger';
import { AppConfig, loadConfig } from '../../src/config/config';
import { REDIS_URL, databaseUrl, quoteIdent, withAdmin } from '../../test/support/databases';
import { deleteRedisPrefix } from '../../test/support/test-app';

export { REDIS_URL, databaseUrl, deleteRedisPrefix, quoteIdent, withAdmin };

const ROOT = join(__dirname, '..', '..');

/**
 * A database of the bench's own, migrated by the real migration CLI (so the schema is exactly production's).
 * Named sway_bench_<what>_<pid>: never someone else's, and a leftover says which process made it.
 */
export async function createBenchDb(what: string, exactName?: string): Promise<{ name: string; url: string }> {
  const name = exactName ?? `sway_bench_${what}_${process.pid}`;
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  const url = databaseUrl(name);
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/database/migrate.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { name, url };
}

export async function databaseExists(name: string): Promise<boolean> {
  return withAdmin(async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1);
}

export async function dropBenchDb(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';
export const BENCH_JWT_SECRET = 'bench-jwt-secret-0123456789-0123456789';

/**
 * The real app built exactly as production builds it (createSwayApp), on the bench database, with its own Redis
 * key prefix. Rate limits off and logs at warn, as load tests should run.
 */
export async function startBenchApp(
  dbUrl: string,
  prefix: string,
  env: Record<string, string> = {},
): Promise<{ app: SwayApp; config: AppConfig }> {
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    REDIS_URL,
    ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    JWT_SECRET: BENCH_JWT_SECRET,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_ENABLED: 'false',
    PUBLIC_BASE_URL: 'https://sway.bench',
    ...env,
  });
  const log = pino({ level: config.logLevel });
  const app = await createSwayApp(config, new PinoNestLogger(log), log);
  return { app, config };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summary(ms: number[]): { median: number; p95: number; min: number; max: number; n: number } {
  const s = [...ms].sort((a, b) => a - b);
  const r = (v: number): number => Math.round(v * 10) / 10;
  return { median: r(quantile(s, 0.5)), p95: r(quantile(s, 0.95)), min: r(s[0]), max: r(s[s.length - 1]), n: s.length };
}

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}
