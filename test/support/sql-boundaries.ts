import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';
import { DataSource } from 'typeorm';
import { NON_CONTEXT_FOLDERS, SCHEMA_OF_FOLDER, contextSchemas } from '../../src/database/contexts';
import { DYNAMIC_NAME, SqlSource, sqlInFile, sqlInTypeScript } from './sql-sources';

/**
 * The data boundary between contexts (issue #11), checked on the real parse trees of PostgreSQL's own parser
 * (libpg-query): a context's SQL touches its own schema's tables and views, reads other contexts only through
 * their published views (every view in a context's schema is published and documented in its README), and
 * writes nothing of theirs. Unqualified names resolve as the connection resolves them: pg_catalog, then the
 * search_path, through the catalogue of a migrated database — so a new context (a folder under src/ and a schema
 * of the same name) is covered without an edit here.
 */
interface Relation {
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialised view, f foreign table. */
  kind: string;
}

export interface Catalogue {
  relations: Relation[];
  functions: { schema: string; name: string; language: string; definition: string }[];
  views: { schema: string; name: string; definition: string }[];
  searchPath: string[];
}

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

export async function readCatalogue(db: DataSource): Promise<Catalogue> {
  const relations: Relation[] = await db.query(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT LIKE 'pg_toast%'`,
  );
  const schemas = contextSchemas();
  const functions = await db.query(
    `SELECT n.nspname AS schema, p.proname AS name, l.lanname AS language, pg_get_functiondef(p.oid) AS definition
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
     WHERE n.nspname = ANY($1) AND l.lanname IN ('plpgsql', 'sql') AND p.prokind IN ('f', 'p')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    [schemas],
  );
  const views = await db.query(
    `SELECT schemaname AS schema, viewname AS name, definition FROM pg_views WHERE schemaname = ANY($1)`,
    [schemas],
  );
  const [{ path }] = await db.query(`SELECT current_schemas(false)::text[] AS path`);
  return { relations, functions, views, searchPath: path };
}

/** The context (schema) a source file belongs to, or null for infrastructure folders (config, database). */
function ownerOf(file: string, srcDir: string): string | null {
  const folder = relative(srcDir, file).split(sep)[0];
  if (NON_CONTEXT_FOLDERS.includes(folder)) return null;
  return SCHEMA_OF_FOLDER[folder] ?? folder;
}

function listFiles(dir: string, test: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...listFiles(p, test));
    else if (test(p)) out.push(p);
  }
  return out;
}

interface Touch {
  schemaname?: string;
  relname: string;
  location: number;
  write: boolean;
}

/** Every relation a parse tree names, with whether the statement writes it; CTE and temp table names apart. */
function touches(tree: unknown): { rels: Touch[]; ctes: Set<string> } {
  const rels: Touch[] = [];
  const ctes = new Set<string>();
  const walk = (v: unknown, write: boolean): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, write));
    if (!v || typeof v !== 'object') return;
    // Fields typed RangeVar (InsertStmt.relation, IntoClause.rel) come unwrapped; a Node field wraps it.
    if (typeof (v as { relname?: unknown }).relname === 'string') return walk({ RangeVar: v }, write);
    for (const [key, val] of Object.entries(v as Record<string, unknown>)) {
      if (key === 'RangeVar') {
        const rv = val as { schemaname?: string; relname: string; location?: number; relpersistence?: string };
        // A temporary table the same source creates is its own scratch space, like a CTE.
        if (rv.relpersistence === 't') ctes.add(rv.relname);
        rels.push({ schemaname: rv.schemaname, relname: rv.relname, location: rv.location ?? 0, write });
      } else if (key === 'CommonTableExpr') {
        ctes.add((val as { ctename: string }).ctename);
        walk(val, false);
      } else if (key === 'lockingClause') {
        // `FOR UPDATE OF c` names an alias of the FROM list, not a relation.
      } else if (key === 'intoClause') {
        // PL/pgSQL's `SELECT … INTO variable`; Sway's SQL never creates tables with SELECT INTO.
      } else if (key === 'Constraint') {
        // A foreign key's REFERENCES is integrity between contexts, not a read of the other's rows.
      } else if (key.endsWith('Stmt') && key !== 'SelectStmt' && val && typeof val === 'object') {
        for (const [k, x] of Object.entries(val as Record<string, unknown>)) {
          walk(x, ['relation', 'relations', 'view'].includes(k));
        }
      } else walk(val, write);
    }
  };
  walk(tree, false);
  return { rels, ctes };
}

