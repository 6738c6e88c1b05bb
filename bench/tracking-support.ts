import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect as netConnect, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../src/database/typeorm.options';
import { generateRedemptionCode } from '../src/redemptions/redemption-code';

/** Shared by bench/redirect.ts, bench/conversions.ts and bench/report.ts: own databases, child processes, load. */
export const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ROOT = join(__dirname, '..');

export function dbUrl(name: string): string {
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database of the bench's own, migrated to head. */
export async function createBenchDb(name: string): Promise<DataSource> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  const options = typeOrmOptions(dbUrl(name), { poolSize: 8, applicationName: 'sway-bench' });
  // Generating millions of rows takes longer than the app's 30 s statement timeout.
  const ds = new DataSource({
    ...options,
    extra: { ...(options.extra as object), statement_timeout: 0 },
  });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

export async function dropBenchDb(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export const BENCH_ENV = {
  ADMIN_TOKEN: 'bench-admin-token-0123456789',
  JWT_SECRET: 'bench-jwt-secret-0123456789-0123456789',
  REDIS_URL,
  RATE_LIMIT_ENABLED: 'false',
};

let built: string | null = null;

/**
 * Compiles the server as `npm run build` does (tsconfig.build.json, assets copied) into a temporary directory, so
 * the bench measures compiled JavaScript like `npm run start:prod`, without touching the worktree's `dist/`.
 */
export function buildServer(): string {
  if (built) return built;
  const out = mkdtempSync(join(tmpdir(), 'sway-bench-dist-'));
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  // nest-cli.json's assets (SQL files read at run time); the web app is served from web/dist when built.
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' });
  for (const sql of files.filter((f) => /(^|\/)queries\/[^/]+\.sql$/.test(f)).map((f) => join('src', f))) {
    mkdirSync(dirname(join(out, sql)), { recursive: true });
    cpSync(join(ROOT, sql), join(out, sql));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  built = out;
  return out;
}

/** The real server (compiled src/main.ts) in a child process: ROLE, graceful SIGTERM and all. */
export function spawnSway(env: Record<string, string>): ChildProcess {
  const out = buildServer();
  return spawn(process.execPath, [join(out, 'src/main.js')], {
    cwd: out,
    env: { ...process.env, ...BENCH_ENV, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function removeBuild(): void {
  if (built) rmSync(built, { recursive: true, force: true });
  built = null;
}

/** A bare Fastify 302 in a child process: the ceiling the redirect is compared with. */
export function spawnBareFastify(port: number, location: string): ChildProcess {
  const code = `
    const f = require('fastify')({ logger: false });
    f.get('/r/:code', (req, reply) => { reply.redirect(${JSON.stringify(location)}, 302); });
    f.listen({ port: ${port}, host: '127.0.0.1' }).then(() => process.send && process.send('ready'));
    process.on('SIGTERM', () => f.close().then(() => process.exit(0)));`;
  return spawn(process.execPath, ['-e', code], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function waitForPort(port: number, path: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual' });
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > end) throw new Error(`nothing listening on ${port} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

export interface LoadResult {
  requests: number;
  statuses: Record<number, number>;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

export function quantile(sorted: Float64Array | number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive sockets (like wrk without pipelining): each of
 * `connections` sockets sends a GET, reads the whole response, records the latency and sends the next. Raw
 * sockets and a minimal parser keep the client's own cost far below node:http's, so on a 2-core box it does not
 * cap the bare Fastify baseline as much. Latencies of the warm-up are not recorded, but its responses count.
 */
export async function load(o: {
  port: number;
  paths: string[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
  headers?: Record<string, string>;
}): Promise<LoadResult & { total: Record<number, number> }> {
  const extra = Object.entries(o.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const reqs = o.paths.map((p) => Buffer.from(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`));
  const lat = new Float64Array(5_000_000);
  let n = 0;
  const statuses: Record<number, number> = {};
  const total: Record<number, number> = {};
  let recording = false;
  let running = true;
  let next = 0;
  let inflight = 0;
  const sockets: Socket[] = [];
  await Promise.all(
    Array.from(
      { length: o.connections },
      () =>
        new Promise<void>((resolve, reject) => {
          const s = netConnect(o.port, '127.0.0.1');
          s.setNoDelay(true);
          sockets.push(s);
          let buf: Buffer = Buffer.alloc(0);
          let sent = 0;
          const send = (): void => {
            sent = performance.now();
            inflight++;
            s.write(reqs[next++ % reqs.length]);
          };
          s.on('connect', () => {
            send();
            resolve();
          });
          s.on('error', reject);
          s.on('data', (chunk: Buffer) => {
            buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
            for (;;) {
              const end = buf.indexOf('\r\n\r\n');
              if (end < 0) return;
              const head = buf.toString('latin1', 0, end);
              const len = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
              if (buf.length < end + 4 + len) return;
              const status = Number(head.slice(9, 12));
              buf = buf.subarray(end + 4 + len);
              inflight--;
              total[status] = (total[status] ?? 0) + 1;
              if (recording) {
                statuses[status] = (statuses[status] ?? 0) + 1;
                if (n < lat.length) lat[n++] = performance.now() - sent;
              }
              if (running) send();
            }
          });
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, o.warmupSeconds * 1000));
  recording = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  recording = false;
  const seconds = (performance.now() - t0) / 1000;
  running = false;
  // Every request sent gets its response (they count in `total`) before the sockets close: under load a response
  // can take seconds, and one cut off would be a click the server recorded that the bench never saw acknowledged.
  for (const end = Date.now() + 30_000; inflight > 0 && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const s of sockets) s.destroy();
  const sorted = lat.subarray(0, n).sort();
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    requests,
    statuses,
    total,
    seconds,
    rps: requests / seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

/** One brand, one active campaign and `claims` claimed links, written set-based (the claims trigger fires). */
export async function seedCampaign(
  ds: DataSource,
  claims: number,
): Promise<{ brandId: string; campaignId: string; codes: string[]; claimIds: string[] }> {
  const [brand] = await ds.query(`INSERT INTO brands (name, email) VALUES ('Bench', 'bench@example.com') RETURNING id`);
  const [campaign] = await ds.query(
    `INSERT INTO campaigns (brand_id, name, status, perk_title, perk_description, perk_kind, unit_cost_cents, currency,
       inventory, claimed, remaining, match, landing_url, platform_fee_bps, funded_cents)
     VALUES ($1, 'Bench campaign', 'active', 'Perk', 'A perk', 'discount', 1800, 'usd', $2, $2, 0, 'any',
             'https://shop.example/landing?utm_source=sway', 1000, $2 * 1980)
     RETURNING id`,
    [brand.id, claims],
  );
  await ds.query(
    `INSERT INTO influencers (email, display_name, password_hash, country, adult_verified_at, consent_matching)
     SELECT 'bench-' || g || '@example.com', 'Bench ' || g, 'x', 'US', now(), true FROM generate_series(1, $1) g`,
    [claims],
  );
  await ds.query(
    `INSERT INTO offers (campaign_id, influencer_id, status, match_score, expires_at)
     SELECT $1, id, 'claimed', 50, now() + interval '3 days' FROM influencers`,
    [campaign.id],
  );
  const wanted = new Set<string>();
  while (wanted.size < claims) wanted.add(generateRedemptionCode());
  const rows: { id: string; code: string }[] = await ds.query(
    `INSERT INTO claims (offer_id, campaign_id, influencer_id, code)
     SELECT o.id, o.campaign_id, o.influencer_id, c.code
     FROM (SELECT o.*, row_number() OVER (ORDER BY o.id) AS rn FROM offers o WHERE campaign_id = $1) o
     JOIN unnest($2::text[]) WITH ORDINALITY AS c(code, rn) ON c.rn = o.rn
     RETURNING id, code`,
    [campaign.id, [...wanted]],
  );
  return {
    brandId: brand.id,
    campaignId: campaign.id,
    codes: rows.map((r) => r.code),
    claimIds: rows.map((r) => r.id),
  };
}
