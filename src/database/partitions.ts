import { DataSource } from 'typeorm';

function monthStart(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

function addMonths(d: Date, n: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
}

function monthlyPartitionName(table: string, month: Date): string {
  return `${table}_p${month.toISOString().slice(0, 7).replace('-', '_')}`;
}

/**
 * Monthly RANGE partitions of `schema`.`table` on `column` from `from` to `to` (inclusive months). Rows that landed in
 * `<table>_default` for a month move into the new partition in the same transaction, so creating one late never
 * fails and never loses a row. An advisory lock per table serialises workers doing the same.
 */
export async function ensureMonthlyPartitions(
  dataSource: DataSource,
  schema: string,
  table: string,
  column: string,
  from: Date,
  to: Date,
): Promise<string[]> {
  const created: string[] = [];
  for (let mo = monthStart(from); mo <= monthStart(to); mo = addMonths(mo, 1)) {
    const name = monthlyPartitionName(table, mo);
    const done = await dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`sway:partitions:${table}`]);
      const [exists] = await m.query(`SELECT to_regclass($1) IS NOT NULL AS found`, [`"${schema}"."${name}"`]);
      if (exists?.found) return false;
      const lo = mo.toISOString();
      const hi = addMonths(mo, 1).toISOString();
      const [part, parent] = [`"${schema}"."${name}"`, `"${schema}"."${table}"`];
      await m.query(`CREATE TABLE ${part} (LIKE ${parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      await m.query(
        `WITH moved AS (DELETE FROM "${schema}"."${table}_default" WHERE "${column}" >= $1 AND "${column}" < $2 RETURNING *)
         INSERT INTO ${part} SELECT * FROM moved`,
        [lo, hi],
      );
      await m.query(`ALTER TABLE ${parent} ATTACH PARTITION ${part} FOR VALUES FROM ('${lo}') TO ('${hi}')`);
      return true;
    });
    if (done) created.push(name);
  }
  return created;
}
