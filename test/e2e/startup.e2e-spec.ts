import { Client } from 'pg';
import { REDIS_URL, databaseUrl, quoteIdent, withAdmin } from '../support/databases';
import { PrivateRedis } from '../support/private-redis';
import { runSway, waitForHealth } from '../support/sway-process';
import { ADMIN_TOKEN, JWT_SECRET, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from '../support/test-app';

/**
 * Start-up failures a self-hoster meets in the first hour, each against the real process: a bounded time and
 * one line that names what is wrong. Ports are free ones nothing listens on (others' tests run alongside).
 */
type Health = { info: Record<string, unknown>; error: Record<string, unknown> };
/**
 * Milliseconds from the first "unreachable; retrying" warning to the exit: the waiting itself, without the
 * seconds ts-node needs to load the code on a busy machine (over a minute when others run their suites).
 */
function waitedMs(out: string, exitedAt: number): number {
  const first = out.split('\n').find((l) => l.includes('unreachable ('));
  if (!first) throw new Error(`no retry warning in:\n${out}`);
  return exitedAt - Date.parse((JSON.parse(first) as { time: string }).time);
}
const lastLine = (out: string): string => out.trim().split('\n').pop() ?? '';

jest.setTimeout(180_000);

describe('start-up', () => {
  let migrated: string;
  const prefix = `{t-startup-${process.pid}}`;
  const env = (): Record<string, string> => ({
    DATABASE_URL: databaseUrl(migrated),
    REDIS_URL,
    ADMIN_TOKEN,
    JWT_SECRET,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
    STARTUP_TIMEOUT_MS: '2000',
  });

  beforeAll(async () => {
    migrated = await createTestDatabase();
  });
  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    await dropTestDatabase(migrated);
  });

  it('reports every configuration error at once, on one line; db:migrate says the same', async () => {
    const p = runSway({ PORT: 'http' });
    expect(await p.exit).toBe(2);
    expect(p.out().trim()).toBe(
      'sway: invalid configuration: PORT must be an integer, got "http"; ADMIN_TOKEN is required but not set; ' +
        'JWT_SECRET is required but not set; DATABASE_URL is required but not set; REDIS_URL is required but not set',
    );
    const migrate = runSway({}, 'src/database/migrate.ts');
    expect(await migrate.exit).toBe(2);
    expect(migrate.out().trim()).toBe('sway: invalid configuration: DATABASE_URL is required but not set');
  });

  it('gives up on an unreachable Redis within the start-up timeout, naming the host', async () => {
    const port = await PrivateRedis.freePort();
    const p = runSway({ ...env(), REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(await p.exit).toBe(1);
    // STARTUP_TIMEOUT_MS is 2 s; it used to hang forever. Generous margin for a loaded machine.
    expect(waitedMs(p.out(), Date.now())).toBeLessThan(12_000);
    expect(lastLine(p.out())).toMatch(
      new RegExp(`^sway: failed to start: Redis at 127\\.0\\.0\\.1:${port} unreachable after 2 s \\(.*ECONNREFUSED`),
    );
  });

  it('names the PostgreSQL host while retrying and gives up within the start-up timeout', async () => {
    const port = await PrivateRedis.freePort();
    const p = runSway({ ...env(), DATABASE_URL: `postgres://sway:secret-pw@127.0.0.1:${port}/sway` });
    expect(await p.exit).toBe(1);
    expect(waitedMs(p.out(), Date.now())).toBeLessThan(12_000);
    expect(p.out()).toContain(`PostgreSQL at 127.0.0.1:${port} unreachable (connect ECONNREFUSED`);
    expect(lastLine(p.out())).toMatch(
      new RegExp(`^sway: failed to start: PostgreSQL at 127\\.0\\.0\\.1:${port} unreachable after 2 s`),
    );
    expect(p.out()).not.toContain('secret-pw');
  });

  describe('on a database without the migrations', () => {
    const empty = `sway_test_${process.pid}_empty_${Date.now().toString(36)}`;
    beforeAll(() => withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(empty)}`)));
    afterAll(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(empty)} WITH (FORCE)`)));

    it('refuses to start, then with MIGRATE_ON_START applies them; /health follows the schema', async () => {
      const refused = runSway({ ...env(), DATABASE_URL: databaseUrl(empty) });
      expect(await refused.exit).toBe(1);
      expect(lastLine(refused.out())).toMatch(
        /^sway: failed to start: the database lacks \d+ migration\(s\) of this build \(InitialSchema\d+, .*\); run "npm run db:migrate" first, or start with MIGRATE_ON_START=true$/,
      );

      const port = await PrivateRedis.freePort();
      const p = runSway({ ...env(), DATABASE_URL: databaseUrl(empty), MIGRATE_ON_START: 'true', PORT: String(port) });
      try {
        await waitForHealth(port, p, 150_000);
        expect(p.out()).toMatch(/applied \d+ migration\(s\) at start/);
        const ok = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Health;
        expect(ok.info.schema).toEqual({ status: 'up' });

        // A restored backup without the newest migration: the pings still answer, /health must not.
        const db = new Client({ connectionString: databaseUrl(empty) });
        await db.connect();
        const {
          rows: [{ name }],
        } = await db
          .query<{ name: string }>(`DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING name`)
          .finally(() => db.end());
        const down = await fetch(`http://127.0.0.1:${port}/health`);
        expect(down.status).toBe(503);
        expect(((await down.json()) as Health).error.schema).toEqual({
          status: 'down',
          message: 'pending migrations',
          pending: [name],
        });
      } finally {
        p.child.kill('SIGTERM');
        const code = await p.exit;
        if (code !== 0) console.error(p.out().split('\n').slice(-15).join('\n'));
        expect(code).toBe(0);
      }
    });
  });
});
