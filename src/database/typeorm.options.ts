import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AutoPreparingClient } from './auto-prepare';
import { searchPath } from './contexts';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The one options object behind the app, the migration CLI and the test harness. Entities and migrations are
 * found by glob relative to this file, so the same code works from `src/` (ts-node, Jest) and `dist/src/`.
 */
export function typeOrmOptions(
  databaseUrl: string,
  extra: { applicationName?: string; poolSize?: number; preparedStatements?: boolean } = {},
): DataSourceOptions {
  const root = join(__dirname, '..', '..');
  return {
    type: 'postgres',
    // gen_random_uuid() is built into PostgreSQL 13+; no extension needed.
    uuidExtension: 'pgcrypto',
    url: databaseUrl,
    entities: [join(root, 'src', '**', '*.entity.{ts,js}')],
    migrations: [join(root, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    // Failures reach our own logs (problem filter, job failures) with request ids; no raw SQL with parameters.
    logging: false,
    extra: {
      ...(extra.preparedStatements === false ? {} : { Client: AutoPreparingClient }),
      max: extra.poolSize ?? 20,
      application_name: extra.applicationName ?? 'sway',
      // A query that hangs must not hold a request or a job forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      // Every context's schema on every connection (app, CLI, tests): see src/database/contexts.ts.
      options: `-c search_path=${searchPath()}`,
    },
  };
}
