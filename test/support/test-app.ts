import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createSwayApp } from '../../src/app.factory';
import { PinoNestLogger, createPino } from '../../src/common/logging/logger';
import { AppConfig, loadConfig } from '../../src/config/config';
import { REDIS_URL, databaseUrl, quoteIdent, withAdmin } from './databases';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const JWT_SECRET = 'test-jwt-secret-0123456789-0123456789';

let counter = 0;

/** A fresh database cloned from the migrated template; dropped by `dropTestDatabase`. */
export async function createTestDatabase(): Promise<string> {
  const template = process.env.SWAY_TEMPLATE_DB;
  if (!template) throw new Error('SWAY_TEMPLATE_DB is not set: run through jest (globalSetup)');
  const name = `sway_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`));
      return name;
    } catch (err) {
      // Two workers cloning the template at the same instant: PostgreSQL refuses one; try again.
      if ((err as { code?: string }).code !== '55006' || attempt > 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

export async function dropTestDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  db: DataSource;
  close(): Promise<void>;
}

/** The real app (ROLE=all unless overridden) on its own database and its own Redis key prefix. */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { logStream?: DestinationStream; adjust?: (config: AppConfig) => void } = {},
): Promise<TestApp> {
  const dbName = await createTestDatabase();
  const prefix = `{t-${dbName}}`;
  const config = loadConfig({
    DATABASE_URL: databaseUrl(dbName),
    REDIS_URL,
    ADMIN_TOKEN,
    JWT_SECRET,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    RATE_LIMIT_PER_MINUTE: '100000',
    PUBLIC_BASE_URL: 'https://sway.test',
    ...env,
  });
  // What the environment cannot say (test-only hooks such as a hosts table for DNS).
  opts.adjust?.(config);
  // The production logger (with its scrubbing), so what a test captures is what an operator would read.
  const log = createPino(config.logLevel, opts.logStream);
  const app = (await createSwayApp(config, new PinoNestLogger(log), log)) as NestFastifyApplication;
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    db: app.get(DataSource),
    async close() {
      await app.close();
      await deleteRedisPrefix(prefix);
      await dropTestDatabase(dbName);
    },
  };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
export const admin = bearer(ADMIN_TOKEN);
