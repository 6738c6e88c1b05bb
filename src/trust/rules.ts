/**
 * The fraud rules' thresholds (docs/trust-and-safety.md explains each, with its known false positives). Rules
 * flag, they never block: a signal is a question for the brand, answered by confirm or dismiss.
 */
export const SIGNAL_TYPES = [
  'self_referral',
  'shared_household',
  'click_anomaly',
  'paid_traffic',
  'conversion_velocity',
  'code_leak',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];
export const SIGNAL_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * How far back each detection run looks (whole UTC days, so a day's or a minute's group is either entirely in
 * or entirely out and its key never shifts). Runs every five minutes, so a worker may be down two days and lose
 * nothing; older rows were judged by earlier runs.
 */
export const LOOKBACK_DAYS = 2;

export const THRESHOLDS = {
  /** Human clicks from one visitor (keyed daily hash of IP and User-Agent) on one link in one UTC day: more is not a person. */
  visitorClicksPerDay: 20,
  /** From this many the same visitor is a script for certain. */
  visitorClicksHigh: 100,
  /** Human clicks on one link within one clock minute. */
  burstClicksPerMinute: 60,
  /** Conversions carrying the same click id within one clock minute. */
  conversionsPerClickPerMinute: 3,
  /** Code-attributed conversions of one claim within one clock minute. */
  conversionsPerCodePerMinute: 5,
  /** Ad-click-id clicks on one link in a day from which paid traffic is medium rather than low. */
  paidClicksMedium: 10,
  /** Leaked-code sales of one claim in a day from which the leak is medium, and high. */
  leaksMedium: 5,
  leaksHigh: 20,
} as const;

/** What a member is told about a confirmed verdict on their claim: the rule, in plain words, nothing of others. */
export const RULE_EXPLANATIONS: Record<SignalType, string> = {
  self_referral: 'A sale credited to your code or link was bought with your own email address.',
  shared_household:
    'Several members claimed this campaign’s perk to the same shipping address; yours was not the first claim.',
  click_anomaly:
    'Your link received far more clicks from one visitor, or in one minute, than people clicking would produce.',
  paid_traffic:
    'Clicks on your link came from paid ads (they carried an ad network’s click id), not from your audience.',
  conversion_velocity: 'Many sales were credited to your code or one click within seconds of each other.',
  code_leak: 'Your code was used for sales without anyone clicking your link first (it was likely shared elsewhere).',
};
