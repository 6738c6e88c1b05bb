import { quoteIdent, withAdmin } from './databases';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.SWAY_TEMPLATE_DB;
  if (!name) return;
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}
