import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IsIn } from 'class-validator';
import { Auth, PUBLIC } from '../common/auth/auth.decorators';
import { AppException } from '../common/problem/app.exception';

const PUBLIC_DIR = join(__dirname, 'public');

/** Chart.js from node_modules, served by Sway itself: no CDN, so the CSP can stay at 'self'. */
function chartJsPath(): string {
  return join(dirname(require.resolve('chart.js')), 'chart.umd.js');
}

const ASSETS = {
  'chart.umd.js': { path: chartJsPath, type: 'application/javascript; charset=utf-8' },
  'dashboard.js': { path: () => join(PUBLIC_DIR, 'dashboard.js'), type: 'application/javascript; charset=utf-8' },
  'dashboard.css': { path: () => join(PUBLIC_DIR, 'dashboard.css'), type: 'text/css; charset=utf-8' },
} as const;
type AssetName = keyof typeof ASSETS;

export class DashboardAssetParamDto {
  @IsIn(Object.keys(ASSETS)) name!: AssetName;
}

/** The brand dashboard: a static page that calls the JSON API with the key the user types in. */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  private readonly files = new Map<string, Buffer>();

  private file(path: string): Buffer {
    let f = this.files.get(path);
    if (!f) {
      f = readFileSync(path);
      this.files.set(path, f);
    }
    return f;
  }

  @Get()
  @Auth(PUBLIC)
  page(@Res() reply: FastifyReply): void {
    void reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(this.file(join(PUBLIC_DIR, 'dashboard.html')));
  }

  @Get('assets/:name')
  @Auth(PUBLIC)
  asset(@Param() p: DashboardAssetParamDto, @Res() reply: FastifyReply): void {
    const a = ASSETS[p.name];
    if (!a) throw new AppException('not_found', 'No such asset');
    void reply.type(a.type).header('cache-control', 'public, max-age=300').send(this.file(a.path()));
  }
}
