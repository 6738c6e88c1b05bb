/**
 * The catalogue of notifications (docs/notifications.md mirrors it). A kind is either optional, governed by one
 * of the member's four preferences, or a security notice that always goes out; brand kinds go to the brand.
 */
export const PREFERENCE_KEYS = ['offers', 'offerExpiring', 'fulfilment', 'contests'] as const;
export type PreferenceKey = (typeof PREFERENCE_KEYS)[number];
export const DELIVERY_MODES = ['instant', 'daily', 'off'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export type Preferences = Record<PreferenceKey, DeliveryMode>;
/** Unanswered means off: nothing is pre-ticked (issue #22). */
export const NO_PREFERENCES: Preferences = { offers: 'off', offerExpiring: 'off', fulfilment: 'off', contests: 'off' };

const MEMBER_KINDS = [
  'offer_created',
  'offer_expiring',
  'claim_fulfilled',
  'contest_answered',
  'consent_changed',
  'account_changed',
  'signin_new_device',
  'passkey_added',
  'erasure_requested',
] as const;
const BRAND_KINDS = [
  'claims_awaiting_shipping',
  'funding_failed',
  'funding_refunded',
  'campaign_sold_out',
  'campaign_completed',
  'webhook_endpoint_disabled',
  'fraud_signal_opened',
] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];
export type BrandKind = (typeof BRAND_KINDS)[number];
export type NotificationKind = MemberKind | BrandKind;
export type RecipientKind = 'member' | 'brand';

/** Which preference governs a member kind; absent = a security notice (always sent, no unsubscribe). */
export const PREFERENCE_OF: Partial<Record<MemberKind, PreferenceKey>> = {
  offer_created: 'offers',
  offer_expiring: 'offerExpiring',
  claim_fulfilled: 'fulfilment',
  contest_answered: 'contests',
};

export const isSecurityKind = (k: NotificationKind): boolean =>
  (MEMBER_KINDS as readonly string[]).includes(k) && !PREFERENCE_OF[k as MemberKind];

export const isBrandKind = (k: string): k is BrandKind => (BRAND_KINDS as readonly string[]).includes(k);
export const isMemberKind = (k: string): k is MemberKind => (MEMBER_KINDS as readonly string[]).includes(k);

/** Brand kinds that are only ever mailed in the brand's daily digest. */
export const BRAND_DIGEST_KINDS: readonly BrandKind[] = ['claims_awaiting_shipping'];

/** Hours before an offer's expiry at which the one reminder goes out. */
export const OFFER_REMINDER_HOURS = 12;
/** Optional mail per recipient per hour beyond which the rest waits for the daily digest. */
export const INSTANT_MAILS_PER_HOUR = 10;
/** Security notices per recipient per hour beyond which only the in-app list holds them (a flood is an attack). */
export const SECURITY_MAILS_PER_HOUR = 20;
/** The daily digest goes out at this hour (UTC). */
export const DIGEST_CRON = '0 7 * * *';
