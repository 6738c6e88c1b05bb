import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { RAW_INPUT } from '../common/http/input-hygiene';
import { Auth, PUBLIC } from '../common/auth/auth.decorators';
import { ApiProblems } from '../common/problem/problem.dto';
import { WebhookAckDto } from './dto/funding-response.dto';
import { StripeEventsService } from './stripe-events.service';

@ApiTags('billing')
@Controller('v1/webhooks')
export class StripeWebhookController {
  constructor(private readonly events: StripeEventsService) {}

  /** The body is read raw: the signature covers the exact bytes Stripe sent. */
  @Post('stripe')
  // Stripe's bytes are taken as signed (a 400 would be retried for days); the repository stores them safely.
  @RouteConfig({ [RAW_INPUT]: true })
  @Auth(PUBLIC)
  @HttpCode(200)
  @ApiOperation({ summary: 'Stripe webhook endpoint (signature verified; each event recorded once, applied async)' })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiOkResponse({ type: WebhookAckDto })
  @ApiProblems(400, 429)
  stripe(
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Headers('stripe-signature') signature?: string,
  ): Promise<WebhookAckDto> {
    return this.events.receive(req.rawBody, signature);
  }
}
