import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { CredentialVerifier, Principal, SessionVerifier } from './principal';

@Injectable()
export class AuthRegistry {
  private readonly verifiers: CredentialVerifier[] = [];
  private readonly adminDigest: Buffer;
  private sessionVerifier: SessionVerifier | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.adminDigest = createHash('sha256').update(config.adminToken).digest();
  }

  register(verifier: CredentialVerifier): void {
    this.verifiers.push(verifier);
  }

  registerSessions(verifier: SessionVerifier): void {
    this.sessionVerifier = verifier;
  }

  resolveSession(sessionToken: string): Promise<{ principal: Principal; csrfToken: string } | null> {
    return this.sessionVerifier ? this.sessionVerifier.verify(sessionToken) : Promise.resolve(null);
  }

  async resolve(token: string): Promise<Principal | null> {
    // Compare digests so the comparison is constant-time whatever the token's length.
    const digest = createHash('sha256').update(token).digest();
    if (timingSafeEqual(digest, this.adminDigest)) return { kind: 'admin' };
    for (const v of this.verifiers) {
      if (v.accepts(token)) return v.verify(token);
    }
    return null;
  }
}
