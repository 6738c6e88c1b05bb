import type { SecurityHeadersRouteConfig } from '../common/http/security-headers';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../common/problem/problem.filter';
import { adClickOf, purposeOf } from './click-kind';
import { TrackingService } from './tracking.service';

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * `GET /r/{code}` (and HEAD, which Fastify derives from GET) as a plain Fastify route rather than a Nest
 * controller: the redirect is the one path whose throughput is a target (≥ 50 % of a bare Fastify 302), and Nest's
 * per-request pipeline (guards, the validation pipe, interceptors) costs several times a bare 302 here
 * (bench/README.md). A 302 without a body needs no CSP, so the security headers skip this route; the API rate limit does not apply either (a popular link behind a
 * carrier NAT is many people on one IP; floods are the edge's job, and a flood of made-up codes is served from the
 * negative cache). Errors are the same problem+json as everywhere. Documented in OpenAPI by `redirectOpenApi`.
 */
@Injectable()
export class RedirectRoute implements OnModuleInit {
  private readonly logger = new Logger(RedirectRoute.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tracking: TrackingService,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // ROLE=worker serves no HTTP
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'GET',
      url: '/r/:code',
      config: { securityHeaders: false } satisfies SecurityHeadersRouteConfig,
      handler: (req, reply) => this.handle(req, reply),
    });
  }

  /** Callback style on purpose: a cached code costs one promise (the click's commit), not an async chain. */
  private handle(req: FastifyRequest, reply: FastifyReply): void {
    const code = (req.params as { code: string }).code;
    const facts = {
      method: req.method,
      ip: req.ip,
      userAgent: header(req, 'user-agent'),
      purpose: purposeOf(req.headers),
      adClick: adClickOf(req.url, req.query),
    };
    let url: Promise<string>;
    try {
      url = this.tracking.clickIfCached(code, facts) ?? this.tracking.click(code, facts);
    } catch (err) {
      return this.fail(err, req, reply);
    }
    // .catch, not a second .then argument: an error thrown while sending must be answered too, never become an
    // unhandled rejection (which ends the process).
    url.then((u) => this.send(reply, u)).catch((err: unknown) => this.fail(err, req, reply));
  }

  private fail(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
    if (reply.sent) {
      this.logger.error({ err, reqId: req.id, route: '/r/:code' }, 'redirect failed after its reply was sent');
      return;
    }
    sendProblem(err, req, reply, this.logger);
  }

  private send(reply: FastifyReply, url: string): void {
    // Every click must reach us: nothing may cache the redirect.
    void reply.header('cache-control', 'no-store').redirect(url, 302);
  }
}

/** The OpenAPI entry of the route above (Swagger only sees Nest controllers). */
export function redirectOpenApi(doc: OpenAPIObject): void {
  doc.paths['/r/{code}'] = {
    get: {
      tags: ['tracking'],
      operationId: 'trackingRedirect',
      summary: 'Tracking link: 302 to the campaign’s landing page with `sway_click=<clickId>` added to its query',
      description:
        'Public. Records the click without storing the IP (keyed daily visitor hash); `sway_click` is present only ' +
        'once the click is stored (if the database cannot take it in time, the redirect still happens, without ' +
        'it). HEAD, bots and link-preview ' +
        'fetchers are redirected too but never counted as clicks. A paused or completed campaign’s link still ' +
        'redirects. The code is case-insensitive, with or without its dash. Unknown code → 404 problem+json. Not ' +
        'subject to the API rate limit.',
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string', example: 'K7QH-3MZP' } }],
      responses: {
        '302': {
          description:
            'Location: the landing URL with sway_click (a UUIDv7 click id, already stored), or without it when the ' +
            'click could not be stored in time; Cache-Control: no-store',
        },
        '404': {
          description: 'No tracking link has this code',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
        },
      },
    },
  };
}
