import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Observable } from 'rxjs';
import { AuthedRequest, Principal } from './principal';

const store = new AsyncLocalStorage<{ principal?: Principal }>();

/**
 * Who the current request acts as, for code deep in a service (the audit log) that should not need every
 * signature between the controller and itself to carry the caller. Set after the guards, so it is the principal
 * the AuthGuard accepted; bound by @Auth to the routes that can audit (brand and admin changes) only.
 */
export function requestPrincipal(): Principal | undefined {
  return store.getStore()?.principal;
}

@Injectable()
export class RequestPrincipalInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
    return new Observable((subscriber) =>
      store.run({ principal }, () => {
        const sub = next.handle().subscribe(subscriber);
        return () => sub.unsubscribe();
      }),
    );
  }
}
