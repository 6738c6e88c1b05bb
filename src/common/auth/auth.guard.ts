import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AppException } from '../problem/app.exception';
import { AUTH_KINDS, PUBLIC } from './auth.decorators';
import { AuthRegistry } from './auth.registry';
import { AuthedRequest, Principal, PrincipalKind } from './principal';
import { BRAND_ACTION, BrandAction, DEFAULT_BRAND_ACTION, PERMISSIONS, can } from './permissions';
import { CSRF_HEADER, isForeignOrigin, isUnsafeMethod, readSessionCookie } from './session-cookie';

const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

const KIND_NAMES: Record<PrincipalKind, string> = {
  admin: 'the admin token',
  brand: 'a brand API key',
  influencer: 'an influencer access token',
};

function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S{1,2048})\s*$/i.exec(h);
  if (!m) throw new AppException('unauthenticated', 'Use Authorization: Bearer <token>');
  return m[1];
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: AuthRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const kinds = this.reflector.getAllAndOverride<(PrincipalKind | typeof PUBLIC)[] | undefined>(AUTH_KINDS, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!kinds) throw new AppException('forbidden', 'This route is not open to any caller');
    const req = ctx.switchToHttp().getRequest<FastifyRequest & AuthedRequest>();
    const token = bearerToken(req);
    if (kinds.includes(PUBLIC)) {
      // Public routes still learn who calls when a valid token is sent (idempotency scope, rate limits).
      if (token) req.principal = (await this.registry.resolve(token)) ?? undefined;
      return true;
    }
    const principal = token ? await this.registry.resolve(token) : await this.fromSessionCookie(req);
    if (!principal) throw new AppException('unauthenticated', 'The token is invalid, expired or revoked');
    if (!kinds.includes(principal.kind)) {
      const wanted = (kinds as PrincipalKind[]).map((k) => KIND_NAMES[k]).join(' or ');
      throw new AppException('forbidden', `This endpoint needs ${wanted}`);
    }
    if (principal.kind === 'brand') {
      // One table for sessions and keys alike; the tenant check (404 for another brand's object) stays in the
      // services, so a role's 403 never tells whether another brand's object exists.
      const action =
        this.reflector.getAllAndOverride<BrandAction | undefined>(BRAND_ACTION, [ctx.getHandler(), ctx.getClass()]) ??
        DEFAULT_BRAND_ACTION;
      if (!can(principal.role, action))
        throw new AppException(
          'forbidden',
          `The ${principal.role} role may not do this (${action}: ${PERMISSIONS[action].join(', ')})`,
        );
    }
    req.principal = principal;
    return true;
  }

  /**
   * A browser session authorizes what the person's bearer token would. The cookie is sent by the browser on its
   * own, so a change (unsafe method) must also prove it comes from Sway's page: same origin and the CSRF token.
   */
  private async fromSessionCookie(req: FastifyRequest): Promise<Principal | null> {
    const sessionToken = readSessionCookie(req);
    if (!sessionToken) throw new AppException('unauthenticated', 'Authentication required');
    const found = await this.registry.resolveSession(sessionToken);
    if (!found) throw new AppException('unauthenticated', 'The session has ended; sign in again');
    if (isUnsafeMethod(req.method)) {
      if (isForeignOrigin(req, this.config.publicBaseUrl))
        throw new AppException('forbidden', 'Cross-site requests cannot use the session cookie');
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, found.csrfToken))
        throw new AppException('forbidden', 'Missing or wrong X-CSRF-Token for this session');
    }
    return found.principal;
  }
}
