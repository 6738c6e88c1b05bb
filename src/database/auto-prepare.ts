import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** Distinct statements one connection keeps prepared; further new texts run unnamed (bounded server memory). */
const MAX_STATEMENTS_PER_CONNECTION = 256;
/**
 * Long statements (the matching wave, the scoring run, audience estimates, report scans) stay unnamed: they run
 * rarely, their parse is noise beside their execution, and a custom plan for each set of values is what they need.
 */
const MAX_PREPARED_TEXT = 4_000;
/** SQLSTATE 0A000 with this message: a table's columns changed under a prepared statement (a rolling migration). */
const STALE_PLAN = /cached plan must not change result type/;

/**
 * A pg Client that sends every short parameterised statement as a named prepared statement, as pgJDBC and Npgsql
 * do by default: each pooled connection parses (and, once PostgreSQL's plan cache settles on a generic plan,
 * plans) a statement once instead of on every call. A claim is eight such statements; unprepared, PostgreSQL
 * parsed and planned all eight each time (bench/README.md, the claim's measured cost).
 *
 * Names are a hash of the text, so two call sites with the same SQL share one statement and a name never maps to
 * two texts. After a migration changed a prepared statement's result columns, the statement that hit it fails
 * once and the connection starts a new generation of names, so the next call re-prepares against the new table.
 * Set DATABASE_PREPARED_STATEMENTS=false behind a pooler that cannot carry prepared statements across
 * transactions (PgBouncer before 1.21 in transaction mode).
 */
export class AutoPreparingClient extends Client {
  private readonly names = new Map<string, string>();
  private generation = 0;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's own overloads; every form is passed through
  override query(config: any, values?: any, callback?: any): any {
    if (
      typeof config !== 'string' ||
      !Array.isArray(values) ||
      values.length === 0 ||
      callback !== undefined ||
      config.length > MAX_PREPARED_TEXT
    ) {
      return super.query(config, values, callback);
    }
    let name = this.names.get(config);
    if (!name) {
      if (this.names.size >= MAX_STATEMENTS_PER_CONNECTION) return super.query(config, values);
      name = `sway${this.generation}_${createHash('sha1').update(config).digest('base64url')}`;
      this.names.set(config, name);
    }
    return (super.query({ name, text: config, values }) as Promise<unknown>).catch((err: unknown) => {
      const e = err as { code?: string; message?: string };
      if (e.code === '0A000' && STALE_PLAN.test(e.message ?? '')) {
        this.names.clear();
        this.generation++;
      }
      throw err;
    });
  }
}
