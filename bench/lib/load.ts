import { Client } from 'pg';

/**
 * Runs `fn` with the table's secondary indexes and primary key dropped, then rebuilds them from their own
 * definitions (pg_get_indexdef / pg_get_constraintdef), so the schema after a bulk load is exactly the migrated
 * one. One sorted index build is several times faster than millions of random-order btree inserts.
 */
export async function withoutIndexes(c: Client, table: string, fn: () => Promise<void>): Promise<void> {
  const { rows: pk } = await c.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype = 'p'`,
    [table],
  );
  const { rows: idx } = await c.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = $1::regclass AND NOT x.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)`,
    [table],
  );
  const { rows: deps } = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_constraint WHERE confrelid = $1::regclass AND contype = 'f'`,
    [table],
  );
  // A foreign key pointing at this table needs its primary key: keep the PK then, drop only the others.
  const dropPk = deps[0].n === 0;
  for (const i of idx) await c.query(`DROP INDEX "${i.name}"`);
  if (dropPk) for (const p of pk) await c.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${p.name}"`);
  await fn();
  await c.query(`SET maintenance_work_mem = '512MB'`);
  if (dropPk) for (const p of pk) await c.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${p.name}" ${p.def}`);
  for (const i of idx) await c.query(i.def);
}
