import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
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
