import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A bounded context is a folder under `src/` and owns the PostgreSQL schema of the same name (issue #11). Folders
 * that are infrastructure, not contexts, own no schema. Where a folder and its schema must differ, add the pair to
 * SCHEMA_OF_FOLDER rather than renaming either.
 */
export const NON_CONTEXT_FOLDERS: readonly string[] = ['config', 'database'];
export const SCHEMA_OF_FOLDER: Readonly<Record<string, string>> = {};

/** The contexts' schemas, derived from the folders so that a new context needs no edit here. */
export function contextSchemas(srcDir: string = join(__dirname, '..')): string[] {
  return readdirSync(srcDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NON_CONTEXT_FOLDERS.includes(d.name))
    .map((d) => SCHEMA_OF_FOLDER[d.name] ?? d.name)
    .sort();
}

/**
 * The connection's search_path: `public` first, so that an unqualified CREATE still lands where the migrations
 * written before the schema move expect it (and the migrations table and pgcrypto stay there), then every
 * context's schema, so that unqualified names keep resolving after the move. New SQL names its schema anyway.
 */
export function searchPath(srcDir?: string): string {
  return ['public', ...contextSchemas(srcDir)].join(',');
}
