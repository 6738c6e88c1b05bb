import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REDIS_URL, databaseUrl } from '../support/databases';
import { PrivateRedis } from '../support/private-redis';
import { ADMIN_TOKEN, JWT_SECRET, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

interface Proc {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

function run(env: Record<string, string | undefined>): Proc {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: 'true', ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exit };
}

async function waitForHealth(port: number, p: Proc): Promise<void> {
  const deadline = Date.now() + 75_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no health in time:\n${p.out()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Each test starts the app from source (ts-node); on a busy 2-core machine one start alone can take ~25 s.
jest.setTimeout(90_000);

describe('process lifecycle', () => {
  let dbName: string;
  const prefix = `{t-lifecycle-${process.pid}}`;
  const env = (): Record<string, string> => ({
    DATABASE_URL: databaseUrl(dbName),
    REDIS_URL,
    ADMIN_TOKEN,
    JWT_SECRET,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
  });

  beforeAll(async () => {
    dbName = await createTestDatabase();
  });
  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    await dropTestDatabase(dbName);
  });

  it('exits non-zero with one line naming a missing or invalid variable', async () => {
    const missing = run({ ...env(), JWT_SECRET: undefined });
    expect(await missing.exit).not.toBe(0);
    expect(missing.out().trim()).toBe('sway: invalid configuration: JWT_SECRET is required but not set');
    const invalid = run({ ...env(), PORT: 'http' });
    expect(await invalid.exit).not.toBe(0);
    expect(invalid.out().trim()).toBe('sway: invalid configuration: PORT must be an integer, got "http"');
  });

  it('serves as ROLE=all, then drains and exits 0 on SIGTERM', async () => {
    const port = await PrivateRedis.freePort();
    const p = run({ ...env(), PORT: String(port), ROLE: 'all' });
    await waitForHealth(port, p);
    const topics = await fetch(`http://127.0.0.1:${port}/v1/topics?q=coffee`);
    expect(topics.status).toBe(200);
    // A request in flight when the signal arrives is still answered.
    const inFlight = fetch(`http://127.0.0.1:${port}/v1/topics?q=a&limit=200`);
    p.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    const code = await p.exit;
    if (code !== 0) console.error(p.out().split('\n').slice(-15).join('\n'));
    expect(code).toBe(0);
    expect(p.out()).toContain('shutdown complete');
  });

  it('runs the workers alone as ROLE=worker and stops cleanly', async () => {
    const p = run({ ...env(), ROLE: 'worker' });
    const deadline = Date.now() + 75_000;
    while (!p.out().includes('sway started')) {
      if (Date.now() > deadline) throw new Error(`worker did not start:\n${p.out()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(p.out()).not.toMatch(/listening|Nest application successfully started/);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });
});
