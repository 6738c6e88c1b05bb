import { businessNow } from '../common/clock/business-clock';
import { NotificationsService } from '../notifications/notifications.service';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AuditLog } from '../audit/audit.service';
import { DataSource, EntityManager } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { decodeCursor, Page, toPage } from '../common/pagination/pagination';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { brandKeyedHash, normalizeAddress, normalizeEmail } from '../common/privacy/pseudonym';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RollupsService } from '../tracking/rollups.service';
import { InfluencersService } from '../influencers/influencers.service';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { OfferExpired, OfferNotFound, OfferNotPending } from '../matching/matching.exception';
import { MatchingService, toOfferPerk } from '../matching/matching.service';
import {
  BrandClaimDto,
  ClaimListQueryDto,
  ClaimResponseDto,
  FulfilClaimRequestDto,
  MemberClaimDto,
} from './dto/claim.dto';
import { generateRedemptionCode } from './redemption-code';
import { CampaignNotClaimable, ClaimNotFound, ShippingAddressRequired } from './redemptions.exception';
import { ClaimRow, MemberClaimRow, RedemptionsRepository } from './redemptions.repository';
import { SHIPPING_ADDRESS_RETENTION_DAYS } from './redemptions.queue';

@Injectable()
export class RedemptionsService implements OnModuleInit {
  constructor(
    private readonly repo: RedemptionsRepository,
    private readonly dataSource: DataSource,
    private readonly matching: MatchingService,
    private readonly campaigns: CampaignsService,
    private readonly billing: BillingService,
    private readonly influencers: InfluencersService,
    private readonly rollups: RollupsService,
    private readonly privacy: PrivacyRegistry,
    private readonly webhooks: WebhookEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditLog,
  ) {}

  onModuleInit(): void {
    this.privacy.register({
      name: 'claims',
      export: async (id, m) => (await this.repo.memberClaims(id, { limit: 100_000 }, m)).map((r) => this.toMember(r)),
      // Claims stay for the brand's accounting, under its pseudonym; the address is the only personal field.
      erase: (id, m) => this.repo.eraseMember(m, id),
    });
  }

  trackingUrl(code: string): string {
    return `${this.config.publicBaseUrl}/r/${code}`;
  }

  /**
   * One short transaction: the member's offer (locked) must be pending and unexpired; one unit is taken with a
   * conditional UPDATE; the claim row is unique per (campaign, member); spend and fee go to the ledger; the last
   * unit queues the withdrawal of every other pending offer. Lock order: offer, then campaign (billing locks
   * campaign first only in paths that never touch offers). The campaign's row and its day's rollup are hot (every
   * claim of the campaign writes them), so they are written last: their locks span three statements and COMMIT,
   * not the whole claim (bench/README.md, claims).
   */
  async claim(influencerId: string, offerId: string): Promise<ClaimResponseDto> {
    const claim = await this.dataSource.transaction(async (m) => {
      const offer = await this.matching.claimOffer(m, influencerId, offerId);
      if (!offer) throw new OfferNotFound();
      if (offer.expired || offer.status === 'expired') throw new OfferExpired();
      if (!offer.claimed) throw new OfferNotPending(offer.status);
      let shippingAddress = null;
      if (offer.perkKind === 'product') {
        shippingAddress = await this.influencers.shippingAddressOf(m, influencerId);
        if (!shippingAddress) {
          // A sold-out or paused campaign is the answer that matters more; only this error path pays for asking.
          const taken = await this.campaigns.takeUnit(m, offer.campaignId);
          if ('refused' in taken) throw new CampaignNotClaimable(taken.refused);
          throw new ShippingAddressRequired();
        }
      }
      // Keyed hashes for the fraud rules (shared household, self-referral), taken now: the address is purged after
      // fulfilment and the email may change, but the rules compare what was true when the perk was claimed.
      const secret = this.config.hashSecret;
      const addressHash = shippingAddress
        ? brandKeyedHash(secret, offer.brandId, 'address', normalizeAddress(shippingAddress))
        : null;
      const email = await this.influencers.emailOf(m, influencerId);
      const claimantHash = email ? brandKeyedHash(secret, offer.brandId, 'email', normalizeEmail(email)) : null;
      let claimId: string | null = null;
      let code = '';
      const createdAt = businessNow();
      while (!claimId) {
        code = generateRedemptionCode();
        claimId = await this.repo.insertClaim(m, {
          offerId,
          campaignId: offer.campaignId,
          influencerId,
          code,
          shippingAddress,
          addressHash,
          claimantHash,
          createdAt,
        });
      }
      await this.webhooks.record(m, offer.brandId, 'claim.created', {
        claimId,
        campaignId: offer.campaignId,
        offerId,
        code,
      });
      const taken = await this.campaigns.takeUnit(m, offer.campaignId);
      if ('refused' in taken) throw new CampaignNotClaimable(taken.refused);
      await this.rollups.recordClaim(m, {
        claimId,
        campaignId: offer.campaignId,
        topicId: offer.topicId,
        at: createdAt,
      });
      await this.billing.recordClaim(m, offer.campaignId, claimId);
      if (taken.remaining === 0) {
        await this.matching.publishSoldOut(m, offer.campaignId);
        await this.webhooks.record(m, taken.brandId, 'campaign.sold_out', { campaignId: offer.campaignId });
        await this.notifications.campaignNotice(
          m,
          'campaign_sold_out',
          offer.campaignId,
          `sold-out:${offer.campaignId}`,
        );
      }
      return { id: claimId, campaignId: offer.campaignId, code };
    });
    return {
      claim: {
        id: claim.id,
        offerId,
        campaignId: claim.campaignId,
        status: 'claimed',
        code: claim.code,
        trackingUrl: this.trackingUrl(claim.code),
      },
    };
  }

