import 'reflect-metadata';
import dataSource from './data-source';

/** `npm run db:migrate`: apply pending migrations, one transaction each, and say which. */
async function main(): Promise<void> {
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) console.log(`applied ${m.name}`);
    console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
