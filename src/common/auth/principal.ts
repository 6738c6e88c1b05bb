import type { BrandRole } from './permissions';

export type PrincipalKind = 'admin' | 'brand' | 'influencer';

/**
 * A brand is acted for by an API key (`apiKeyId`) or by a person of its team in a browser session (`userId`,
 * `sessionId`); either way with a role, checked against the one permission table (permissions.ts).
 */
export type BrandPrincipal = {
  kind: 'brand';
  brandId: string;
  role: BrandRole;
  apiKeyId?: string;
  userId?: string;
  sessionId?: string;
};

export type Principal =
  { kind: 'admin' } | BrandPrincipal | { kind: 'influencer'; influencerId: string; sessionId?: string };

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
