import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis, { Cluster } from 'ioredis';
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

/** Set by a harness that runs e2e specs against its own Redis Cluster (test/faults/redis-cluster.fault-spec.ts). */
const CLUSTER_NODES = process.env.TEST_REDIS_CLUSTER_NODES;

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  if (CLUSTER_NODES) {
    const cluster = new Cluster(
      CLUSTER_NODES.split(',').map((n) => ({ host: n.split(':')[0], port: Number(n.split(':')[1]) })),
    );
    cluster.on('error', () => undefined);
    try {
      await new Promise((resolve, reject) => cluster.once('ready', resolve).once('end', reject));
      // Keys live on the master of the prefix's hash tag; SCAN is per node.
      for (const node of cluster.nodes('master')) await deleteMatching(node, prefix);
    } finally {
      cluster.disconnect();
    }
    return;
  }
  const r = new Redis(REDIS_URL);
  try {
    await deleteMatching(r, prefix);
  } finally {
    r.disconnect();
  }
}

async function deleteMatching(r: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
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
    ...(CLUSTER_NODES ? { REDIS_CLUSTER_NODES: CLUSTER_NODES } : { REDIS_URL }),
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
