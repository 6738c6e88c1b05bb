import { ModulesContainer } from '@nestjs/core';
import { AUTH_KINDS } from '../../src/common/auth/auth.decorators';
import { BRAND_ACTION, PERMISSIONS } from '../../src/common/auth/permissions';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Every route a brand may call names its action in the one permission table (`@Can`), so what each role may do
 * is decided in one place, not left to the default. Lists the offenders by controller and method.
 */
describe('permission table coverage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 120_000);
  afterAll(() => t?.close());

  it('finds an action of PERMISSIONS on every brand route', () => {
    const missing: string[] = [];
    let brandRoutes = 0;
    for (const mod of t.app.get(ModulesContainer).values()) {
      for (const wrapper of mod.controllers.values()) {
        const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
        if (!cls) continue;
        const proto = cls.prototype as Record<string, unknown>;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const handler = proto[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          if (Reflect.getMetadata('path', handler) === undefined) continue;
          const kinds: string[] | undefined =
            Reflect.getMetadata(AUTH_KINDS, handler) ?? Reflect.getMetadata(AUTH_KINDS, cls);
          if (!kinds?.includes('brand')) continue;
          brandRoutes++;
          const action = Reflect.getMetadata(BRAND_ACTION, handler) ?? Reflect.getMetadata(BRAND_ACTION, cls);
          if (!action || !(action in PERMISSIONS)) missing.push(`${cls.name}.${name}`);
        }
      }
    }
    expect(brandRoutes).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
