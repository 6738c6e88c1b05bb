import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { searchPath } from './contexts';

/** After a replica failed to answer, it is skipped (reads go to the primary) for this long before it is tried again. */
const REPLICA_RETRY_MS = 5_000;

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
}

/**
 * Reads that may lag — reports, the CSV export, audience estimates, a brand's campaign list — go to a streaming
 * replica (DATABASE_REPLICA_URLS); everything else, every write and every read that must see a write just made
 * (claim then show the claim, create then get), stays on the primary DataSource.
 *
 * A replica that cannot answer is skipped for REPLICA_RETRY_MS and the read runs on the primary instead: these
 * reads are rollup lookups keyed by campaign, cheap enough for the primary to carry through a replica outage, and
 * failing them would turn a lost replica into a dashboard outage. A query error that is not about availability
 * (bad SQL, a constraint) is the caller's, as on the primary. Plain pg pools rather than TypeORM's `replication`
 * option: TypeORM refuses to start while any replica is unreachable and picks replicas without regard to health,
 * so a dead replica would take the primary's API down with it — the opposite of the point.
 */
@Injectable()
export class ReadReplicas implements OnApplicationShutdown {
  private readonly logger = new Logger(ReadReplicas.name);
  private readonly replicas: Replica[];
  private next = 0;

  constructor(
    private readonly primary: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.replicas = config.databaseReplicaUrls.map((url) => {
      const pool = new Pool({
        connectionString: url,
        max: 10,
        application_name: `sway-${config.role}-replica`,
        // A dead replica must cost a request little: fail the connect fast and fall back.
        connectionTimeoutMillis: 2_000,
        statement_timeout: 30_000,
        options: `-c search_path=${searchPath()}`,
      });
      pool.on('error', () => undefined); // idle clients dropped by a dying replica; the next checkout reconnects
      return { url, pool, downUntil: 0 };
    });
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
      if (r.downUntil > now) continue;
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
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }
}

@Global()
@Module({ providers: [ReadReplicas], exports: [ReadReplicas] })
export class ReadReplicasModule {}
