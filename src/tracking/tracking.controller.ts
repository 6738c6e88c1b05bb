import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentBrandId } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ApiProblems } from '../common/problem/problem.dto';
import { ConversionsService } from './conversions.service';
import {
  ConversionBatchRequestDto,
  ConversionBatchResponseDto,
  ConversionDto,
  ConversionResponseDto,
  CreateConversionRequestDto,
  ReconcileRequestDto,
  ReconcileResponseDto,
} from './dto/conversion.dto';
import { RollupsService } from './rollups.service';

@ApiTags('conversions')
@Controller('v1')
export class ConversionsController {
  constructor(
    private readonly conversions: ConversionsService,
    private readonly rollups: RollupsService,
  ) {}

  @Post('conversions')
  @Can('conversions.write')
  @Auth('brand')
  @Idempotent()
  @ApiOperation({
    summary: 'Report a sale; attributed by code first, then by click within the campaign’s attribution window',
    description:
      'The orderId is the idempotency key: the same order again with the same amount and currency → 200 with the stored ' +
      'conversion (nothing changes, other fields are not compared); a different amount or currency → 409. Another ' +
      'brand’s code or click never attributes: the sale is stored unattributed.',
  })
  @ApiCreatedResponse({ type: ConversionResponseDto })
  @ApiOkResponse({ type: ConversionResponseDto, description: 'The order was already reported (replay)' })
  @ApiProblems(400, 401, 403, 409, 429)
  async create(
    @CurrentBrandId() brandId: string,
    @Body() dto: CreateConversionRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ conversion: ConversionDto }> {
    const r = await this.conversions.create(brandId, dto);
    void reply.status(r.created ? 201 : 200);
    return { conversion: r.body };
  }

  @Post('conversions/batch')
  @Can('conversions.write')
  @Auth('brand')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report up to 1,000 sales at once (set-based); one result per item, in order',
    description:
      'Items are validated one by one: an invalid item gets `status: invalid` with its `errors` and the others are stored. ' +
      'Statuses: created, existing (same order, same amount and currency), conflict (same order, different amount or ' +
      'currency; nothing changed), invalid.',
  })
  @ApiOkResponse({ type: ConversionBatchResponseDto })
  @ApiProblems(400, 401, 403, 413, 429)
  batch(
    @CurrentBrandId() brandId: string,
    @Body() dto: ConversionBatchRequestDto,
  ): Promise<ConversionBatchResponseDto> {
    return this.conversions.batch(brandId, dto.conversions);
  }

  @Post('admin/rollups/reconcile')
  @Auth('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recount rollups from raw rows now and repair differences (also runs daily)',
    description: 'Synchronous: pass a campaignId for one campaign; without it every campaign is recounted.',
  })
  @ApiOkResponse({ type: ReconcileResponseDto })
  @ApiProblems(400, 401, 403, 429)
  async reconcile(@Body() dto: ReconcileRequestDto): Promise<ReconcileResponseDto> {
    return { repaired: (await this.rollups.reconcile(dto.campaignId ?? null)).length };
  }
}
