import { TestApp } from './test-app';

/** Every text-like column of every table of every schema, as one string: what a pg_dump would show of the data. */
export async function dumpText(t: TestApp): Promise<string> {
  const cols: { table_schema: string; table_name: string; column_name: string }[] = await t.db.query(
    `SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
     WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND tb.table_type = 'BASE TABLE'
       AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'bytea')`,
  );
  const parts: string[] = [];
  for (const c of cols) {
    const rows: { v: string | null }[] = await t.db.query(
      `SELECT "${c.column_name}"::text AS v FROM "${c.table_schema}"."${c.table_name}" WHERE "${c.column_name}" IS NOT NULL`,
    );
    for (const r of rows) if (r.v) parts.push(r.v);
  }
  return parts.join('\n');
}
