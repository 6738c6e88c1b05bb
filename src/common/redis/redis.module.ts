import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { Cluster, RedisOptions } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/config';

export const REDIS = Symbol('REDIS');
/** What BullMQ connects with: options for a single Redis, or one shared Cluster client. */
export const BULL_CONNECTION = Symbol('BULL_CONNECTION');

/** Every Redis client of the app is one of these; commands used must be single-key (or one hash tag) for Cluster. */
export type RedisClient = Redis | Cluster;

type RedisTarget = Pick<AppConfig, 'redisUrl' | 'redisCluster'>;

/**
 * The one place a Redis client is made: a single server from REDIS_URL, or a Cluster client from
 * REDIS_CLUSTER_NODES. Everything (BullMQ, rate limits, caches, start-up probe) goes through here, so switching
 * to Cluster is configuration only.
 */
export function createRedisClient(target: RedisTarget, options: RedisOptions): RedisClient {
  const c = target.redisCluster;
  if (!c) return new Redis(target.redisUrl, options);
  const { enableOfflineQueue, lazyConnect, ...perNode } = options;
  return new Cluster(c.nodes, {
    enableOfflineQueue,
    lazyConnect,
    // Reads and writes go to masters: BullMQ's scripts write, and a replica read would see its own lag.
    scaleReads: 'master',
    // Bounded like the single-server client: a cluster that lost quorum surfaces as errors, not a hang.
    clusterRetryStrategy: options.retryStrategy
      ? (times) => options.retryStrategy!(times) ?? null
      : (times) => Math.min(100 * times, 2_000),
    redisOptions: {
      ...perNode,
      ...(c.username ? { username: c.username } : {}),
      ...(c.password ? { password: c.password } : {}),
      ...(c.tls ? { tls: {} } : {}),
    },
  });
}

/**
 * The shared client for rate limits, caches and health. Commands fail fast while Redis is down (no offline
 * queue), so callers can degrade instead of hanging; BullMQ keeps its own blocking connections.
 */
function createRedis(target: RedisTarget, name: string): RedisClient {
  return createRedisClient(target, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
}

/**
 * BullMQ's connection. A single server: options, and BullMQ opens its connections. A cluster: one Cluster client
 * shared by every queue and worker (workers duplicate it for their blocking reads), closed by `RedisCloser`.
 */
export function bullConnection(target: RedisTarget): { url: string; maxRetriesPerRequest: null } | Cluster {
  if (!target.redisCluster) return { url: target.redisUrl, maxRetriesPerRequest: null };
  return createRedisClient(target, { connectionName: 'sway-bull', maxRetriesPerRequest: null }) as Cluster;
}

/**
 * After jobs were added: waits until the replicas attached to the master holding `key`'s slot have them, so a
 * failover right after cannot drop a job the caller then treats as published (Redis replication is asynchronous;
 * WAIT makes it synchronous for this write). `client` must be the connection that wrote: WAIT covers that
 * connection's writes. A master without replicas has nothing to fail over to, so there is nothing to wait for.
 * Single servers are left alone (no failover: AOF is their durability).
 */
export async function waitForReplicas(client: unknown, key: string, timeoutMs: number): Promise<void> {
  const cluster = client as Cluster & { isCluster?: boolean };
  if (!cluster.isCluster) return;
  const slot = (await cluster.call('CLUSTER', 'KEYSLOT', key)) as number;
  const owner = cluster.slots[slot]?.[0];
  const node = cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (!node) throw new Error(`no connection to the master of slot ${slot} yet`);
  const role = (await node.call('ROLE')) as [string, number, unknown[]];
  if (role[0] !== 'master') throw new Error(`${owner} is no longer a master`);
  const attached = role[2].length;
  if (!attached) return;
  const acked = (await node.call('WAIT', 1, timeoutMs)) as number;
  if (acked < 1) throw new Error(`no replica of ${owner} acknowledged the jobs within ${timeoutMs} ms`);
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(BULL_CONNECTION) private readonly bull: ReturnType<typeof bullConnection>,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    const clients = this.bull instanceof Cluster ? [this.redis, this.bull] : [this.redis];
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const r = createRedis(config, 'sway-app');
        // Errors surface where commands are issued; without a listener ioredis would print each reconnect.
        r.on('error', () => undefined);
        return r;
      },
    },
    {
      provide: BULL_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const c = bullConnection(config);
        // BullMQ listens on its own wrapper; a failover's reconnects would otherwise be unhandled here.
        if (c instanceof Cluster) c.on('error', () => undefined);
        return c;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS, BULL_CONNECTION],
})
export class RedisModule {}
