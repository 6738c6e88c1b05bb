import type { Response } from 'supertest';

/** Every error is problem+json with the contract's fields and never a stack trace or internal message. */
export function expectProblem(res: Response, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  if (code) expect(res.body.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |node_modules|QueryFailedError|TypeORM|duplicate key/i);
}
