/**
 * What each brand role may do, as in api.md ("Teams and roles"). The console hides or disables what a role may
 * not do; the API refuses it anyway (403), so this table is for the person's sake, never the only guard.
 */
export type BrandRole = 'owner' | 'admin' | 'analyst' | 'billing';
const ROLES: BrandRole[] = ['owner', 'admin', 'analyst', 'billing'];

export type Action =
  | 'campaigns.read'
  | 'campaigns.write' // create, pause, resume, close, cancel
  | 'campaigns.fund'
  | 'offers.read'
  | 'claims.read'
  | 'claims.fulfil' // and see shipping addresses
  | 'reports.read'
  | 'ledger.read'
  | 'team.read'
  | 'team.invite'
  | 'team.manage' // change roles, remove people
  | 'keys.manage'
  | 'webhooks.manage'
  | 'audit.read';

const TABLE: Record<Action, BrandRole[]> = {
  'campaigns.read': ['owner', 'admin', 'analyst', 'billing'],
  'campaigns.write': ['owner', 'admin'],
  'campaigns.fund': ['owner', 'admin', 'billing'],
  'offers.read': ['owner', 'admin', 'analyst'],
  'claims.read': ['owner', 'admin', 'analyst'],
  'claims.fulfil': ['owner', 'admin'],
  'reports.read': ['owner', 'admin', 'analyst'],
  'ledger.read': ['owner', 'admin', 'billing'],
  'team.read': ['owner', 'admin', 'analyst', 'billing'],
  'team.invite': ['owner', 'admin'],
  'team.manage': ['owner', 'admin'],
  'keys.manage': ['owner', 'admin'],
  'webhooks.manage': ['owner', 'admin'],
  'audit.read': ['owner', 'admin', 'analyst'],
};

export function can(role: BrandRole | undefined, action: Action): boolean {
  return !!role && TABLE[action].includes(role);
}

/** The roles a person may hand out: admins invite anyone but owners. */
export function assignableRoles(role: BrandRole | undefined): BrandRole[] {
  if (role === 'owner') return ROLES;
  if (role === 'admin') return ['admin', 'analyst', 'billing'];
  return [];
}

export const ROLE_LABEL: Record<BrandRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  analyst: 'Analyst',
  billing: 'Billing',
};
