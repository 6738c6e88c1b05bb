export const CAMPAIGN_STATUSES = ['draft', 'pending_funding', 'active', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * The status machine, one named transition per action. `activateAfterPayment` needs `pending_funding` (a
 * checkout was started); offline funding skips the checkout and may start from `draft`. `abandonFunding` is the
 * compensation when Stripe refuses to create the checkout, so the brand can fix the draft and try again.
 */
export const TRANSITIONS = {
  requestFunding: { from: ['draft'], to: 'pending_funding' },
  abandonFunding: { from: ['pending_funding'], to: 'draft' },
  activateAfterPayment: { from: ['pending_funding'], to: 'active' },
  activateOffline: { from: ['draft', 'pending_funding'], to: 'active' },
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  close: { from: ['active', 'paused'], to: 'completed' },
  cancel: { from: ['draft', 'pending_funding'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;

export type TransitionName = keyof typeof TRANSITIONS;

/** Only these allow PATCH; everything a brand pays for is frozen once funding starts. */
export const EDITABLE_STATUSES: readonly CampaignStatus[] = ['draft'];

export function canTransition(name: TransitionName, from: CampaignStatus): boolean {
  return (TRANSITIONS[name].from as readonly CampaignStatus[]).includes(from);
}

/** Human wording for the 409: the action, the state it found and the states it needs. */
export function wrongStateMessage(action: string, current: CampaignStatus, allowed: readonly CampaignStatus[]): string {
  return `Cannot ${action} a campaign that is ${current}; ${action} needs ${allowed.join(' or ')}`;
}