const byteToChar = (sql: string, byte: number): number =>
  Buffer.from(sql, 'utf8').subarray(0, byte).toString('utf8').length;

class BoundaryChecker {
  private readonly bySchema = new Map<string, Map<string, Relation>>();

  constructor(private readonly catalogue: Catalogue) {
    for (const r of catalogue.relations) {
      if (!this.bySchema.has(r.schema)) this.bySchema.set(r.schema, new Map());
      this.bySchema.get(r.schema)!.set(r.name, r);
    }
  }

  private resolve(t: Touch): Relation | null {
    if (t.schemaname) return this.bySchema.get(t.schemaname)?.get(t.relname) ?? null;
    for (const s of ['pg_catalog', ...this.catalogue.searchPath]) {
      const r = this.bySchema.get(s)?.get(t.relname);
      if (r) return r;
    }
    return null;
  }

  /** Violations of one SQL source owned by `owner`, each starting with file:line. */
  check(src: SqlSource, owner: string): string[] {
    let first: (Error & { sqlDetails?: { cursorPosition?: number } }) | undefined;
    for (const v of [src, ...(src.dynamic.length ? src.variants() : [])]) {
      try {
        const tree: unknown = parseSync(v.sql);
        return this.checkTree(tree, owner, (loc) => v.where(byteToChar(v.sql, loc)));
      } catch (err) {
        first ??= err as Error;
      }
    }
    const at = first?.sqlDetails?.cursorPosition ?? 0;
    const dyn = src.dynamic.length ? ` (unresolved: ${src.dynamic.join(', ')})` : '';
    return [`${src.where(at)}: cannot parse SQL: ${first?.message}${dyn}`];
  }

  checkTree(tree: unknown, owner: string, where: (location: number) => string): string[] {
    const { rels, ctes } = touches(tree);
    const out: string[] = [];
    for (const t of rels) {
      if (!t.schemaname && (ctes.has(t.relname) || t.relname === DYNAMIC_NAME)) continue;
      const r = this.resolve(t);
      const name = t.schemaname ? `${t.schemaname}.${t.relname}` : t.relname;
      if (!r) {
        out.push(`${where(t.location)}: ${owner} names "${name}", which is no table or view of a migrated database`);
        continue;
      }
      if (SYSTEM_SCHEMAS.has(r.schema) || r.schema === owner) continue;
      const full = `${r.schema}.${r.name}`;
      const published = r.kind === 'v' && r.schema !== 'public';
      if (published && !t.write) continue;
      out.push(
        published
          ? `${where(t.location)}: ${owner} writes ${full}, a view published by ${r.schema}: call ${r.schema}'s service or send it a message`
          : `${where(t.location)}: ${owner} ${t.write ? 'writes' : 'reads'} ${full}, a table of ${r.schema}: ` +
              `read a published view of ${r.schema} (allowlist: ${this.publishedBy(r.schema)}) or call its service`,
      );
    }
    return out;
  }

  publishedBy(schema: string): string {
    const views = [...(this.bySchema.get(schema)?.values() ?? [])].filter((r) => r.kind === 'v').map((r) => r.name);
    return views.length ? views.map((v) => `${schema}.${v}`).join(', ') : 'none';
  }
}

