import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Network } from '../influencers/entities/social-account.entity';
import { SignalNetwork } from '../scoring/signals-validator';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { ScoringService } from '../scoring/scoring.service';
import { RollupsService } from '../tracking/rollups.service';
import { businessNow } from '../common/clock/business-clock';
import { hasDisclosure } from './disclosure';
import { CreateShareRequestDto, ShareDto } from './dto/share.dto';
import { ClaimNotFound } from './redemptions.exception';
import { ShareRow, SharesRepository } from './shares.repository';
import { SHARE_METRICS_BATCH, SHARE_METRICS_DAYS } from './redemptions.queue';
import { AppException } from '../common/problem/app.exception';
import { CampaignsService } from '../campaigns/campaigns.service';
import { WebhookEventsService } from '../webhooks/webhook-events.service';

/** No fragment, no trailing slash (the host is lower-cased by the URL parser); the query is kept. */
function normalizeShareUrl(raw: string): string {
  const u = new URL(raw);
  u.hash = '';
  if (u.pathname.length > 1) u.pathname = u.pathname.replace(/\/+$/, '');
  return u.toString();
}

function toDto(r: ShareRow): ShareDto {
  return {
    id: r.id,
    url: r.url,
    disclosed: r.disclosed,
    network: r.network,
    reach: r.reach,
    engagements: r.engagements,
    postedAt: r.postedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Posts in which members share their perk: disclosure checked, reach and engagements from connector signals. */
@Injectable()
export class SharesService implements OnModuleInit {
  private readonly logger = new Logger(SharesService.name);

  constructor(
    private readonly repo: SharesRepository,
    private readonly dataSource: DataSource,
    private readonly scoring: ScoringService,
    private readonly rollups: RollupsService,
    private readonly privacy: PrivacyRegistry,
    private readonly campaigns: CampaignsService,
    private readonly webhooks: WebhookEventsService,
  ) {}

  onModuleInit(): void {
    this.privacy.register({
      name: 'shares',
      export: async (id, m) =>
        (await this.repo.memberShares(m, id)).map((r) => ({ ...toDto(r), claimId: r.claimId, text: r.text })),
      erase: (id, m) => this.repo.eraseMember(m, id),
    });
  }

  /** One transaction: the share and its counters. The same URL on the same claim returns the first share. */
  async create(
    influencerId: string,
    claimId: string,
    dto: CreateShareRequestDto,
  ): Promise<{ created: boolean; body: ShareDto }> {
    const url = normalizeShareUrl(dto.url);
    const postedAt = dto.postedAt ? new Date(dto.postedAt) : null;
    if (postedAt && (Number.isNaN(postedAt.getTime()) || postedAt.getTime() > Date.now() + 5 * 60_000)) {
      throw new AppException('validation_failed', 'postedAt must not be in the future', [
        { field: 'postedAt', message: 'must not be in the future' },
      ]);
    }
    return this.dataSource.transaction(async (m) => {
      const claim = await this.repo.memberClaim(m, influencerId, claimId);
      if (!claim) throw new ClaimNotFound();
      return this.insertShare(m, influencerId, claimId, claim.campaignId, {
        network: dto.network,
        url,
        text: dto.text ?? null,
        disclosed: hasDisclosure(dto.text),
        postedAt,
        engagements: 0,
      });
    });
  }

  /**
   * A connector found a post carrying one of the member's claim codes (or tracking links): it becomes that
   * claim's share, the same row and de-duplication as `POST /v1/me/claims/{id}/shares`. The disclosure is
   * checked here and the text is not kept. `engagements` is the network's own count, a floor for the metrics.
   * Runs in the connector's transaction. Returns the claim id, or null when the code is not one of the member's.
   */
  async recordFromPost(
    m: EntityManager,
    influencerId: string,
    post: {
      code: string;
      url: string;
      network: Network | SignalNetwork;
      text: string;
      postedAt: Date;
      engagements: number;
    },
  ): Promise<{ claimId: string; created: boolean } | null> {
    const claim = await this.repo.memberClaimByCode(m, influencerId, post.code);
    if (!claim) return null;
    const r = await this.insertShare(m, influencerId, claim.id, claim.campaignId, {
      network: post.network,
      url: normalizeShareUrl(post.url),
      text: null,
      disclosed: hasDisclosure(post.text),
      postedAt: post.postedAt,
      engagements: post.engagements,
    });
    return { claimId: claim.id, created: r.created };
  }

  private async insertShare(
    m: EntityManager,
    influencerId: string,
    claimId: string,
    campaignId: string,
    v: {
      network: string;
      url: string;
      text: string | null;
      disclosed: boolean;
      postedAt: Date | null;
      engagements: number;
    },
  ): Promise<{ created: boolean; body: ShareDto }> {
    const url = v.url;
    {
      const existing = await this.repo.byClaimUrl(m, claimId, url);
      if (existing) return { created: false, body: toDto(existing) };
      const [metrics] = await this.scoring.postMetrics([{ influencerId, url }], m);
      const row = await this.repo.insert(m, {
        claimId,
        campaignId,
        influencerId,
        network: v.network,
        url,
        text: v.text,
        disclosed: v.disclosed,
        reach: metrics.reach,
        engagements: Math.max(metrics.engagements, v.engagements),
        postedAt: v.postedAt,
        createdAt: businessNow(),
      });
      // Lost a race with the same share in a concurrent request: answer with the winner's row.
      if (!row) return { created: false, body: toDto((await this.repo.byClaimUrl(m, claimId, url))!) };
      await this.rollups.addShares(m, [
        {
          campaignId: row.campaignId,
          claimId,
          day: row.day,
          shares: 1,
          disclosed: row.disclosed ? 1 : 0,
          reach: row.reach,
          engagements: row.engagements,
        },
      ]);
      const brandId = (await this.campaigns.findById(row.campaignId, m))!.brandId;
      await this.webhooks.record(m, brandId, 'share.created', {
        shareId: row.id,
        claimId,
        campaignId: row.campaignId,
        network: row.network,
        disclosed: row.disclosed,
        postedAt: row.postedAt?.toISOString() ?? null,
      });
      return { created: true, body: toDto(row) };
    }
  }

  /**
   * Signals keep arriving after a share is registered: recent shares' reach and engagements are recomputed from
   * them and the difference goes to the rollups, batch by batch. Metrics only grow (signals can be pruned or
   * erased later; a report must not shrink because of that).
   */
  async refreshMetrics(): Promise<number> {
    let changed = 0;
    for (let after: string | null = null; ;) {
      const batch: ShareRow[] = await this.dataSource.transaction(async (m) => {
        const rows = await this.repo.lockRecent(m, SHARE_METRICS_DAYS, after, SHARE_METRICS_BATCH);
        const metrics = await this.scoring.postMetrics(
          rows.map((r) => ({ influencerId: r.influencerId, url: r.url })),
          m,
        );
        const updates = rows
          .map((r, k) => ({
            row: r,
            reach: Math.max(r.reach, metrics[k].reach),
            engagements: Math.max(r.engagements, metrics[k].engagements),
          }))
          .filter((u) => u.reach !== u.row.reach || u.engagements !== u.row.engagements);
        await this.repo.setMetrics(
          m,
          updates.map((u) => ({ id: u.row.id, reach: u.reach, engagements: u.engagements })),
        );
        await this.rollups.addShares(
          m,
          updates.map((u) => ({
            campaignId: u.row.campaignId,
            claimId: u.row.claimId,
            day: u.row.day,
            shares: 0,
            disclosed: 0,
            reach: u.reach - u.row.reach,
            engagements: u.engagements - u.row.engagements,
          })),
        );
        changed += updates.length;
        return rows;
      });
      if (batch.length < SHARE_METRICS_BATCH) break;
      after = batch[batch.length - 1].id;
    }
    if (changed) this.logger.log(`share metrics refreshed: ${changed} share(s) changed`);
    return changed;
  }
}
