import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Routes that answer no HTML (the tracking redirect) opt out with `config: { securityHeaders: false }`. */
export interface SecurityHeadersRouteConfig {
  securityHeaders?: false;
}

/**
 * Helmet's headers, computed once at start. Sway's policy has no per-request part (no CSP nonces), yet
 * @fastify/helmet rebuilt the middleware and re-serialised the CSP on every request — a cost bench/README.md
 * measured on every route. Helmet itself still decides the header set; it runs once against a recorder.
 */
export function computeSecurityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure instanceof Error ? failure : new Error('helmet rejected the options');
  return headers;
}

export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions): void {
  const headers = computeSecurityHeaders(options);
  fastify.addHook('onRequest', (req, reply, done) => {
    const config = req.routeOptions.config as SecurityHeadersRouteConfig | undefined;
    if (config?.securityHeaders !== false) void reply.headers(headers);
    done();
  });
}
