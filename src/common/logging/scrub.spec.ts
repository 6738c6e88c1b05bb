import { queryName, scrubForLog } from './scrub';

describe('log scrubbing', () => {
  it('censors sensitive keys at any depth and masks personal data in text', () => {
    const out = JSON.stringify(
      scrubForLog({
        a: { b: [{ email: 'x@y.example', displayName: 'Ada', shippingAddress: { line1: '1 Road' } }] },
        msg: 'login for ada@example.org with Bearer abc.def and sk_live_0123456789abcdef',
        hash: '$argon2id$v=19$m=1,t=2,p=1$c2FsdA$aGFzaA',
      }),
    );
    for (const leak of ['x@y.example', 'Ada', '1 Road', 'ada@example.org', 'abc.def', 'sk_live_', '$argon2']) {
      expect(out).not.toContain(leak);
    }
  });
  it('reduces a database error to SQLSTATE, constraint and query name', () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint "u"'), {
      name: 'QueryFailedError',
      query: 'INSERT INTO influencers (email) VALUES ($1)',
      parameters: ['ada@example.org'],
      driverError: { code: '23505', constraint: 'influencers_email_key', detail: 'Key (email)=(ada@example.org)' },
    });
    expect(scrubForLog({ err })).toEqual({
      err: {
        type: 'QueryFailedError',
        sqlstate: '23505',
        constraint: 'influencers_email_key',
        query: 'INSERT influencers',
      },
    });
    expect(queryName('SELECT a FROM "campaigns" c WHERE x = $1')).toBe('SELECT campaigns');
  });
  it('survives cycles', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(scrubForLog(a)).toEqual({ self: '[circular]' });
  });
});
