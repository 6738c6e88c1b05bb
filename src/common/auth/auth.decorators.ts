import { createParamDecorator, ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { AppException } from '../problem/app.exception';
import { AuthedRequest, BrandPrincipal, Principal, PrincipalKind } from './principal';

export const AUTH_KINDS = 'sway:auth-kinds';
export const PUBLIC = 'public' as const;

/** Every route states who may call it; a route without @Auth is refused (secure by default). */
export function Auth(...kinds: (PrincipalKind | typeof PUBLIC)[]): MethodDecorator & ClassDecorator {
  const decorators: (MethodDecorator & ClassDecorator)[] = [SetMetadata(AUTH_KINDS, kinds)];
  if (!kinds.includes(PUBLIC)) decorators.push(ApiBearerAuth());
  return applyDecorators(...decorators);
}

function principalOf(ctx: ExecutionContext): Principal {
  const p = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!p) throw new AppException('unauthenticated', 'Authentication required');
  return p;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => principalOf(ctx));

export const CurrentBrandId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const p = principalOf(ctx);
  if (p.kind !== 'brand') throw new AppException('forbidden', 'This endpoint needs a brand API key');
  return p.brandId;
});

/** The brand principal with its role and actor (API key or team member), for routes that vary by role. */
export const CurrentBrand = createParamDecorator((_: unknown, ctx: ExecutionContext): BrandPrincipal => {
  const p = principalOf(ctx);
  if (p.kind !== 'brand') throw new AppException('forbidden', 'This endpoint needs a brand API key');
  return p;
});

export const CurrentInfluencerId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const p = principalOf(ctx);
  if (p.kind !== 'influencer') throw new AppException('forbidden', 'This endpoint needs an influencer access token');
  return p.influencerId;
});
