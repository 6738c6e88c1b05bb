import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentBrandId } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { ApiProblems } from '../common/problem/problem.dto';
import { CampaignIdParamDto } from '../matching/dto/offer.dto';
import { BrandSummaryDto, CampaignReportDto, DailyQueryDto, DailyReportDto } from './dto/report.dto';
import { CampaignReport } from './report.math';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('v1')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('campaigns/:id/report')
  @Can('reports.read')
  @Auth('brand')
  @ApiOperation({
    summary: 'Funnel, cost and ROI of a campaign, by topic and by member (pseudonymous unless they consented)',
    description:
      'Read from rollups (never raw events). cost: perkCostCents = claimed × unitCostCents; platformFeeCents = ' +
      'round(perkCostCents × bps / 10000) with the bps frozen at funding; roi = (revenueCents − totalCents) / totalCents, ' +
      'null when totalCents is 0. Sales count in the campaign currency net of refunds; others under otherCurrencies.',
  })
  @ApiOkResponse({ type: CampaignReportDto })
  @ApiProblems(400, 401, 403, 404, 429)
  report(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<CampaignReport> {
    return this.reports.report(brandId, p.id);
  }

  @Get('campaigns/:id/report.csv')
  @Can('reports.read')
  @Auth('brand')
  @ApiOperation({ summary: 'One CSV row per claim (members pseudonymous unless they consented)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv; RFC 4180, CRLF line ends, formula-like text prefixed with an apostrophe' })
  @ApiProblems(400, 401, 403, 404, 429)
  async csv(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<StreamableFile> {
    return new StreamableFile(await this.reports.csv(brandId, p.id), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="campaign-${p.id}-report.csv"`,
    });
  }

  @Get('campaigns/:id/report/daily')
  @Can('reports.read')
  @Auth('brand')
  @ApiOperation({ summary: 'Daily series (UTC days): claims, shares, clicks, conversions, revenue' })
  @ApiOkResponse({ type: DailyReportDto })
  @ApiProblems(400, 401, 403, 404, 429)
  daily(
    @CurrentBrandId() brandId: string,
    @Param() p: CampaignIdParamDto,
    @Query() q: DailyQueryDto,
  ): Promise<DailyReportDto> {
    return this.reports.daily(brandId, p.id, q);
  }

  @Get('reports/summary')
  @Can('reports.read')
  @Auth('brand')
  @ApiOperation({ summary: 'Every campaign of the brand with its cost, sales and ROI, and totals per currency' })
  @ApiOkResponse({ type: BrandSummaryDto })
  @ApiProblems(401, 403, 429)
  summary(@CurrentBrandId() brandId: string): Promise<BrandSummaryDto> {
    return this.reports.summary(brandId);
  }
}
