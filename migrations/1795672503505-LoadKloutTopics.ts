import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Loads the Klout Topic Ontology (CC BY 3.0, data/klout-topic-ontology/README.md): 8,033 topics and the
 * 13,446 edges. Edges from `_ROOT_` mark the 16 super-topics (which then have no parents); `economics` is
 * named by 21 edges but missing from the node file, so it is added rather than dropping those edges.
 * Self-contained on purpose: a migration must read the same in a year, whatever src/ becomes.
 */
const ROOT = '_ROOT_';

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function dataDir(): string {
  const candidates = [join(__dirname, '..', 'data'), join(__dirname, '..', '..', 'data'), join(process.cwd(), 'data')];
  const dir = candidates.map((d) => join(d, 'klout-topic-ontology')).find((d) => existsSync(d));
  if (!dir) throw new Error(`klout-topic-ontology data not found (looked in ${candidates.join(', ')})`);
  return dir;
}

export class LoadKloutTopics1795672503505 implements MigrationInterface {
  name = 'LoadKloutTopics1795672503505';

  public async up(q: QueryRunner): Promise<void> {
    const dir = dataDir();
    const [topicHeader, ...topics] = parseCsv(readFileSync(join(dir, 'klout_topic_ontology_20180601.csv'), 'utf8'));
    const [edgeHeader, ...edges] = parseCsv(readFileSync(join(dir, 'klout_topic_edge_20180601.csv'), 'utf8'));
    if (topicHeader[1] !== 'topicSlug' || edgeHeader[1] !== 'parrentTopicSlug' || edgeHeader[3] !== 'childTopicSlug') {
      throw new Error('unexpected Klout CSV headers');
    }
    if (topics.length !== 8033 || edges.length !== 13446) {
      throw new Error(`expected 8,033 topics and 13,446 edges, read ${topics.length} and ${edges.length}`);
    }

    const supers = new Set(edges.filter((e) => e[1] === ROOT && e[3] !== ROOT).map((e) => e[3]));
    const known = new Set(topics.map((t) => t[1]));
    const extra = new Map<string, string>();
    for (const e of edges) {
      for (const slug of [e[1], e[3]]) {
        if (slug !== ROOT && !known.has(slug))
          extra.set(slug, slug.charAt(0).toUpperCase() + slug.slice(1).replace(/-/g, ' '));
      }
    }

    await q.query(
      `INSERT INTO topics (slug, name, klout_id, wikidata_id, is_super, source)
       SELECT s, n, k::numeric, NULLIF(w, ''), sup, 'klout'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[]) AS t(s, n, k, w, sup)`,
      [
        [...topics.map((t) => t[1]), ...extra.keys()],
        [...topics.map((t) => t[2]), ...extra.values()],
        [...topics.map((t) => t[0]), ...[...extra.keys()].map(() => null)],
        [...topics.map((t) => t[3]), ...[...extra.keys()].map(() => '')],
        [...topics.map((t) => supers.has(t[1])), ...[...extra.keys()].map(() => false)],
      ],
    );

    const real = edges.filter((e) => e[1] !== ROOT);
    await q.query(
      `INSERT INTO topic_edges (parent_id, child_id)
       SELECT p.id, c.id FROM unnest($1::text[], $2::text[]) AS e(ps, cs)
       JOIN topics p ON p.slug = e.ps JOIN topics c ON c.slug = e.cs`,
      [real.map((e) => e[1]), real.map((e) => e[3])],
    );
    const [{ n }] = (await q.query(`SELECT count(*)::int AS n FROM topic_edges`)) as { n: number }[];
    if (n !== real.length) throw new Error(`loaded ${n} of ${real.length} topic edges`);

    // Slug lookups are case-insensitive; the ontology has no two slugs differing only by case.
    await q.query(`CREATE UNIQUE INDEX topics_slug_lower_uq ON topics (lower(slug))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX topics_slug_lower_uq`);
    await q.query(`DELETE FROM topic_edges`);
    await q.query(`DELETE FROM topics WHERE source = 'klout'`);
  }
}
