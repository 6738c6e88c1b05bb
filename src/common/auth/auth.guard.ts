import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppException } from '../problem/app.exception';
import { AUTH_KINDS, PUBLIC } from './auth.decorators';
import { AuthRegistry } from './auth.registry';
import { AuthedRequest, PrincipalKind } from './principal';

const KIND_NAMES: Record<PrincipalKind, string> = {
  admin: 'the admin token',
  brand: 'a brand API key',
  influencer: 'an influencer access token',
};

export function bearerToken(req: FastifyRequest): string | null {
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
    if (!token) throw new AppException('unauthenticated', 'Authentication required');
    const principal = await this.registry.resolve(token);
    if (!principal) throw new AppException('unauthenticated', 'The token is invalid, expired or revoked');
    if (!kinds.includes(principal.kind)) {
      const wanted = (kinds as PrincipalKind[]).map((k) => KIND_NAMES[k]).join(' or ');
      throw new AppException('forbidden', `This endpoint needs ${wanted}`);
    }
    req.principal = principal;
    return true;
  }
}
