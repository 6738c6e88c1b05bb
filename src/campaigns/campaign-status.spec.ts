import { CAMPAIGN_STATUSES, CampaignStatus, TRANSITIONS, TransitionName, canTransition } from './campaign-status';

/** The contract's machine: draft → pending_funding → active ⇄ paused → completed; draft|pending_funding → cancelled. */
const EXPECTED: Record<TransitionName, [CampaignStatus[], CampaignStatus]> = {
  requestFunding: [['draft'], 'pending_funding'],
  abandonFunding: [['pending_funding'], 'draft'],
  activateAfterPayment: [['pending_funding'], 'active'],
  activateOffline: [['draft', 'pending_funding'], 'active'],
  pause: [['active'], 'paused'],
  resume: [['paused'], 'active'],
  close: [['active', 'paused'], 'completed'],
  cancel: [['draft', 'pending_funding'], 'cancelled'],
};

describe('campaign status machine', () => {
  it.each(Object.keys(EXPECTED) as TransitionName[])('%s is allowed exactly from its source states', (name) => {
    const [from, to] = EXPECTED[name];
    expect(TRANSITIONS[name].to).toBe(to);
    for (const s of CAMPAIGN_STATUSES) expect(canTransition(name, s)).toBe(from.includes(s));
  });

  it('never leaves a terminal state', () => {
    for (const name of Object.keys(TRANSITIONS) as TransitionName[]) {
      expect(canTransition(name, 'completed')).toBe(false);
      expect(canTransition(name, 'cancelled')).toBe(false);
    }
  });

  it('reaches every state from draft', () => {
    const seen = new Set<CampaignStatus>(['draft']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of Object.values(TRANSITIONS)) {
        if ((t.from as readonly CampaignStatus[]).some((f) => seen.has(f)) && !seen.has(t.to)) {
          seen.add(t.to);
          grew = true;
        }
      }
    }
    expect([...seen].sort()).toEqual([...CAMPAIGN_STATUSES].sort());
  });
});
