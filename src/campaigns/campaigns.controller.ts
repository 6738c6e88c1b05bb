import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentBrandId } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { Page } from '../common/pagination/pagination';
import { ApiProblems } from '../common/problem/problem.dto';
import { CampaignsService } from './campaigns.service';
import {
  CampaignIdParamDto,
  CreateCampaignRequestDto,
  ListCampaignsQueryDto,
  UpdateCampaignRequestDto,
} from './dto/campaign-request.dto';
import { CampaignPageDto, CampaignResponseDto } from './dto/campaign-response.dto';

@ApiTags('campaigns')
@Auth('brand')
@Can('campaigns.write')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Create a campaign (status draft)' })
  @ApiCreatedResponse({ type: CampaignResponseDto })
  @ApiProblems(400, 401, 403, 409, 422, 429)
  create(@CurrentBrandId() brandId: string, @Body() dto: CreateCampaignRequestDto): Promise<CampaignResponseDto> {
    return this.campaigns.create(brandId, dto);
  }

  @Get()
  @Can('campaigns.read')
  @ApiOperation({ summary: "The brand's campaigns, newest first" })
  @ApiOkResponse({ type: CampaignPageDto })
  @ApiProblems(400, 401, 403, 429)
  list(@CurrentBrandId() brandId: string, @Query() query: ListCampaignsQueryDto): Promise<Page<CampaignResponseDto>> {
    return this.campaigns.list(brandId, query);
  }

  @Get(':id')
  @Can('campaigns.read')
  @ApiOperation({ summary: 'One campaign' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblems(400, 401, 403, 404, 429)
  get(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<CampaignResponseDto> {
    return this.campaigns.get(brandId, p.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a draft campaign (fields left out keep their value; topics, when sent, replace)' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429)
  update(
    @CurrentBrandId() brandId: string,
    @Param() p: CampaignIdParamDto,
    @Body() dto: UpdateCampaignRequestDto,
  ): Promise<CampaignResponseDto> {
    return this.campaigns.update(brandId, p.id, dto);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Pause an active campaign: no new offers or claims until resumed' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  pause(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<CampaignResponseDto> {
    return this.campaigns.pause(brandId, p.id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Resume a paused campaign (queues matching again)' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  resume(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<CampaignResponseDto> {
    return this.campaigns.resume(brandId, p.id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Complete an active or paused campaign; the unused budget is refunded through Stripe within seconds',
  })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  close(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<CampaignResponseDto> {
    return this.campaigns.close(brandId, p.id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Cancel a draft or pending_funding campaign (an open checkout is expired)' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  cancel(@CurrentBrandId() brandId: string, @Param() p: CampaignIdParamDto): Promise<CampaignResponseDto> {
    return this.campaigns.cancel(brandId, p.id);
  }
}
