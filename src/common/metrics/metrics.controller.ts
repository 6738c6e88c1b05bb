import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiProblems } from '../problem/problem.dto';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Auth('admin')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: request durations, queue depths, process (admin token)' })
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  @ApiProblems(401, 403)
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
