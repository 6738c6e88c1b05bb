import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AutoPreparingClient } from './auto-prepare';
import { searchPath } from './contexts';

/** After a replica failed to answer, it is skipped (reads go to the primary) for this long before it is tried again. */
const REPLICA_RETRY_MS = 5_000;

/** How often each replica's replay lag is read; the bound is enforced from the last reading. */
const LAG_POLL_MS = 1_000;

/**
 * Seconds since the last transaction the replica replayed, but only while WAL it has received is still waiting to
 * be replayed: an idle primary sends nothing, and an up-to-date replica of an idle primary is not lagging.
 */
const LAG_SQL = `SELECT CASE
    WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
  END::float8 AS lag`;

/** SQLSTATE classes and socket errors that mean "this server cannot answer now", not "this query is wrong". */
function unavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string') {
    // 08 connection exception, 57 operator intervention (shutdown, cannot connect now), 40001 recovery conflict.
    if (/^(08|57)/.test(e.code) || e.code === '40001') return true;
    if (/^E[A-Z]+$/.test(e.code)) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, ENOTFOUND
  }
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(e?.message ?? '');
}

interface Replica {
  url: string;
  pool: Pool;
  downUntil: number;
  /** Replay lag in seconds at the last poll. */
  lag: number;
  /** Skipped for lag (not for being down), so the catch-up can be logged once. */
  behind: boolean;
}

/**
 * Reads that may lag — reports, the CSV export, audience estimates, a brand's campaign list — go to a streaming
 * replica (DATABASE_REPLICA_URLS); everything else, every write and every read that must see a write just made
 * (claim then show the claim, create then get), stays on the primary DataSource.
 *
 * A replica that cannot answer is skipped for REPLICA_RETRY_MS and the read runs on the primary instead: these
 * reads are rollup lookups keyed by campaign, cheap enough for the primary to carry through a replica outage, and
 * failing them would turn a lost replica into a dashboard outage. A replica whose replay lag is above
 * DATABASE_REPLICA_MAX_LAG_SECONDS is skipped the same way until it catches up, so "may lag" means "by at most that
 * much", not "by however long a stuck replay lasts". A query error that is not about availability
 * (bad SQL, a constraint) is the caller's, as on the primary. Plain pg pools rather than TypeORM's `replication`
 * option: TypeORM refuses to start while any replica is unreachable and picks replicas without regard to health,
 * so a dead replica would take the primary's API down with it — the opposite of the point.
 */
@Injectable()
export class ReadReplicas implements OnApplicationShutdown {
  private readonly logger = new Logger(ReadReplicas.name);
  private readonly replicas: Replica[];
  private next = 0;
  private readonly maxLag: number;
  private readonly lagTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly primary: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxLag = config.databaseReplicaMaxLagSeconds;
    this.replicas = config.databaseReplicaUrls.map((url) => {
      const pool = new Pool({
        ...(config.databasePreparedStatements ? { Client: AutoPreparingClient } : {}),
        connectionString: url,
        max: 10,
        application_name: `sway-${config.role}-replica`,
        // A dead replica must cost a request little: fail the connect fast and fall back.
        connectionTimeoutMillis: 2_000,
        statement_timeout: 30_000,
        options: `-c search_path=${searchPath()}`,
      });
      pool.on('error', () => undefined); // idle clients dropped by a dying replica; the next checkout reconnects
      return { url, pool, downUntil: 0, lag: 0, behind: false };
    });
    if (this.replicas.length && this.maxLag > 0) {
      this.lagTimer = setInterval(() => void this.pollLag(), LAG_POLL_MS);
      this.lagTimer.unref();
    }
  }

  private async pollLag(): Promise<void> {
    await Promise.all(
      this.replicas.map(async (r) => {
        try {
          const [{ lag }] = (await r.pool.query<{ lag: number }>(LAG_SQL)).rows;
          r.lag = lag;
        } catch {
          return; // an unavailable replica is found, and skipped, by the next read
        }
        const behind = r.lag > this.maxLag;
        if (behind !== r.behind) {
          r.behind = behind;
          if (behind) {
            this.logger.warn(`read replica lags ${r.lag.toFixed(1)} s (bound ${this.maxLag} s), reads go elsewhere`);
          } else this.logger.log(`read replica caught up (lag ${r.lag.toFixed(1)} s), serving reads again`);
        }
      }),
    );
  }

  get configured(): number {
    return this.replicas.length;
  }

  /** Same contract as `DataSource.query` for a SELECT (the rows), on a healthy replica or else the primary. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- DataSource.query's own default, so callers move over unchanged
  async query<T = any>(sql: string, params: unknown[] = []): Promise<T> {
    const now = Date.now();
    for (let i = 0; i < this.replicas.length; i++) {
      const r = this.replicas[(this.next + i) % this.replicas.length];
      if (r.downUntil > now || r.behind) continue;
      this.next = (this.next + i + 1) % this.replicas.length;
      try {
        return (await r.pool.query(sql, params)).rows as T;
      } catch (err) {
        if (!unavailable(err)) throw err;
        r.downUntil = Date.now() + REPLICA_RETRY_MS;
        this.logger.warn(
          `read replica unavailable, reads go to the primary for ${REPLICA_RETRY_MS} ms: ${(err as Error).message}`,
        );
      }
    }
    return this.primary.query(sql, params);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }
}

@Global()
@Module({ providers: [ReadReplicas], exports: [ReadReplicas] })
export class ReadReplicasModule {}
