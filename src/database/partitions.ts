import { DataSource, EntityManager } from 'typeorm';

/** The parents pg_partman maintains (migration AdoptPgPartman1798600000000 configures each one). */
type PartmanParent = 'tracking.clicks' | 'scoring.signal_posts' | 'scoring.signal_reactions';

function monthStart(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

async function partitionsOf(m: EntityManager, parent: PartmanParent): Promise<string[]> {
  const rows: { partition_tablename: string }[] = await m.query(
    `SELECT partition_tablename FROM partman.show_partitions($1)`,
    [parent],
  );
  return rows.map((r) => r.partition_tablename);
}

/**
 * pg_partman's maintenance of one parent, in the caller's transaction: partitions up to `premake` months ahead of
 * now, and retention (clicks are folded first: TrackingRepository.maintainPartitions). Returns the partitions
 * made and the ones gone.
 */
export async function runPartmanMaintenance(
  m: EntityManager,
  parent: PartmanParent,
): Promise<{ created: string[]; removed: string[] }> {
  // Month boundaries in UTC: partman truncates in the session's time zone.
  await m.query(`SET LOCAL TimeZone = 'UTC'`);
  const before = await partitionsOf(m, parent);
  await m.query(`SELECT partman.run_maintenance(p_parent_table => $1, p_jobmon => false)`, [parent]);
  const after = await partitionsOf(m, parent);
  return {
    created: after.filter((n) => !before.includes(n)),
    removed: before.filter((n) => !after.includes(n)),
  };
}

/**
 * The first month pg_partman's retention keeps for `parent` as of the transaction's `now()`: it drops a month once
 * the month's end is before now − retention, so every row before this instant goes in this transaction's
 * `run_maintenance` (or sits in the DEFAULT partition, which retention does not reach).
 */
export async function retentionKeepsFrom(m: EntityManager, parent: PartmanParent): Promise<Date> {
  await m.query(`SET LOCAL TimeZone = 'UTC'`);
  const [{ from }] = await m.query(
    `SELECT date_trunc('month', now() - retention::interval - interval '1 microsecond') AS from
     FROM partman.part_config WHERE parent_table = $1`,
    [parent],
  );
  return from;
}

/**
 * Monthly partitions from `from` to `to` (inclusive months), in the past too: `run_maintenance` only works forward
 * from now, backfills and test worlds need older months. Rows waiting in the DEFAULT partition move into their
 * month's partition first (partman's `partition_data_time`, which creates it), so a partition made late never
 * fails to attach and no row is lost. An advisory lock per parent serialises workers doing the same.
 */
export async function ensureMonthlyPartitions(
  dataSource: DataSource,
  parent: PartmanParent,
  from: Date,
  to: Date,
): Promise<string[]> {
  const months: string[] = [];
  for (
    let mo = monthStart(from);
    mo <= monthStart(to);
    mo = new Date(Date.UTC(mo.getUTCFullYear(), mo.getUTCMonth() + 1, 1))
  ) {
    months.push(mo.toISOString());
  }
  return dataSource.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`sway:partitions:${parent}`]);
    await m.query(`SET LOCAL TimeZone = 'UTC'`);
    const before = await partitionsOf(m, parent);
    await m.query(
      `SELECT partman.partition_data_time(p_parent_table => $1, p_batch_count => 1000, p_analyze => false)`,
      [parent],
    );
    await m.query(`SELECT partman.create_partition_time($1, $2::timestamptz[], false)`, [parent, months]);
    const after = await partitionsOf(m, parent);
    return after.filter((n) => !before.includes(n));
  });
}
