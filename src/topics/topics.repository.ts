import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface TopicRow {
  id: number;
  slug: string;
  name: string;
  parents: string[];
  rank: number;
}

function likeEscape(s: string): string {
  return s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class TopicsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every topic with its parents' slugs (about 8,000 rows): the vocabulary of topic inference. */
  vocabulary(): Promise<{ id: number; slug: string; name: string; parents: string[] }[]> {
    return this.dataSource.query(
      `SELECT t.id, t.slug, t.name,
              coalesce(array_agg(p.slug ORDER BY p.slug) FILTER (WHERE p.slug IS NOT NULL), '{}') AS parents
       FROM topics t LEFT JOIN topic_edges e ON e.child_id = t.id LEFT JOIN topics p ON p.id = e.parent_id
       GROUP BY t.id ORDER BY t.id`,
    );
  }

  async findIdBySlug(slug: string, manager: EntityManager = this.dataSource.manager): Promise<number | null> {
    const rows: { id: number }[] = await manager.query(`SELECT id FROM topics WHERE lower(slug) = lower($1)`, [slug]);
    return rows[0]?.id ?? null;
  }

  /** Keyset pagination over (rank, slug): rank 0 exact, 1 prefix, 2 substring (always 0 without q). */
  async list(opts: { q?: string; parentId?: number; after?: [number, string]; limit: number }): Promise<TopicRow[]> {
    const q = opts.q ? opts.q.toLowerCase() : null;
    return this.dataSource.query(
      `WITH t AS (
         SELECT id, slug, name,
                CASE WHEN $1::text IS NULL THEN 0
                     WHEN lower(slug) = $1 OR lower(name) = $1 THEN 0
                     WHEN lower(slug) LIKE $2 || '%' OR lower(name) LIKE $2 || '%' THEN 1
                     ELSE 2 END AS rank
         FROM topics
         WHERE ($1::text IS NULL OR lower(slug) LIKE '%' || $2 || '%' OR lower(name) LIKE '%' || $2 || '%')
           AND ($3::int IS NULL OR id IN (SELECT child_id FROM topic_edges WHERE parent_id = $3))
       ), page AS (
         SELECT * FROM t
         WHERE $4::int IS NULL OR (rank, slug) > ($4::int, $5::text)
         ORDER BY rank, slug
         LIMIT $6
       )
       SELECT page.id, page.slug, page.name, page.rank,
              COALESCE((SELECT array_agg(p.slug ORDER BY p.slug) FROM topic_edges e JOIN topics p ON p.id = e.parent_id
                        WHERE e.child_id = page.id), '{}') AS parents
       FROM page ORDER BY rank, slug`,
      [
        q,
        q === null ? null : likeEscape(q),
        opts.parentId ?? null,
        opts.after?.[0] ?? null,
        opts.after?.[1] ?? null,
        opts.limit,
      ],
    );
  }

  async get(slug: string): Promise<{ slug: string; name: string; parents: string[]; children: string[] } | null> {
    const rows = await this.dataSource.query(
      `SELECT t.slug, t.name,
              COALESCE((SELECT array_agg(p.slug ORDER BY p.slug) FROM topic_edges e JOIN topics p ON p.id = e.parent_id WHERE e.child_id = t.id), '{}') AS parents,
              COALESCE((SELECT array_agg(c.slug ORDER BY c.slug) FROM topic_edges e JOIN topics c ON c.id = e.child_id WHERE e.parent_id = t.id), '{}') AS children
       FROM topics t WHERE lower(t.slug) = lower($1)`,
      [slug],
    );
    return rows[0] ?? null;
  }

  /** Returns the slugs among `slugs` that do not exist. */
  async missing(slugs: string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    if (!slugs.length) return [];
    const rows: { slug: string }[] = await manager.query(
      `SELECT s AS slug FROM unnest($1::text[]) s WHERE NOT EXISTS (SELECT 1 FROM topics t WHERE lower(t.slug) = lower(s))`,
      [slugs],
    );
    return rows.map((r) => r.slug);
  }

  async insert(manager: EntityManager, slug: string, name: string, parents: string[]): Promise<void> {
    const [{ id }] = await manager.query<{ id: number }[]>(
      `INSERT INTO topics (slug, name, source) VALUES ($1, $2, 'sway') RETURNING id`,
      [slug, name],
    );
    if (parents.length) {
      await manager.query(
        `INSERT INTO topic_edges (parent_id, child_id) SELECT t.id, $2 FROM topics t WHERE lower(t.slug) = ANY($1::text[])`,
        [parents.map((p) => p.toLowerCase()), id],
      );
    }
  }
}
