import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { databaseUrl, dropOrphans, quoteIdent, withAdmin } from './databases';

/**
 * Migrates one template database per test run; each test file then clones it (CREATE DATABASE … TEMPLATE),
 * which takes a fraction of a second instead of re-running migrations and re-loading the ontology.
 */
export default async function globalSetup(): Promise<void> {
  const name = `sway_tpl_${process.pid}`;
  await withAdmin(async (c) => {
    await dropOrphans(c);
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src/database/migrate.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl(name) },
    stdio: 'pipe',
  });
  process.env.SWAY_TEMPLATE_DB = name;
}
