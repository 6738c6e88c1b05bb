import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis, { Cluster } from 'ioredis';

const run = promisify(execFile);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A throwaway Redis Cluster of the test's own: `masters` masters with one replica each, the same redis-server
 * binary in cluster mode, created with `redis-cli --cluster create`. Each node's cluster bus is its port + 10000,
 * so ports are taken below the ephemeral range, with both halves checked free. Nothing is persisted to disk except
 * each node's cluster config (a restarted node rejoins as what the cluster says it is).
 */
export class PrivateRedisCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'sway-redis-cluster-'));
  private readonly procs = new Map<number, ChildProcess>();

  private constructor(readonly ports: number[]) {}

  static async start(masters = 3, nodeTimeoutMs = 2_000): Promise<PrivateRedisCluster> {
    const ports: number[] = [];
    // Sequential bases from a random start: a parallel run (another worktree) rarely picks the same block.
    let p = 20_000 + Math.floor(Math.random() * 800) * 10;
    while (ports.length < masters * 2 && p < 30_000) {
      if ((await portFree(p)) && (await portFree(p + 10_000))) ports.push(p);
      p++;
    }
    const c = new PrivateRedisCluster(ports);
    c.nodeTimeoutMs = nodeTimeoutMs;
    await Promise.all(ports.map((port) => c.startNode(port)));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await c.waitHealthy(60_000, masters);
    return c;
  }

  private nodeTimeoutMs = 2_000;

  /** host:port list for REDIS_CLUSTER_NODES (seeds: any nodes will do, the client discovers the rest). */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  client(): Cluster {
    const c = new Cluster(
      this.ports.map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: null } },
    );
    c.on('error', () => undefined);
    return c;
  }

  async startNode(port: number): Promise<void> {
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(this.dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        String(this.nodeTimeoutMs),
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    this.procs.set(port, proc);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (await this.ping(port)) return;
      if (Date.now() > deadline) throw new Error(`redis cluster node ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async ping(port: number): Promise<boolean> {
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }

  private async onNode<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> {
    const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      return await f(r);
    } finally {
      r.disconnect();
    }
  }

  /**
   * Every live node says the cluster is ok and all 16384 slots are served, and at least `replicas` replicas
   * have completed their sync (a replica that never synced cannot be promoted).
   */
  async waitHealthy(timeoutMs = 60_000, replicas = 0): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = [...this.procs.keys()];
      const infos = await Promise.all(
        live.map((p) => this.onNode(p, (r) => r.call('CLUSTER', 'INFO') as Promise<string>).catch(() => '')),
      );
      const roles = await Promise.all(
        live.map((p) => this.onNode(p, (r) => r.call('ROLE') as Promise<unknown[]>).catch(() => [])),
      );
      const synced = roles.filter((r) => r[0] === 'slave' && r[3] === 'connected').length;
      if (infos.every((i) => /cluster_state:ok/.test(i) && /cluster_slots_ok:16384/.test(i)) && synced >= replicas) {
        return;
      }
      if (Date.now() > deadline) throw new Error(`redis cluster not healthy:\n${infos.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The port of the master currently serving `key`'s slot. */
  async masterOf(key: string): Promise<number> {
    const port = [...this.procs.keys()][0];
    const slot = await this.onNode(port, (r) => r.call('CLUSTER', 'KEYSLOT', key) as Promise<number>);
    const slots = (await this.onNode(port, (r) => r.call('CLUSTER', 'SLOTS'))) as [number, number, [string, number]][];
    const range = slots.find(([lo, hi]) => slot >= lo && slot <= hi);
    if (!range) throw new Error(`slot ${slot} unserved`);
    return range[2][1];
  }

  /** After a master died: its replica was promoted, and the cluster serves every slot again. */
  async waitPromoted(key: string, dead: number, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await this.masterOf(key).catch(() => dead);
      if (now !== dead) {
        await this.waitHealthy(Math.max(1_000, deadline - Date.now()));
        return now;
      }
      if (Date.now() > deadline) throw new Error(`no replica of ${dead} was promoted`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The node's role as the node itself reports it. */
  async role(port: number): Promise<string> {
    return this.onNode(port, async (r) => ((await r.call('ROLE')) as [string])[0]);
  }

  /** kill -9 of one node: no shutdown, its replica takes over after the node timeout. */
  async kill(port: number): Promise<void> {
    const p = this.procs.get(port);
    if (!p) return;
    this.procs.delete(port);
    await new Promise<void>((resolve) => {
      if (p.exitCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((p) => this.kill(p)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
