import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `vite build` writes the SPA: `web/dist` at the repository root (from `src/` or from `dist/src/`). */
export function webDistDir(): string | null {
  const candidates = [
    join(__dirname, '..', '..', '..', 'web', 'dist'),
    join(__dirname, '..', '..', '..', '..', 'web', 'dist'),
  ];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/**
 * The client-routed paths of the web app (../shared/web.md). Listed rather than a catch-all, so that unknown
 * paths — `/v1/…` above all — keep answering problem+json 404, and `/docs`, `/r/`, `/health`, `/metrics`,
 * `/admin/queues` and `/dashboard` keep their own routes.
 */
const WEB_ROUTES = ['/', '/join', '/login', '/me', '/me/*', '/console', '/console/*', '/admin'];

export async function mountWebApp(fastify: FastifyInstance): Promise<void> {
  const dir = webDistDir();
  const logger = new Logger('WebApp');
  if (!dir) {
    logger.warn('web/dist not found: run `npm run build` to serve the web app at /');
    return;
  }
  // Hashed file names: a deploy changes the names, so the files can be cached for good.
  await fastify.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: '365d',
  });
  const index = readFileSync(join(dir, 'index.html'));
  for (const url of WEB_ROUTES) {
    fastify.get(url, (_req, reply) => {
      void reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index);
    });
  }
}
