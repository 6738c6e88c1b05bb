import { Client } from 'pg';

/** Where the harness creates and drops its own databases; never the ones it did not create. */
const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Test databases are named sway_(tpl|test)_<pid>_…; drop leftovers of processes that no longer exist. */
export async function dropOrphans(c: Client): Promise<void> {
  const { rows } = await c.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname ~ '^sway_(tpl|test)_[0-9]+'`,
  );
  for (const { datname } of rows) {
    const pid = Number(/^sway_(?:tpl|test)_(\d+)/.exec(datname)?.[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  }
}
