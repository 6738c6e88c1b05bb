import { NotificationsService } from '../notifications/notifications.service';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignsService } from '../campaigns/campaigns.service';
import { decodeCursor, Page, toPage } from '../common/pagination/pagination';
import { OutboxService } from '../common/outbox/outbox.service';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { InfluencersService } from '../influencers/influencers.service';
import { AudienceDto, BrandOfferDto, MemberOfferDto, OfferListQueryDto, OfferPerkDto } from './dto/offer.dto';
import { OfferExpired, OfferNotFound, OfferNotPending } from './matching.exception';
import { campaignSoldOut, matchCampaign } from './matching.queue';
import { ClaimedOffer, MatchingRepository, MemberOfferRow } from './matching.repository';

/** A wave re-reads only when racing waves took members to the cap; a bound keeps a pathological race finite. */
const MAX_ROUNDS = 10;
const EXPIRY_BATCH = 5_000;

/** The perk as members see it, from the campaign columns both offers and claims select. */
export function toOfferPerk(r: {
  perkTitle: string;
  perkDescription: string;
  perkKind: string;
  unitCostCents: string;
  currency: string;
  brandName: string;
  landingUrl: string;
}): OfferPerkDto {
  return {
    title: r.perkTitle,
    description: r.perkDescription,
    kind: r.perkKind,
    unitCostCents: Number(r.unitCostCents),
    currency: r.currency,
    brandName: r.brandName,
    landingUrl: r.landingUrl,
  };
}

function toMemberOffer(r: MemberOfferRow): MemberOfferDto {
  return {
    id: r.id,
    campaignId: r.campaignId,
    status: r.status,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    perk: toOfferPerk(r),
  };
}

@Injectable()
export class MatchingService implements OnModuleInit {
  private readonly logger = new Logger(MatchingService.name);

  constructor(
    private readonly repo: MatchingRepository,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly campaigns: CampaignsService,
    private readonly influencers: InfluencersService,
    private readonly privacy: PrivacyRegistry,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    // Completed or cancelled: nobody can claim any more, so nobody should keep a pending offer.
    this.campaigns.onCampaignsEnded(async (m, change) => {
      await this.repo.withdrawCampaignOffers(m, change.campaignIds, 'campaign_ended');
    });
    this.privacy.register({
      name: 'offers',
      export: async (id, m) => {
        const rows: MemberOfferRow[] = [];
        for (let after: [string, string] | undefined; ;) {
          const page = await this.repo.memberOffers(id, { after, limit: 500 }, m);
          rows.push(...page);
          if (page.length < 500) break;
          const last = page[page.length - 1];
          after = [last.cursorUs, last.id];
        }
        return rows.map(toMemberOffer);
      },
      erase: async (id, m) => {
        await this.repo.withdrawMemberOffers(m, id, 'erased');
        // The wave's lock row names the member and when they were last picked: it goes with them.
        await this.repo.eraseOfferLock(m, id);
      },
    });
  }

