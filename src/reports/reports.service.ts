import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { CampaignsService } from '../campaigns/campaigns.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { InfluencersService } from '../influencers/influencers.service';
import { MatchingService } from '../matching/matching.service';
import { LruCache } from '../tracking/link-cache';
import { TrustService } from '../trust/trust.service';
import { csvRow } from './csv';
import { BrandSummaryDto, CurrencySummaryDto, DailyQueryDto, DailyReportDto } from './dto/report.dto';
import { CampaignFacts, CampaignReport, ClaimFacts, buildReport, campaignCost, netSales, roi } from './report.math';
import { ReportCampaignNotFound } from './reports.exception';
import { ReportsRepository, StatsRow } from './reports.repository';

/** byInfluencer lists the best claims only; the CSV lists them all. */
const BY_INFLUENCER_LIMIT = 100;
const CSV_PAGE = 2_000;
/** The live audience count runs the eligibility predicate over all members: seconds-fresh is fresh enough. */
const ELIGIBLE_TTL_MS = 30_000;

const CSV_HEADER = [
  'claim_id',
  'influencer_ref',
  'display_name',
  'code',
  'status',
  'claimed_at',
  'fulfilled_at',
  'topic',
  'shares',
  'disclosed_shares',
  'reach',
  'engagements',
  'clicks',
  'conversions',
  'revenue_cents',
  'possible_code_leaks',
];

@Injectable()
export class ReportsService {
  private readonly eligible = new LruCache<number>(10_000);

  constructor(
    private readonly repo: ReportsRepository,
    private readonly campaigns: CampaignsService,
    private readonly matching: MatchingService,
    private readonly influencers: InfluencersService,
    private readonly trust: TrustService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report(brandId: string, campaignId: string): Promise<CampaignReport> {
    const c = await this.facts(brandId, campaignId);
    const [facts, best, eligible, fraud] = await Promise.all([
      this.repo.rollupFacts(campaignId),
      this.bestClaims(brandId, campaignId),
      this.eligibleNow(brandId, campaignId),
      this.trust.counts(campaignId),
    ]);
    const excluded = await this.trust.exclusions(campaignId, c.currency, fraud.confirmed);
    return buildReport(
      {
        campaign: c,
        funnel: { ...facts.funnel, eligible },
        sales: facts.sales,
        topics: facts.topics,
        claims: best,
        claimsTotal: c.claimed,
        fraud,
        excluded,
      },
      new Date(),
    );
  }

  async daily(brandId: string, campaignId: string, q: DailyQueryDto): Promise<DailyReportDto> {
    const c = await this.facts(brandId, campaignId);
    return { data: await this.repo.daily(campaignId, c.currency, q.from ?? null, q.to ?? null) };
  }

  /** One row per claim, written page by page (a big campaign never sits in memory as one string). */
  async csv(brandId: string, campaignId: string): Promise<Readable> {
    await this.facts(brandId, campaignId);
    const repo = this.repo;
    const influencers = this.influencers;
    async function* rows(): AsyncGenerator<string> {
      yield csvRow(CSV_HEADER);
      for (let after: [string, string] | undefined; ;) {
        const page = await repo.claimStats(campaignId, { order: 'claimed', limit: CSV_PAGE, after });
        const views = await influencers.brandViews(
          brandId,
          page.map((r) => r.influencerId),
        );
        let out = '';
        for (const r of page) {
          const k = toClaimFacts(r, views.get(r.influencerId) ?? { ref: '' });
          const net = netSales(k);
          out += csvRow([
            r.claimId,
            k.influencer.ref,
            k.influencer.displayName ?? null,
            r.code,
            r.status,
            r.createdAt.toISOString(),
            r.fulfilledAt?.toISOString() ?? null,
            r.topicSlug,
            k.shares,
            k.disclosedShares,
            k.reach,
            k.engagements,
            k.clicks,
            net.conversions,
            net.revenueCents,
            k.codeLeaks,
          ]);
        }
        if (out) yield out;
        if (page.length < CSV_PAGE) return;
        const last = page[page.length - 1];
        after = [last.cursorUs, last.claimId];
      }
    }
    return Readable.from(rows());
  }

  async summary(brandId: string): Promise<BrandSummaryDto> {
    const rows = await this.repo.summary(brandId);
    const totals = new Map<string, CurrencySummaryDto>();
    const data = rows.map((r) => {
      const cost = campaignCost(r.claimed, r.unitCostCents, r.feeBps ?? this.config.platformFeeBps);
      const sales = netSales(r);
      const t = totals.get(r.currency) ?? {
        currency: r.currency,
        campaigns: 0,
        claimed: 0,
        clicks: 0,
        conversions: 0,
        revenueCents: 0,
        totalCostCents: 0,
        roi: null,
      };
      t.campaigns++;
      t.claimed += r.claimed;
      t.clicks += r.clicks;
      t.conversions += sales.conversions;
      t.revenueCents += sales.revenueCents;
      t.totalCostCents += cost.totalCents;
      totals.set(r.currency, t);
      return {
        campaignId: r.id,
        name: r.name,
        status: r.status,
        currency: r.currency,
        claimed: r.claimed,
        clicks: r.clicks,
        conversions: sales.conversions,
        revenueCents: sales.revenueCents,
        totalCostCents: cost.totalCents,
        roi: roi(sales.revenueCents, cost.totalCents),
      };
    });
    for (const t of totals.values()) t.roi = roi(t.revenueCents, t.totalCostCents);
    return { data, totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
  }

  /** The brand's own campaign or a 404: the brandId comparison is the tenant scope of every report. */
  private async facts(brandId: string, campaignId: string): Promise<CampaignFacts> {
    const row = await this.campaigns.findById(campaignId);
    if (!row || row.brandId !== brandId) throw new ReportCampaignNotFound();
    return {
      id: row.id,
      currency: row.currency,
      claimed: row.claimed,
      unitCostCents: Number(row.unitCostCents),
      feeBps: row.platformFeeBps ?? this.config.platformFeeBps,
    };
  }

  /** The members' lookup follows the best claims while the sums are read: one round trip less on the way. */
  private async bestClaims(brandId: string, campaignId: string): Promise<ClaimFacts[]> {
    const rows = await this.repo.claimStats(campaignId, { order: 'best', limit: BY_INFLUENCER_LIMIT });
    const views = await this.influencers.brandViews(
      brandId,
      rows.map((r) => r.influencerId),
    );
    return rows.map((r) => toClaimFacts(r, views.get(r.influencerId) ?? { ref: '' }));
  }

  private async eligibleNow(brandId: string, campaignId: string): Promise<number> {
    const cached = this.eligible.get(campaignId);
    if (cached !== undefined) return cached;
    const { eligible } = await this.matching.audience(brandId, campaignId);
    this.eligible.set(campaignId, eligible, ELIGIBLE_TTL_MS);
    return eligible;
  }
}

function toClaimFacts(r: StatsRow, influencer: ClaimFacts['influencer']): ClaimFacts {
  return {
    claimId: r.claimId,
    influencer,
    topicSlug: r.topicSlug,
    shares: Number(r.shares),
    disclosedShares: Number(r.disclosedShares),
    reach: Number(r.reach),
    engagements: Number(r.engagements),
    clicks: Number(r.clicks),
    conversions: Number(r.conversions),
    refundedConversions: Number(r.refundedConversions),
    revenueCents: Number(r.revenueCents),
    refundedCents: Number(r.refundedCents),
    codeLeaks: Number(r.codeLeaks),
  };
}
