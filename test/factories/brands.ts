import type { Response } from 'supertest';
import { FakeStripe } from '../support/fake-stripe';
import { TestApp, bearer } from '../support/test-app';

let n = 0;

export interface TestBrand {
  id: string;
  apiKey: string;
  auth: Record<string, string>;
}

export async function createBrand(t: TestApp, name?: string): Promise<TestBrand> {
  // Brand emails are unique: a named brand still gets an address of its own.
  const i = ++n;
  const res = await t.http
    .post('/v1/brands')
    .send({ name: name ?? `Brand ${i}`, email: `team${i}@brand${i}.example` })
    .expect(201);
  return { id: res.body.brand.id, apiKey: res.body.apiKey, auth: bearer(res.body.apiKey) };
}

/**
 * Links `accountId` to the brand the way a brand does: Sway's Connect authorize URL, the account's owner
 * approving in (fake) Stripe, the code and state sent back. Returns the final response unchecked.
 */
export async function linkStripeAccount(
  t: TestApp,
  brand: TestBrand,
  stripe: FakeStripe,
  accountId: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  const start = await t.http.get('/v1/brands/me/stripe-account/authorize').set(brand.auth).expect(200);
  const { code, state } = stripe.approve(start.body.url, accountId);
  return t.http
    .post('/v1/brands/me/stripe-account')
    .set(brand.auth)
    .send({ code, state, ...extra });
}
