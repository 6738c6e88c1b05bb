export type PrincipalKind = 'admin' | 'brand' | 'influencer';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'brand'; brandId: string; apiKeyId: string }
  | { kind: 'influencer'; influencerId: string };

/** A context that issues credentials registers one verifier; the guard asks each in turn. */
export interface CredentialVerifier {
  /** Cheap syntactic check so a token is only ever looked up by the context that could have issued it. */
  accepts(token: string): boolean;
  /** The principal, or null when the credential is unknown, revoked or expired. */
  verify(token: string): Promise<Principal | null>;
}

export type AuthedRequest = { principal?: Principal };
