import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Auth, PUBLIC } from '../common/auth/auth.decorators';

export class DashboardQueryDto {
  @IsOptional()
  @IsUUID()
  campaign?: string;

  @IsOptional()
  @IsIn(['success', 'cancelled'])
  funding?: 'success' | 'cancelled';
}

/**
 * The old key-paste dashboard is replaced by the brand console. Links to it keep working, and so do the
 * Checkout return URLs of sessions created before the console (they carry `?campaign=…&funding=…`).
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  @Get()
  @Auth(PUBLIC)
  page(@Query() q: DashboardQueryDto, @Res() reply: FastifyReply): void {
    const to = q.campaign ? `/console/campaigns/${q.campaign}${q.funding ? `?funding=${q.funding}` : ''}` : '/console';
    void reply.redirect(to, 302);
  }
}
