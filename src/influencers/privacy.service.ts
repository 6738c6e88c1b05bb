import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyStore } from '../common/idempotency/idempotency.store';
import { OutboxService } from '../common/outbox/outbox.service';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { AppException } from '../common/problem/app.exception';
import { ErasureResponseDto } from './dto/influencer.dto';
import { InfluencersRepository } from './influencers.repository';
import { InfluencersService, toConsentHistory, toProfile, toSocialAccount } from './influencers.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PRIVACY_QUEUE, PrivacyJob } from './privacy.queue';

/** Export and erasure: this context's own tables plus every registered contributor's part. */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: InfluencersRepository,
    private readonly registry: PrivacyRegistry,
    private readonly outbox: OutboxService,
    private readonly influencers: InfluencersService,
    private readonly idempotency: IdempotencyStore,
    private readonly notifications: NotificationsService,
  ) {}

  async export(id: string): Promise<Record<string, unknown>> {
    // REPEATABLE READ: one consistent snapshot across every context's tables.
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const profile = await this.repo.findActive(id, m);
      if (!profile) throw new AppException('unauthenticated', 'Unknown member');
      await this.repo.audit(m, id, 'export');
      const out: Record<string, unknown> = {
        exportedAt: new Date().toISOString(),
        profile: { ...toProfile(profile), updatedAt: profile.updatedAt.toISOString() },
        consents: {
          matching: profile.consentMatching,
          shareStatsWithBrands: profile.consentShareStats,
          history: toConsentHistory(await this.repo.consentHistory(id, m)),
        },
        socialAccounts: (await this.repo.socialAccounts(id, m)).map(toSocialAccount),
        topicPreferences: (await this.repo.topicPreferences(id, m)).map((p) => ({
          slug: p.slug,
          hidden: p.hidden,
          updatedAt: p.updatedAt.toISOString(),
        })),
        auditLog: (await this.repo.auditLog(id, m)).map((a) => ({ ...a, at: a.at.toISOString() })),
      };
      for (const c of this.registry.all()) out[c.name] = await c.export(id, m);
      return out;
    });
  }

  /**
   * The personal columns and rows of this context go in the request's transaction, so login and tokens stop
   * working before the 202 is sent; the other contexts' parts follow in the privacy job.
   */
  async requestErasure(id: string): Promise<ErasureResponseDto> {
    await this.dataSource.transaction(async (m) => {
      // Before the tombstone, while the address is known: the last notice, then the address is suppressed.
      const email = (await this.repo.findActive(id, m))?.email ?? null;
      await this.notifications.erasureRequested(m, id, email);
      if (!(await this.repo.tombstone(m, id))) throw new AppException('unauthenticated', 'Unknown member');
      await this.repo.erasePersonalRows(m, id);
      await this.idempotency.eraseMember(m, id);
      await this.repo.audit(m, id, 'erasure_requested');
      await this.influencers.publishMatchingWithdrawn(m, id, 'erased');
      await this.outbox.enqueue(m, {
        queue: PRIVACY_QUEUE,
        name: PrivacyJob.EraseMember,
        payload: { influencerId: id },
      });
    });
    return { status: 'accepted', requestedAt: new Date().toISOString() };
  }

  /** Idempotent: BullMQ may deliver twice, and every contributor's erase is idempotent. */
  async completeErasure(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.repo.erasePersonalRows(m, id);
      await this.idempotency.eraseMember(m, id);
      for (const c of this.registry.all()) await c.erase(id, m);
      await this.repo.audit(m, id, 'erasure_completed', { contributors: this.registry.all().length });
    });
    this.logger.log(`erasure completed for member ${id}`);
  }
}
