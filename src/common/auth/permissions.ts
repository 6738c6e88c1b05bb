import { SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

/** The roles of a brand's people and API keys (api.md "Teams and roles"). */
export const BRAND_ROLES = ['owner', 'admin', 'analyst', 'billing'] as const;
export type BrandRole = (typeof BRAND_ROLES)[number];

/**
 * THE permission table: every brand route names one action (`@Can`), and the AuthGuard lets a brand principal
 * (browser session or API key, alike) through only when its role is listed here. A route that names no action
 * gets `brand.manage` (owner and admin), so a new route is closed to the limited roles until someone decides.
 *
 * `admin` keeps funding and the ledger: every API key made before roles existed is `admin`, and those keys have
 * always funded their campaigns. What sets `owner` apart is the team: only owners make or remove owners, and
 * only owners set the brand's sign-in policy (second factor).
 */
export const PERMISSIONS = {
  /** The brand itself, its members list, its own session: everyone in the team. */
  'brand.read': ['owner', 'admin', 'analyst', 'billing'],
  /** Brand-level changes without a finer action (Stripe account link, and the default for unmarked routes). */
  'brand.manage': ['owner', 'admin'],
  /** The brand's sign-in policy (second factor required). */
  'brand.security': ['owner'],
  'campaigns.read': ['owner', 'admin', 'analyst', 'billing'],
  'campaigns.write': ['owner', 'admin'],
  /** Offers sent and the live audience estimate (targeting). */
  'offers.read': ['owner', 'admin', 'analyst'],
  /** Claims without shipping addresses. */
  'claims.read': ['owner', 'admin', 'analyst'],
  /** Fulfilment: the roles that see shipping addresses while a claim awaits shipping. */
  'claims.fulfil': ['owner', 'admin'],
  'reports.read': ['owner', 'admin', 'analyst'],
  /** Reporting conversions (server-to-server sales). */
  'conversions.write': ['owner', 'admin'],
  'funding.write': ['owner', 'admin', 'billing'],
  'ledger.read': ['owner', 'admin', 'billing'],
  'refunds.write': ['owner', 'admin', 'billing'],
  'keys.read': ['owner', 'admin'],
  'keys.write': ['owner', 'admin'],
  'webhooks.read': ['owner', 'admin'],
  'webhooks.write': ['owner', 'admin'],
  'members.read': ['owner', 'admin', 'analyst', 'billing'],
  /** Invite, change roles, remove; only owners touch owners (checked in teams). */
  'members.write': ['owner', 'admin'],
  'audit.read': ['owner', 'admin', 'analyst'],
  'fraud.read': ['owner', 'admin', 'analyst'],
  'fraud.write': ['owner', 'admin'],
} as const satisfies Record<string, readonly BrandRole[]>;

export type BrandAction = keyof typeof PERMISSIONS;
export const DEFAULT_BRAND_ACTION: BrandAction = 'brand.manage';
export const BRAND_ACTION = 'sway:brand-action';

export function can(role: BrandRole, action: BrandAction): boolean {
  return (PERMISSIONS[action] as readonly BrandRole[]).includes(role);
}

/** Roles ordered by what they may do; a role may hand out (invite, key) only roles it covers. */
export function covers(granter: BrandRole, granted: BrandRole): boolean {
  if (granter === 'owner') return true;
  if (granter === 'admin') return granted !== 'owner';
  return false;
}

/** The action a brand route performs; the AuthGuard checks the caller's role against PERMISSIONS. */
export function Can(action: BrandAction): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(BRAND_ACTION, action),
    ApiExtension('x-sway-roles', [...PERMISSIONS[action]]) as MethodDecorator & ClassDecorator,
  );
}
