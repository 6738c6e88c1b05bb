import { CONNECT_STATE_TTL_MS, ConnectState } from './connect-state';

describe('ConnectState', () => {
  const states = new ConnectState(Buffer.alloc(32, 7));
  const brand = '0190a3b2-0000-7000-8000-000000000001';

  it('accepts its own fresh state for the brand it was issued to, and nothing else', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const { state, expiresAt } = states.issue(brand, now);
    expect(expiresAt.getTime() - now.getTime()).toBe(CONNECT_STATE_TTL_MS);
    expect(states.verify(state, brand, now)).toBe(true);
    expect(states.verify(state, '0190a3b2-0000-7000-8000-000000000002', now)).toBe(false);
    expect(states.verify(state, brand, expiresAt)).toBe(false);
    expect(new ConnectState(Buffer.alloc(32, 8)).verify(state, brand, now)).toBe(false);
    const [body, sig] = state.split('.');
    const forged = Buffer.from(JSON.stringify([brand, Date.now() + 1e9, 'x'])).toString('base64url');
    expect(states.verify(`${forged}.${sig}`, brand, now)).toBe(false);
    for (const bad of ['', '.', 'a.b', `${body}.${sig}.x`, `${body}`, '\u0000.\u0000'])
      expect(states.verify(bad, brand, now)).toBe(false);
  });
});
