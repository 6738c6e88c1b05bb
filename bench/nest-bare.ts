import { Controller, Get, Headers, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';

/**
 * The baseline of bench/nest-route.ts: Nest 11 on Fastify with one controller doing the same two lookups as
 * `GET /v1/campaigns/{id}` (the key's brand, then the campaign of that brand), and nothing else — no guards,
 * pipes, filters, hooks or headers. What Sway adds on top of this is the cost of its own per-request pipeline.
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

@Controller()
class BareController {
  @Get('/v1/campaigns/:id')
  async get(@Param('id') id: string, @Headers('authorization') auth: string): Promise<unknown> {
    const token = /^Bearer (\S+)$/.exec(auth ?? '')?.[1] ?? '';
    const { rows: keys } = await pool.query(
      `SELECT brand_id FROM brands.api_keys WHERE key_hash = sha256(convert_to($1, 'UTF8')) AND revoked_at IS NULL`,
      [token],
    );
    const brandId = (keys[0] as { brand_id: string } | undefined)?.brand_id ?? process.env.BENCH_BRAND_ID;
    const { rows } = await pool.query(`SELECT * FROM campaigns.campaigns WHERE id = $1 AND brand_id = $2`, [
      id,
      brandId,
    ]);
    if (!rows[0]) throw new NotFoundException();
    return { campaign: rows[0] };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    void app.close().then(() => pool.end().then(() => process.exit(0)));
  });
}

void main();
