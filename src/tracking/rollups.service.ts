import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RepairedRow, RollupsRepository, ShareRollup } from './rollups.repository';
import { VISITOR_SET_RETENTION_DAYS } from './tracking.queue';
import { TrackingRepository } from './tracking.repository';

@Injectable()
export class RollupsService {
  private readonly logger = new Logger(RollupsService.name);

  constructor(
    private readonly repo: RollupsRepository,
    private readonly tracking: TrackingRepository,
  ) {}

  /** For the shares context: counters move in the caller's transaction, with the share rows. */
  addShares(m: EntityManager, rows: ShareRollup[]): Promise<void> {
    return this.repo.addShares(m, rows);
  }

  /**
   * For redemptions: a claim's rollup rows are born with it, in its transaction — the day's claim counter, the
   * claim's stats row under the topic it is reported by (matching's eligibility rule decides that topic) and that
   * topic's totals.
   */
  recordClaim(
    m: EntityManager,
    claim: { claimId: string; campaignId: string; topicId: number; at?: Date },
  ): Promise<void> {
    return this.repo.recordClaim(m, claim);
  }

  /** For redemptions: a claim's first fulfilment counts in the campaign's totals, in the fulfilment's transaction. */
  recordFulfilment(m: EntityManager, campaignId: string): Promise<void> {
    return this.repo.recordFulfilment(m, campaignId);
  }

  /** Recounts from raw rows and repairs every difference; each repaired row is logged (ids and numbers only). */
  async reconcile(campaignId: string | null = null): Promise<RepairedRow[]> {
    const started = Date.now();
    const repaired = await this.repo.reconcile(campaignId);
    for (const r of repaired) this.logger.warn(`rollup repaired: ${r.table} ${r.key} ${JSON.stringify(r.diff)}`);
    this.logger.log(
      `reconciliation ${campaignId ?? 'all campaigns'}: ${repaired.length} row(s) repaired in ${Date.now() - started} ms`,
    );
    return repaired;
  }

  /** pg_partman's maintenance and retention of raw clicks (TrackingRepository.maintainPartitions). */
  async maintainPartitions(): Promise<{ created: string[]; dropped: string[] }> {
    const r = await this.tracking.maintainPartitions();
    if (r.created.length || r.dropped.length) {
      this.logger.log(
        `click partitions: created ${r.created.join(', ') || 'none'}, dropped ${r.dropped.join(', ') || 'none'}`,
      );
    }
    return r;
  }

  pruneVisitorSets(): Promise<number> {
    return this.tracking.pruneVisitorSets(VISITOR_SET_RETENTION_DAYS);
  }
}
