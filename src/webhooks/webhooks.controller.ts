import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentBrandId } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { Page } from '../common/pagination/pagination';
import { ApiProblems } from '../common/problem/problem.dto';
import {
  CreateWebhookEndpointRequestDto,
  CreateWebhookEndpointResponseDto,
  DeliveryIdParamDto,
  DeliveryListQueryDto,
  EndpointIdParamDto,
  QueuedDeliveryDto,
  ReplayRequestDto,
  ReplayResponseDto,
  RotateSecretRequestDto,
  RotateSecretResponseDto,
  UpdateWebhookEndpointRequestDto,
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookEndpointDto,
  WebhookEndpointListDto,
} from './dto/webhook-endpoint.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

@ApiTags('webhooks')
@Controller('v1/webhook-endpoints')
@Auth('brand')
@Can('webhooks.write')
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @Idempotent({ secretFields: ['secret'] })
  @ApiOperation({
    summary: 'Add an endpoint that receives the chosen event types, signed per Standard Webhooks',
    description:
      'HTTPS only (http:// and loopback only where the server sets WEBHOOKS_ALLOW_INSECURE=true); literal private, link-local and metadata addresses are refused here, resolved ones at delivery. The secret is shown once.',
  })
  @ApiCreatedResponse({ type: CreateWebhookEndpointResponseDto })
  @ApiProblems(400, 401, 403, 409, 422, 429)
  create(
    @CurrentBrandId() brandId: string,
    @Body() dto: CreateWebhookEndpointRequestDto,
  ): Promise<CreateWebhookEndpointResponseDto> {
    return this.endpoints.create(brandId, dto);
  }

  @Get()
  @Can('webhooks.read')
  @ApiOperation({ summary: "The brand's webhook endpoints (never their secrets)" })
  @ApiOkResponse({ type: WebhookEndpointListDto })
  @ApiProblems(401, 403, 429)
  list(@CurrentBrandId() brandId: string): Promise<WebhookEndpointListDto> {
    return this.endpoints.list(brandId);
  }

  @Get(':id')
  @Can('webhooks.read')
  @ApiOperation({ summary: 'One endpoint, with why it was disabled if it was (manual, gone = 410, failing)' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiProblems(400, 401, 403, 404, 429)
  get(@CurrentBrandId() brandId: string, @Param() p: EndpointIdParamDto): Promise<WebhookEndpointDto> {
    return this.endpoints.get(brandId, p.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, event types or description; disable or re-enable' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiProblems(400, 401, 403, 404, 429)
  update(
    @CurrentBrandId() brandId: string,
    @Param() p: EndpointIdParamDto,
    @Body() dto: UpdateWebhookEndpointRequestDto,
  ): Promise<WebhookEndpointDto> {
    return this.endpoints.update(brandId, p.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint with its secrets and delivery log' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 429)
  remove(@CurrentBrandId() brandId: string, @Param() p: EndpointIdParamDto): Promise<void> {
    return this.endpoints.remove(brandId, p.id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new signing secret; the previous one keeps signing for overlapHours (default 24)',
    description: 'During the overlap webhook-signature carries one signature per live secret, newest first.',
  })
  @ApiOkResponse({ type: RotateSecretResponseDto })
  @ApiProblems(400, 401, 403, 404, 429)
  rotate(
    @CurrentBrandId() brandId: string,
    @Param() p: EndpointIdParamDto,
    @Body() dto: RotateSecretRequestDto,
  ): Promise<RotateSecretResponseDto> {
    return this.endpoints.rotateSecret(brandId, p.id, dto.overlapHours);
  }

  @Get(':id/deliveries')
  @Can('webhooks.read')
  @ApiOperation({ summary: 'The delivery log of an endpoint, newest first' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiProblems(400, 401, 403, 404, 429)
  deliveries(
    @CurrentBrandId() brandId: string,
    @Param() p: EndpointIdParamDto,
    @Query() q: DeliveryListQueryDto,
  ): Promise<Page<WebhookDeliveryDto>> {
    return this.endpoints.listDeliveries(brandId, p.id, q);
  }

  @Get(':id/deliveries/:deliveryId')
  @Can('webhooks.read')
  @ApiOperation({ summary: 'One delivery with every attempt: time, status, duration, the first 4 KB of the answer' })
  @ApiOkResponse({ type: WebhookDeliveryDetailDto })
  @ApiProblems(400, 401, 403, 404, 429)
  delivery(@CurrentBrandId() brandId: string, @Param() p: DeliveryIdParamDto): Promise<WebhookDeliveryDetailDto> {
    return this.endpoints.getDelivery(brandId, p.id, p.deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the event of a delivery again (same webhook-id), as a new delivery' })
  @ApiAcceptedResponse({ type: QueuedDeliveryDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  resend(@CurrentBrandId() brandId: string, @Param() p: DeliveryIdParamDto): Promise<QueuedDeliveryDto> {
    return this.endpoints.resend(brandId, p.id, p.deliveryId);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: "Send again every event of the endpoint's types created in [from, to) (kept 30 days)",
    description: 'At most 10,000 events per call; continueFrom says where to go on.',
  })
  @ApiAcceptedResponse({ type: ReplayResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429)
  replay(
    @CurrentBrandId() brandId: string,
    @Param() p: EndpointIdParamDto,
    @Body() dto: ReplayRequestDto,
  ): Promise<ReplayResponseDto> {
    return this.endpoints.replay(brandId, p.id, dto);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a sample webhook.test event: one attempt, shown in the delivery log' })
  @ApiAcceptedResponse({ type: QueuedDeliveryDto })
  @ApiProblems(400, 401, 403, 404, 429)
  test(@CurrentBrandId() brandId: string, @Param() p: EndpointIdParamDto): Promise<QueuedDeliveryDto> {
    return this.endpoints.test(brandId, p.id);
  }
}
