import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ClickKind } from './entities/click.entity';
import { ensureMonthlyPartitions, retentionKeepsFrom, runPartmanMaintenance } from '../database/partitions';

export interface TrackedLink {
  claimId: string;
  campaignId: string;
  landingUrl: string;
}

export interface PendingClick {
  id: string;
  at: Date;
  claimId: string;
  campaignId: string;
  visitorHash: Buffer;
  kind: ClickKind;
  /** Which ad network's click id the link carried (paid traffic), or null; never the id's value. */
  adClick: string | null;
}

@Injectable()
export class TrackingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A paused or completed campaign's link still leads to the brand's page: only the code must exist. */
  async link(code: string): Promise<TrackedLink | null> {
    const rows: TrackedLink[] = await this.dataSource.query(
      `SELECT cl.id AS "claimId", cl.campaign_id AS "campaignId", c.landing_url AS "landingUrl"
       FROM redemptions.claim_facts cl JOIN campaigns.campaign_facts c ON c.id = cl.campaign_id WHERE cl.code = $1`,
      [code],
    );
    return rows[0] ?? null;
  }

  /**
   * One statement, so one atomic write: the clicks, the visitor set (new visitors are the day's new unique
   * clicks), the per-day campaign counters and the per-claim counters. ON CONFLICT DO NOTHING on the clicks
   * makes a retried flush harmless (a commit whose acknowledgement was lost), because the counters only add
   * what was actually inserted. Rollup rows are written in key order, like every other rollup writer, so
   * concurrent flushes cannot deadlock.
   */
  async insertClicks(clicks: PendingClick[]): Promise<number> {
    const [row] = await this.dataSource.query<{ inserted: number }[]>(
      `WITH raw AS (
         SELECT (e->>0)::uuid AS id, timestamptz 'epoch' + (e->>1)::bigint * interval '1 millisecond' AS clicked_at, (e->>2)::uuid AS claim_id,
                (e->>3)::uuid AS campaign_id, decode(e->>4, 'hex') AS visitor_hash, e->>5 AS kind,
                e->>6 AS ad_click
         FROM json_array_elements($1::json) AS e
       ),
       ins AS (
         INSERT INTO clicks (id, clicked_at, claim_id, campaign_id, visitor_hash, kind, ad_click)
         SELECT id, clicked_at, claim_id, campaign_id, visitor_hash, kind, ad_click FROM raw
         ON CONFLICT DO NOTHING
         RETURNING claim_id, campaign_id, (clicked_at AT TIME ZONE 'UTC')::date AS day, visitor_hash, kind
       ),
       vis AS (
         INSERT INTO click_visitors (campaign_id, day, visitor_hash)
         SELECT DISTINCT campaign_id, day, visitor_hash FROM ins WHERE kind = 'human' ORDER BY 1, 2, 3
         ON CONFLICT DO NOTHING
         RETURNING campaign_id, day
       ),
       daily AS (
         INSERT INTO campaign_daily (campaign_id, day, clicks, unique_clicks, filtered_clicks)
         SELECT campaign_id, day, sum(h), sum(u), sum(f) FROM (
           SELECT campaign_id, day, count(*) FILTER (WHERE kind = 'human') AS h, 0 AS u,
                  count(*) FILTER (WHERE kind <> 'human') AS f
           FROM ins GROUP BY 1, 2
           UNION ALL
           SELECT campaign_id, day, 0, count(*), 0 FROM vis GROUP BY 1, 2
         ) x GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (campaign_id, day) DO UPDATE SET
           clicks = campaign_daily.clicks + EXCLUDED.clicks,
           unique_clicks = campaign_daily.unique_clicks + EXCLUDED.unique_clicks,
           filtered_clicks = campaign_daily.filtered_clicks + EXCLUDED.filtered_clicks
         RETURNING 1
       ),
       human AS (SELECT claim_id, campaign_id, count(*) AS n FROM ins WHERE kind = 'human' GROUP BY 1, 2),
       per_claim AS (
         INSERT INTO claim_stats (claim_id, campaign_id, clicks)
         SELECT claim_id, campaign_id, n FROM human ORDER BY 1
         ON CONFLICT (claim_id) DO UPDATE SET clicks = claim_stats.clicks + EXCLUDED.clicks
         RETURNING claim_id, campaign_id, topic_id, (xmax = 0) AS created
       ),
       -- Under the topic each claim's stats row holds (a row new here counts as a claim, as in the recount). The
       -- guard on daily makes the day rows lock before the topic rows, the order of a claim's transaction, which
       -- holds both to its COMMIT.
       per_topic AS (
         INSERT INTO campaign_topic_totals (campaign_id, topic_id, claims, clicks)
         SELECT p.campaign_id, p.topic_id, count(*) FILTER (WHERE p.created), sum(h.n)
         FROM per_claim p JOIN human h ON h.claim_id = p.claim_id
         WHERE (SELECT count(*) FROM daily) >= 0
         GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (campaign_id, topic_id) DO UPDATE SET
           claims = campaign_topic_totals.claims + EXCLUDED.claims,
           clicks = campaign_topic_totals.clicks + EXCLUDED.clicks
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS inserted`,
      // One JSON parameter of arrays, times as epoch milliseconds: serialised natively and parsed in C, about ten
      // times cheaper end to end than node-postgres' encoding of six typed arrays, and this runs next to redirects.
      [
        JSON.stringify(
          clicks.map((c) => [
            c.id,
            c.at.getTime(),
            c.claimId,
            c.campaignId,
            c.visitorHash.toString('hex'),
            c.kind,
            c.adClick,
          ]),
        ),
      ],
    );
    return row.inserted;
  }

  /** What the member can see about clicks on their links: counts per claim, day and kind (no visitor hashes). */
  exportMemberClicks(m: EntityManager, influencerId: string): Promise<unknown[]> {
    return m.query(
      `SELECT k.claim_id AS "claimId", to_char(k.clicked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, k.kind,
              count(*)::int AS clicks
       FROM redemptions.claim_facts cl JOIN tracking.clicks k ON k.claim_id = cl.id
       WHERE cl.influencer_id = $1
       GROUP BY 1, 2, 3 ORDER BY 2, 1, 3`,
      [influencerId],
    );
  }

  async pruneVisitorSets(days: number): Promise<number> {
    const [, n] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM click_visitors WHERE day < (now() AT TIME ZONE 'UTC')::date - $1::int`,
      [days],
    );
    return n;
  }

  /** Monthly click partitions for past months too (backfills, test worlds; see ensureMonthlyPartitions). */
  ensurePartitions(from: Date, to: Date): Promise<string[]> {
    return ensureMonthlyPartitions(this.dataSource, 'tracking.clicks', from, to);
  }

  /**
   * pg_partman's maintenance of `clicks`, retention included, after folding what it is about to drop: in the same
   * transaction (so the same `now()` as partman's), the human clicks of every month that ends before now − retention
   * go into `dropped_clicks` per claim and month, and rows of those months in the DEFAULT partition (which partman's
   * retention does not reach) are deleted. Reports read rollups, which keep their totals; reconciliation recounts
   * raw clicks only from the month after the newest fold and adds the folded counts to claim_stats.
   */
  maintainPartitions(): Promise<{ created: string[]; dropped: string[] }> {
    return this.dataSource.transaction(async (m) => {
      const before = await retentionKeepsFrom(m, 'tracking.clicks');
      await m.query(
        `INSERT INTO tracking.dropped_clicks (campaign_id, claim_id, month, clicks)
         SELECT campaign_id, claim_id, date_trunc('month', clicked_at)::date, count(*) FILTER (WHERE kind = 'human')
         FROM tracking.clicks
         WHERE clicked_at < $1
           AND clicked_at >= (SELECT COALESCE(max(month) + interval '1 month', '-infinity') FROM tracking.dropped_clicks)
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
         ON CONFLICT (campaign_id, claim_id, month) DO UPDATE SET clicks = dropped_clicks.clicks + EXCLUDED.clicks`,
        [before],
      );
      await m.query(`DELETE FROM tracking.clicks_default WHERE clicked_at < $1`, [before]);
      const { created, removed } = await runPartmanMaintenance(m, 'tracking.clicks');
      return { created, dropped: removed };
    });
  }
}
