import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadDatabaseUrl } from '../config/config';
import { applyMigrations } from './schema-version';
import { typeOrmOptions } from './typeorm.options';

/** `npm run db:migrate`: apply pending migrations, one transaction each, and say which. */
async function main(): Promise<void> {
  let databaseUrl: string;
  try {
    databaseUrl = loadDatabaseUrl();
  } catch (err) {
    // The same one line the server prints, not a stack trace.
    if (!(err instanceof ConfigError)) throw err;
    console.error(`sway: invalid configuration: ${err.message}`);
    process.exit(2);
  }
  const dataSource = new DataSource({
    ...typeOrmOptions(databaseUrl, { applicationName: 'sway-cli', poolSize: 2 }),
    entities: [],
  });
  await dataSource.initialize();
  try {
    const applied = await applyMigrations(dataSource);
    for (const name of applied) console.log(`applied ${name}`);
    console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
