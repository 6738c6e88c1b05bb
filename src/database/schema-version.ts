import { DataSource, MigrationExecutor } from 'typeorm';

/**
 * The schema version is "every migration this build ships is applied". Names, not the highest timestamp:
 * branches merge migrations out of timestamp order, and one applied later than a newer one is still pending.
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  return pending.map((m) => m.name);
}

// Two processes started with MIGRATE_ON_START (an API and a worker) must not run the same migration at once.
const MIGRATION_LOCK = 'sway:migrations';

/** Applies pending migrations, one transaction each, holding a cluster-wide advisory lock; returns their names. */
export async function applyMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
