import { TestApp, bearer } from '../support/test-app';

let n = 0;

export interface TestBrand {
  id: string;
  apiKey: string;
  auth: Record<string, string>;
}

export async function createBrand(t: TestApp, name = `Brand ${++n}`): Promise<TestBrand> {
  const res = await t.http
    .post('/v1/brands')
    .send({ name, email: `team${n}@brand${n}.example` })
    .expect(201);
  return { id: res.body.brand.id, apiKey: res.body.apiKey, auth: bearer(res.body.apiKey) };
}
