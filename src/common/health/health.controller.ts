import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { pendingMigrations } from '../../database/schema-version';
import { Auth, PUBLIC } from '../auth/auth.decorators';
import { REDIS, RedisClient } from '../redis/redis.module';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Auth(PUBLIC)
  @ApiOperation({
    summary: 'Liveness and readiness: Postgres and Redis both answer, and the schema has every migration',
  })
  @ApiOkResponse({ description: 'Terminus result, status "ok"' })
  @ApiServiceUnavailableResponse({ description: 'Terminus result, status "error", naming what is down' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('postgres', { timeout: 1_500 }),
        async () => {
          const session = this.indicator.check('redis');
          try {
            const pong = await this.withTimeout(this.redis.ping(), 1_500);
            return pong === 'PONG' ? session.up() : session.down({ message: 'unexpected reply' });
          } catch (err) {
            return session.down({ message: (err as Error).message === 'timeout' ? 'timeout' : 'unreachable' });
          }
        },
        // A database missing a migration answers the ping but fails real calls (a restored backup, a skipped
        // db:migrate): not ready. Only this build's own migrations count, so a newer schema during a rolling
        // deploy is fine.
        async () => {
          const session = this.indicator.check('schema');
          try {
            const pending = await this.withTimeout(pendingMigrations(this.dataSource), 1_500);
            return pending.length ? session.down({ message: 'pending migrations', pending }) : session.up();
          } catch (err) {
            return session.down({ message: (err as Error).message === 'timeout' ? 'timeout' : 'unreachable' });
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

  private async withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
