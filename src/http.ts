import { Logger } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID, createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from './config/config';
import { MetricsService } from './common/metrics/metrics.service';
import { ProblemFilter, sendProblem } from './common/problem/problem.filter';
import { ProblemDto } from './common/problem/problem.dto';
import { createValidationPipe } from './common/problem/validation';
import { AppException } from './common/problem/app.exception';
import { QueueRegistry } from './common/queue/queue.registry';
import { redirectOpenApi } from './tracking/redirect.route';
import { documentPathParams } from './common/openapi/path-params';
import { mountWebApp } from './common/web/web-app';
import type { Logger as Pino } from 'pino';
import { JsonTooDeep, jsonTooDeep } from './common/http/json-body';
import { inputHygieneHook } from './common/http/input-hygiene';
import { safeHeadersHook } from './common/http/safe-headers';
import { clientErrorHandler } from './common/http/client-errors';
import { registerSecurityHeaders } from './common/http/security-headers';

const BODY_LIMIT = 1024 * 1024;

/** Nest's own error handler turns Fastify's parser errors into bare HttpExceptions and loses their codes. */
class SwayFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(): FastifyInstance {
    return this.getInstance<FastifyInstance>();
  }

  /**
   * JSON is the only body Sway reads: Nest's urlencoded parser and Fastify's text/plain one would hand routes
   * strings or flat objects they never expect, so any other content type is a 415. The JSON parser refuses
   * nesting deeper than MAX_JSON_DEPTH before parsing; Nest's rawBody (webhook signatures) is kept.
   */
  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    if (this.isParserRegistered) return;
    super.registerParserMiddleware(prefix, rawBody);
    const fastify = this.getInstance();
    fastify.removeContentTypeParser(['application/json', 'application/x-www-form-urlencoded', 'text/plain']);
    const json = fastify.getDefaultJsonParser('error', 'error');
    this.useBodyParser('application/json', rawBody ?? false, { bodyLimit: BODY_LIMIT }, (req, body, done) => {
      if (jsonTooDeep(body)) return done(new JsonTooDeep(), undefined);
      (json as unknown as (r: unknown, b: Buffer, d: typeof done) => void)(req, body, done);
    });
    // The one form Sway reads: RFC 8058's one-click unsubscribe, which mail clients POST as a form.
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
        if (!req.url.startsWith('/v1/unsubscribe/')) {
          done(
            Object.assign(new Error('Unsupported Media Type'), {
              statusCode: 415,
              code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
            }),
          );
          return;
        }
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
  }
}

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new SwayFastifyAdapter({
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    // Parser and router errors (414, 431, bad URL encoding) are problem+json too, and never echo the input.
    clientErrorHandler,
    frameworkErrors: (err: Error, req: FastifyRequest, reply: FastifyReply) =>
      sendProblem(err, req, reply, new Logger('Http')),
    // Behind a gateway the caller's id is kept (if sane) so one id follows a request across services.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && /^[\w.-]{1,64}$/.test(h) ? h : randomUUID();
    },
  });
}

function isAdmin(req: FastifyRequest, config: AppConfig): boolean {
  const h = req.headers.authorization ?? '';
  let token: string | null = null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(h);
  if (bearer) token = bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(h);
  // Basic auth (any user name, the admin token as password) lets a browser open the queue dashboard.
  if (basic) token = Buffer.from(basic[1], 'base64').toString('utf8').split(':').slice(1).join(':');
  if (!token) return false;
  const a = createHash('sha256').update(token).digest();
  const b = createHash('sha256').update(config.adminToken).digest();
  return timingSafeEqual(a, b);
}

async function mountQueueDashboard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const serverAdapter = new BullBoardFastifyAdapter();
  const board = createBullBoard({ queues: [], serverAdapter });
  serverAdapter.setBasePath('/admin/queues');
  const fastify = app.getHttpAdapter().getInstance();
  // The routes must be registered now, before app.init(); the registry fills its queues in onModuleInit, which
  // runs inside app.init(). Reading it here gave the board an empty list (issue 17), so the queues are handed
  // over once Fastify is ready, which createSwayApp awaits after init.
  fastify.addHook('onReady', (done) => {
    board.replaceQueues(
      app
        .get(QueueRegistry)
        .all()
        .map((q) => new BullMQAdapter(q)),
    );
    done();
  });
  const logger = new Logger('QueueDashboard');
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (req, reply) => {
        if (!isAdmin(req, config)) {
          void reply.header('www-authenticate', 'Basic realm="sway-admin"');
          sendProblem(
            new AppException('unauthenticated', 'The queue dashboard needs the admin token'),
            req,
            reply,
            logger,
          );
          return reply;
        }
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: '/admin/queues' },
  );
}

export async function configureHttp(app: NestFastifyApplication, config: AppConfig, pino: Pino): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  const httpLogger = new Logger('Http');
  // Errors raised outside Nest's pipeline (body parsing, plugins) become the same problem+json as the rest.
  fastify.setErrorHandler((err, req, reply) => sendProblem(err, req, reply, httpLogger));

  fastify.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  fastify.addHook('preValidation', inputHygieneHook);
  fastify.addHook('onSend', safeHeadersHook(httpLogger));
  fastify.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    try {
      metrics.observe(req.method, route, reply.statusCode, seconds);
    } catch (err) {
      // The reply is already sent; a broken metric must cost a log line, never the request or the process.
      httpLogger.error({ err, reqId: req.id, route }, 'onResponse hook failed');
    }
    pino.info(
      {
        reqId: req.id,
        method: req.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  registerSecurityHeaders(fastify, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // No inline scripts anywhere (the web app, the dashboard and Swagger UI load theirs from files).
        scriptSrc: ["'self'"],
        // Mantine sets CSS variables in a <style> element and style attributes; styles cannot run code.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });

  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Sway API')
      .setDescription(
        'Opt-in influencer perk campaigns. Errors are RFC 9457 problem+json. Auth: Bearer admin token, brand API key (sk_…) or influencer access token.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemDto] },
  );
  redirectOpenApi(doc);
  documentPathParams(doc);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });

  await mountQueueDashboard(app, config);
  await mountWebApp(fastify);
}