  /**
   * One wave for a campaign: offers up to 2 × remaining pending, best match first (the lazy ordered wave of
   * eligibility.sql.ts). Waves of one campaign are serialised by its advisory lock; waves of different campaigns
   * run at once and wait for each other only on the members both picked (their offer_locks rows), so the weekly
   * cap is counted after the other wave's offers are in. The unique key (campaign, member) is the backstop.
   */
  async matchCampaign(campaignId: string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await this.repo.lockCampaign(m, campaignId);
      const target = await this.repo.waveTarget(m, campaignId);
      if (!target) return 0;
      const wanted = this.repo.wantedOffers(target);
      if (wanted === 0) return 0;
      const rule = await this.repo.waveRule(m, campaignId);
      let made = 0;
      // Members another wave filled up to the cap meanwhile are skipped; the next read no longer sees them.
      for (let round = 0; made < wanted && round < MAX_ROUNDS; round++) {
        const picked = await this.repo.nextWave(m, target, rule, wanted - made);
        if (!picked.length) break;
        await this.repo.lockMembers(
          m,
          picked.map((c) => c.influencer_id),
        );
        made += await this.repo.insertOffers(m, target, picked);
        if (picked.length < wanted - made) break;
      }
      if (made) this.logger.log(`campaign ${campaignId}: ${made} new offer(s)`);
      if (made) await this.notifications.offersMade(m, campaignId);
      return made;
    });
  }

  async matchActiveCampaigns(): Promise<number> {
    let total = 0;
    for (const id of await this.repo.activeCampaignIds()) total += await this.matchCampaign(id);
    return total;
  }

  /** A member became matchable (consent granted, topic unhidden): a wave for each campaign they may fit. */
  async matchMember(influencerId: string): Promise<number> {
    let total = 0;
    for (const id of await this.repo.activeCampaignIdsFor(influencerId)) total += await this.matchCampaign(id);
    return total;
  }

  async withdrawMember(influencerId: string, reason: string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const campaigns = await this.repo.withdrawMemberOffers(m, influencerId, reason);
      if (campaigns.length) await this.outbox.enqueue(m, ...campaigns.map(matchCampaign));
      return campaigns.length;
    });
  }

  async expireDue(): Promise<number> {
    let touched = 0;
    for (;;) {
      const campaigns = await this.dataSource.transaction(async (m) => {
        const ids = await this.repo.expireDue(m, EXPIRY_BATCH);
        if (ids.length) await this.outbox.enqueue(m, ...ids.map(matchCampaign));
        return ids;
      });
      touched += campaigns.length;
      if (!campaigns.length) return touched;
    }
  }

  async audience(brandId: string, campaignId: string): Promise<AudienceDto> {
    await this.campaigns.get(brandId, campaignId); // 404 unless it is this brand's
    const { eligible, exact, relativeErrorBound } = await this.repo.countAudience(campaignId);
    return { eligible, exact, relativeErrorBound };
  }

  async memberOffers(influencerId: string, q: OfferListQueryDto): Promise<Page<MemberOfferDto>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows = await this.repo.memberOffers(influencerId, {
      status: q.status,
      after: after ?? undefined,
      limit: limit + 1,
    });
    return toPage(rows, limit, toMemberOffer, (r) => [r.cursorUs, r.id]);
  }

  async decline(influencerId: string, offerId: string): Promise<MemberOfferDto> {
    await this.dataSource.transaction(async (m) => {
      const o = await this.repo.lockMemberOffer(m, influencerId, offerId);
      if (!o) throw new OfferNotFound();
      if (o.status === 'declined') return; // declining twice is harmless
      if (o.expired || o.status === 'expired') throw new OfferExpired();
      if (o.status !== 'pending') throw new OfferNotPending(o.status);
      await this.repo.setStatus(m, offerId, 'declined');
      await this.outbox.enqueue(m, matchCampaign(o.campaignId)); // top-up
    });
    const [row] = await this.repo.memberOffers(influencerId, { limit: 1, id: offerId });
    return toMemberOffer(row);
  }

  async campaignOffers(brandId: string, campaignId: string, q: OfferListQueryDto): Promise<Page<BrandOfferDto>> {
    await this.campaigns.get(brandId, campaignId);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows = await this.repo.campaignOffers(campaignId, {
      status: q.status,
      after: after ?? undefined,
      limit: limit + 1,
    });
    const views = await this.influencers.brandViews(
      brandId,
      rows.map((r) => r.influencerId),
    );
    return toPage(
      rows,
      limit,
      (r) => ({
        id: r.id,
        status: r.status,
        matchScore: r.matchScore,
        influencer: views.get(r.influencerId)!,
        createdAt: r.createdAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        decidedAt: r.decidedAt?.toISOString() ?? null,
        withdrawnReason: r.withdrawnReason,
      }),
      (r) => [r.cursorUs, r.id],
    );
  }

  // ---- for the claim transaction (redemptions) ----

  /** The topic a claim is reported under, by the eligibility rule (eligibility.sql.ts); 0 when none. */
  /** Inside the claim's transaction; the caller rolls back if anything after it fails. */
  claimOffer(m: EntityManager, influencerId: string, offerId: string): Promise<ClaimedOffer | null> {
    return this.repo.claimOffer(m, influencerId, offerId);
  }

  lockMemberOffer(m: EntityManager, influencerId: string, offerId: string) {
    return this.repo.lockMemberOffer(m, influencerId, offerId);
  }

  /**
   * Inside the claim that took the last unit this would deadlock with concurrent claims (they hold their offer
   * and wait for the campaign row; this would wait for their offers): it runs as a job after the commit.
   */
  publishSoldOut(m: EntityManager, campaignId: string): Promise<void> {
    return this.outbox.enqueue(m, campaignSoldOut(campaignId));
  }

  withdrawSoldOut(campaignId: string): Promise<number> {
    return this.dataSource.transaction((m) => this.repo.withdrawCampaignOffers(m, [campaignId], 'sold_out'));
  }
}