  async memberClaims(influencerId: string, q: ClaimListQueryDto): Promise<Page<MemberClaimDto>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows = await this.repo.memberClaims(influencerId, {
      after: after ?? undefined,
      limit: limit + 1,
      status: q.status,
    });
    return toPage(
      rows,
      limit,
      (r) => this.toMember(r),
      (r) => [r.cursorUs, r.id],
    );
  }

  async campaignClaims(brandId: string, campaignId: string, q: ClaimListQueryDto): Promise<Page<BrandClaimDto>> {
    await this.campaigns.get(brandId, campaignId);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['micros', 'uuid']);
    const rows = await this.repo.campaignClaims(campaignId, {
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
      (r) => this.toBrand(r, views.get(r.influencerId)!),
      (r) => [r.cursorUs, r.id],
    );
  }

  async fulfil(
    brandId: string,
    campaignId: string,
    claimId: string,
    dto: FulfilClaimRequestDto,
  ): Promise<BrandClaimDto> {
    await this.campaigns.get(brandId, campaignId);
    await this.dataSource.transaction(async (m) => {
      const was = await this.repo.fulfil(campaignId, claimId, dto.trackingNumber ?? null, m);
      if (!was) throw new ClaimNotFound();
      // Once per claim: fulfilling again (to correct the tracking number) is not a new fact.
      const trackingNumber = dto.trackingNumber ?? null;
      if (was === 'claimed') {
        await this.webhooks.record(m, brandId, 'claim.fulfilled', { claimId, campaignId, trackingNumber });
        await this.claimFulfilled(m, claimId, trackingNumber);
        await this.rollups.recordFulfilment(m, campaignId);
      }
      // A tracking number leads to the member's address at the carrier: the log says only whether one was given.
      await this.audit.record(m, {
        brandId,
        action: was === 'claimed' ? 'claim.fulfilled' : 'claim.tracking_updated',
        target: { type: 'claim', id: claimId },
        changes: { campaignId, hasTrackingNumber: trackingNumber !== null },
      });
    });
    const row = (await this.repo.campaignClaim(campaignId, claimId))!;
    const views = await this.influencers.brandViews(brandId, [row.influencerId]);
    return this.toBrand(row, views.get(row.influencerId)!);
  }

  /** The member's notice: their perk and its tracking number (theirs to see). */
  private async claimFulfilled(m: EntityManager, claimId: string, trackingNumber: string | null): Promise<void> {
    const [c] = await m.query(
      `SELECT cl.influencer_id AS "influencerId", cf.perk_title AS "perkTitle", b.name AS "brandName"
       FROM redemptions.claims cl JOIN campaigns.campaign_facts cf ON cf.id = cl.campaign_id
       LEFT JOIN brands.brand_names b ON b.id = cf.brand_id WHERE cl.id = $1`,
      [claimId],
    );
    if (!c) return;
    await this.notifications.record(m, {
      to: { kind: 'member', id: c.influencerId },
      kind: 'claim_fulfilled',
      key: `claim-fulfilled:${claimId}`,
      params: { claimId, perkTitle: c.perkTitle, brandName: c.brandName, trackingNumber },
    });
  }

  purgeShippedAddresses(): Promise<number> {
    return this.repo.purgeShippedAddresses(SHIPPING_ADDRESS_RETENTION_DAYS);
  }

  private toBrand(r: ClaimRow, influencer: BrandClaimDto['influencer']): BrandClaimDto {
    const dto: BrandClaimDto = {
      id: r.id,
      offerId: r.offerId,
      status: r.status,
      code: r.code,
      influencer,
      trackingNumber: r.trackingNumber,
      createdAt: r.createdAt.toISOString(),
      fulfilledAt: r.fulfilledAt?.toISOString() ?? null,
    };
    // The address is for shipping this one claim: shown for product perks only, and only until it ships.
    if (r.perkKind === 'product') dto.shippingAddress = r.status === 'claimed' ? r.shippingAddress : null;
    return dto;
  }

  private toMember(r: MemberClaimRow): MemberClaimDto {
    return {
      id: r.id,
      offerId: r.offerId,
      campaignId: r.campaignId,
      status: r.status,
      code: r.code,
      trackingUrl: this.trackingUrl(r.code),
      createdAt: r.createdAt.toISOString(),
      fulfilledAt: r.fulfilledAt?.toISOString() ?? null,
      trackingNumber: r.trackingNumber,
      perk: toOfferPerk(r),
    };
  }
}
