export type PrincipalKind = 'admin' | 'brand' | 'influencer';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'brand'; brandId: string; apiKeyId: string }
  | { kind: 'influencer'; influencerId: string; sessionId?: string };

/** A context that issues credentials registers one verifier; the guard asks each in turn. */
export interface CredentialVerifier {
  /** Cheap syntactic check so a token is only ever looked up by the context that could have issued it. */
  accepts(token: string): boolean;
  /** The principal, or null when the credential is unknown, revoked or expired. */
  verify(token: string): Promise<Principal | null>;
}

export type AuthedRequest = { principal?: Principal };

/** A browser session, found by the opaque id in its cookie (the sessions context registers the only one). */
export interface SessionVerifier {
  /** The principal (carrying `sessionId`) and the CSRF token its unsafe requests must echo, or null. */
  verify(sessionToken: string): Promise<{ principal: Principal; csrfToken: string } | null>;
}
