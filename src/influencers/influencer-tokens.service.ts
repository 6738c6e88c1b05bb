import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';

interface Claims {
  sub: string;
  typ: 'access';
  iat: number;
  exp: number;
}

const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const HEADER = b64({ alg: 'HS256', typ: 'JWT' });

/**
 * Short-lived HS256 access tokens for members. Hand-rolled over node:crypto because the only algorithm we
 * accept is HS256 with our own key: no `alg` negotiation, no `none`, no key confusion. Validity also needs the
 * member to be active (checked by the verifier), so erasure cuts a token off at once.
 */
@Injectable()
export class InfluencerTokens {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get ttlSeconds(): number {
    return this.config.jwtTtlSeconds;
  }

  sign(influencerId: string, now = Date.now()): string {
    const iat = Math.floor(now / 1000);
    const body = b64({ sub: influencerId, typ: 'access', iat, exp: iat + this.config.jwtTtlSeconds } satisfies Claims);
    return `${HEADER}.${body}.${this.mac(`${HEADER}.${body}`)}`;
  }

  /** The member id, or null for anything malformed, forged or expired. */
  verify(token: string, now = Date.now()): string | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return null;
    const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let claims: Partial<Claims>;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Partial<Claims>;
    } catch {
      return null;
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    if (claims.exp * 1000 <= now) return null;
    return claims.sub;
  }

  looksLikeToken(token: string): boolean {
    return token.startsWith(`${HEADER}.`);
  }

  private mac(input: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(input).digest('base64url');
  }
}
