import { Principal } from '../common/auth/principal';
import { InfluencersService } from '../influencers/influencers.service';
import { SessionSubjects } from './session-subjects';

/** Members sign in with their Sway email and password and act as their influencer token would. */
export function memberSubjects(influencers: InfluencersService): SessionSubjects {
  return {
    kind: 'member',
    authenticate: (email, password) => influencers.authenticate(email, password),
    principal: async (id, sessionId): Promise<Principal | null> =>
      (await influencers.isActive(id)) ? { kind: 'influencer', influencerId: id, sessionId } : null,
    subjectOf: (p) => (p.kind === 'influencer' ? p.influencerId : null),
    describe: async (id) => {
      const p = await influencers.profile(id);
      return { member: { id: p.id, email: p.email, displayName: p.displayName } };
    },
  };
}
