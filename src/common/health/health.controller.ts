import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import Redis from 'ioredis';
import { Auth, PUBLIC } from '../auth/auth.decorators';
import { REDIS } from '../redis/redis.module';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get()
  @Auth(PUBLIC)
  @ApiOperation({ summary: 'Liveness and readiness: Postgres and Redis both answer' })
  @ApiOkResponse({ description: 'Terminus result, status "ok"' })
  @ApiServiceUnavailableResponse({ description: 'Terminus result, status "error", naming what is down' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('postgres', { timeout: 1_500 }),
        async () => {
          const session = this.indicator.check('redis');
          let timer: NodeJS.Timeout | undefined;
          try {
            const pong = await Promise.race([
              this.redis.ping(),
              new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error('timeout')), 1_500);
              }),
            ]);
            return pong === 'PONG' ? session.up() : session.down({ message: 'unexpected reply' });
          } catch (err) {
            return session.down({ message: (err as Error).message === 'timeout' ? 'timeout' : 'unreachable' });
          } finally {
            clearTimeout(timer);
          }
        },
      ]);
    } catch (err) {
      // Terminus format on 503 too, so load balancers and humans read the same document.
      if (err instanceof ServiceUnavailableException) {
        void reply.status(503);
        return err.getResponse();
      }
      throw err;
    }
  }
}