/** Where a function or view is defined last among the migrations, for the message. */
function definedAt(
  root: string,
  kind: 'FUNCTION' | 'VIEW',
  schema: string,
  name: string,
): { file: string; line: number } {
  const dir = join(root, 'migrations');
  // `CREATE VIEW schema.name`, or a migration that lists its views as `['schema.name', …]`.
  const re = new RegExp(`${kind}\\s+(?:"?${schema}"?\\.)?"?${name}"?[\\s(]|['"\`]${schema}\\.${name}['"\`]`, 'i');
  let found = { file: 'migrations (not found)', line: 1 };
  for (const f of readdirSync(dir).sort()) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    lines.forEach((l, i) => {
      if (re.test(l)) found = { file: `migrations/${f}`, line: i + 1 };
    });
  }
  return found;
}

/** The whole check: TypeScript under src/, queries/*.sql, and the functions and views the migrations left. */
export async function boundaryViolations(root: string, catalogue: Catalogue): Promise<string[]> {
  await loadModule();
  const srcDir = join(root, 'src');
  const checker = new BoundaryChecker(catalogue);
  const out: string[] = [];

  const tsFiles = listFiles(srcDir, (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.d.ts'));
  for (const src of sqlInTypeScript(tsFiles, root)) {
    const file = join(root, src.where(0).split(':')[0]);
    const owner = ownerOf(file, srcDir);
    if (owner) out.push(...checker.check(src, owner));
  }
  for (const f of listFiles(srcDir, (p) => p.endsWith('.sql'))) {
    const owner = ownerOf(f, srcDir);
    if (owner) out.push(...checker.check(sqlInFile(f, root), owner));
  }

  for (const fn of catalogue.functions) {
    const at = definedAt(root, 'FUNCTION', fn.schema, fn.name);
    const label = (line: number) => `${at.file}:${at.line + line} (function ${fn.schema}.${fn.name})`;
    const queries: { query: string; line: number }[] = [];
    if (fn.language === 'plpgsql') {
      const collect = (v: unknown, line: number): void => {
        if (Array.isArray(v)) return v.forEach((x) => collect(x, line));
        if (!v || typeof v !== 'object') return;
        const o = v as Record<string, unknown>;
        const here = typeof o.lineno === 'number' ? o.lineno : line;
        if (typeof o.query === 'string') queries.push({ query: o.query, line: here });
        for (const x of Object.values(o)) collect(x, here);
      };
      collect(parsePlPgSQLSync(fn.definition), 0);
    } else {
      queries.push({ query: fn.definition, line: 0 });
    }
    for (const q of queries) {
      let tree: unknown;
      try {
        tree = parseSync(q.query);
      } catch {
        // A PL/pgSQL expression (`NEW.id`, `TG_OP = 'DELETE'`) rather than a statement.
        try {
          tree = parseSync(`SELECT ${q.query}`);
        } catch (err) {
          out.push(`${label(q.line)}: cannot parse SQL: ${(err as Error).message}`);
          continue;
        }
      }
      out.push(...checker.checkTree(tree, fn.schema, () => label(q.line)));
    }
  }

  for (const v of catalogue.views) {
    const at = definedAt(root, 'VIEW', v.schema, v.name);
    const label = `${at.file}:${at.line} (view ${v.schema}.${v.name})`;
    out.push(...checker.checkTree(parseSync(v.definition), v.schema, () => label));
    const folder = Object.entries(SCHEMA_OF_FOLDER).find(([, s]) => s === v.schema)?.[0] ?? v.schema;
    const readme = join(srcDir, folder, 'README.md');
    if (!existsSync(readme) || !readFileSync(readme, 'utf8').includes(`${v.schema}.${v.name}`)) {
      out.push(`${label}: published view ${v.schema}.${v.name} is not documented in src/${folder}/README.md`);
    }
  }

  // Every table lives in its context's schema; public keeps only TypeORM's migrations table.
  for (const r of catalogue.relations.filter((x) => x.schema === 'public' && x.name !== 'migrations')) {
    out.push(`public.${r.name}: a relation in public; put it in its context's schema`);
  }
  return out;
}
