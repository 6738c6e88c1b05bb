import {
  createParamDecorator,
  ExecutionContext,
  RequestMethod,
  SetMetadata,
  applyDecorators,
  UseInterceptors,
} from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ApiBearerAuth } from '@nestjs/swagger';
import { AppException } from '../problem/app.exception';
import { AuthedRequest, BrandPrincipal, Principal, PrincipalKind } from './principal';
import { RequestPrincipalInterceptor } from './request-principal';

export const AUTH_KINDS = 'sway:auth-kinds';
export const PUBLIC = 'public' as const;

/** Every route states who may call it; a route without @Auth is refused (secure by default). */
export function Auth(...kinds: (PrincipalKind | typeof PUBLIC)[]): MethodDecorator & ClassDecorator {
  const decorators: (MethodDecorator & ClassDecorator)[] = [SetMetadata(AUTH_KINDS, kinds)];
  if (!kinds.includes(PUBLIC)) decorators.push(ApiBearerAuth());
  const apply = applyDecorators(...decorators);
  const audits = kinds.includes('brand') || kinds.includes('admin');
  return (
    target: object | (new (...a: never[]) => unknown),
    key?: string | symbol,
    descriptor?: PropertyDescriptor,
  ) => {
    apply(target, key as string | symbol, descriptor as PropertyDescriptor);
    if (!audits) return;
    if (descriptor) {
      // A method's own @Auth may run before its @Get/@Post (decorators apply bottom-up): bind on any method.
      UseInterceptors(RequestPrincipalInterceptor)(target, key!, descriptor);
      return;
    }
    // A class decorator runs after its methods' decorators, so their HTTP methods and own @Auth are known here.
    const proto = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined || SAFE_METHODS.includes(method) || Reflect.hasOwnMetadata(AUTH_KINDS, handler))
        continue;
      const desc = Object.getOwnPropertyDescriptor(proto, name)!;
      UseInterceptors(RequestPrincipalInterceptor)(proto, name, desc);
    }
  };
}

/**
 * The audit log's actor (requestPrincipal) is a brand member, an API key or an admin, and only changes are audited:
 * the interceptor that makes the caller known to the audit log is bound to the brand's and admins' unsafe routes
 * alone, so every read, every member route and every public route runs without it (bench/README.md, issue #19).
 */
const SAFE_METHODS: readonly RequestMethod[] = [RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS];

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
