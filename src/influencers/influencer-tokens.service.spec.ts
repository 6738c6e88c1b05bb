import { loadConfig } from '../config/config';
import { InfluencerTokens } from './influencer-tokens.service';

const config = loadConfig({
  DATABASE_URL: 'postgres://x@localhost/x',
  REDIS_URL: 'redis://localhost',
  ADMIN_TOKEN: 'admin-token-0123456789',
  JWT_SECRET: 'a'.repeat(40),
  JWT_TTL_SECONDS: '900',
});
const tokens = new InfluencerTokens(config);
const id = '3f1c2a8e-8a43-4c55-9a0e-1c1f3b9c0d11';
const t0 = Date.parse('2026-11-26T10:00:00Z');

describe('InfluencerTokens', () => {
  it('round-trips a member id until the token expires', () => {
    const token = tokens.sign(id, t0);
    expect(tokens.verify(token, t0 + 1000)).toBe(id);
    expect(tokens.verify(token, t0 + 899_000)).toBe(id);
    expect(tokens.verify(token, t0 + 900_000)).toBeNull();
  });

  it('refuses tampered, foreign-key and alg:none tokens', () => {
    const token = tokens.sign(id, t0);
    const [h, b, s] = token.split('.');
    const other = JSON.parse(Buffer.from(b, 'base64url').toString());
    other.sub = '00000000-0000-0000-0000-000000000000';
    expect(tokens.verify(`${h}.${Buffer.from(JSON.stringify(other)).toString('base64url')}.${s}`, t0)).toBeNull();
    const foreign = new InfluencerTokens({ ...config, jwtSecret: 'b'.repeat(40) }).sign(id, t0);
    expect(tokens.verify(foreign, t0)).toBeNull();
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(tokens.verify(`${none}.${b}.`, t0)).toBeNull();
    expect(tokens.verify('garbage', t0)).toBeNull();
  });
});
