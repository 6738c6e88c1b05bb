import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { createBrand } from '../factories/brands';
import { activateOffline, createCampaign } from '../factories/campaigns';
import { quote } from '../factories/claims';
import { createMember, linkAccount, TestMember } from '../factories/influencers';
import { setScores } from '../factories/scores';
import { followers, post, reaction, sendSignals } from '../factories/signals';
import { TestApp, admin, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const hoursAgo = (h: number): Date => new Date(Date.now() - h * 3_600_000);
/** "Within seconds": far below the 5-minute sweep, with room for a loaded CI machine. */
const WITHIN_MS = 20_000;

/**
 * Issue #18: a finished score run, a consent grant and an unhidden topic trigger matching through their events
 * (scoring.run_finished, member.matching_granted, member.topic_unhidden), not the 5-minute sweep.
 */
describe('event-driven matching', () => {
  let t: TestApp;
  let matching: Queue;
  beforeAll(async () => {
    t = await startTestApp();
    matching = t.app.get<Queue>(getQueueToken('matching'));
    // The sweep's first run fires when its scheduler is registered at start; on a loaded machine it can finish
    // seconds later, inside a window below. Wait it out: the next one is five minutes away.
    await waitFor(async () => (await jobsDone('match-active-campaigns')).length > 0 || null, 60_000, 'the first sweep');
  });
  afterAll(() => t.close());

  async function activeCampaign(slug: string): Promise<string> {
    const brand = await createBrand(t);
    const c = await createCampaign(t, brand, {
      inventory: 5,
      targeting: { topics: [{ slug, minScore: 1 }], match: 'any' },
    });
    await activateOffline(t, c.id, quote(5));
    // The activation wave (campaign.activated) has run and found nobody yet.
    await waitFor(
      async () => (await jobsDone('match-campaign')).some((j) => j.data.campaignId === c.id) || null,
      60_000,
      'the activation wave',
    );
    return c.id;
  }

  const jobsDone = async (name: string): Promise<{ id: string; finishedOn: number; data: Record<string, unknown> }[]> =>
    (await matching.getJobs(['completed']))
      .filter((j) => j.name === name)
      .map((j) => ({ id: j.id ?? '', finishedOn: j.finishedOn ?? 0, data: j.data as Record<string, unknown> }));

  /** The sweeps finished so far, taken just before a trigger: a sweep that finishes later is a new one. */
  const sweepsSoFar = async (): Promise<Set<string>> =>
    new Set((await jobsDone('match-active-campaigns')).map((s) => s.id));

  async function offerFor(campaignId: string, member: TestMember): Promise<Date> {
    const [row] = await waitFor(
      async () => {
        const rows: { created_at: Date }[] = await t.db.query(
          `SELECT created_at FROM offers WHERE campaign_id = $1 AND influencer_id = $2`,
          [campaignId, member.id],
        );
        return rows.length ? rows : null;
      },
      60_000,
      'an offer',
    );
    return row.created_at;
  }

  /** No sweep (match-active-campaigns) finished after the trigger and before the offer: it played no part. */
  async function expectNoSweepSince(before: Set<string>, offeredAt: Date): Promise<void> {
    const sweeps = await jobsDone('match-active-campaigns');
    expect(sweeps.filter((s) => !before.has(s.id) && s.finishedOn <= offeredAt.getTime())).toEqual([]);
  }

  it('offers a member a campaign within seconds of the score run that made them eligible', async () => {
    const campaignId = await activeCampaign('espresso');
    const m = await createMember(t);
    await linkAccount(t, m, 'twitter', 'tw-event-1');
    const events = [post('tw-event-1', 'e1', hoursAgo(30), ['espresso']), followers('tw-event-1', 300, hoursAgo(2))];
    for (let i = 0; i < 6; i++)
      events.push(reaction('tw-event-1', 'e1', `fan-e-${i}`, i % 2 ? 'reshare' : 'like', hoursAgo(20 - i)));
    await sendSignals(t, events);
    const sweeps = await sweepsSoFar();

    const res = await t.http
      .post('/v1/scoring/runs')
      .set(admin)
      .send({ overrides: { minTopicReactors: 2 } })
      .expect(202);
    const run = await waitFor(
      async () => {
        const r = await t.http.get(`/v1/scoring/runs/${res.body.runId}`).set(admin).expect(200);
        if (r.body.status === 'failed') throw new Error(`run failed: ${r.body.error}`);
        return r.body.status === 'succeeded' ? (r.body as { startedAt: string; finishedAt: string }) : null;
      },
      120_000,
      'the score run',
    );
    const offeredAt = await offerFor(campaignId, m);
    expect(offeredAt.getTime() - new Date(run.finishedAt).getTime()).toBeLessThan(WITHIN_MS);
    expect((await jobsDone('match-after-scoring')).length).toBeGreaterThan(0);
    await expectNoSweepSince(sweeps, offeredAt);
  });

  it('offers within seconds of a matching consent grant, and of an unhidden topic', async () => {
    const campaignId = await activeCampaign('tea');
    const shy = await createMember(t, { matching: false });
    await setScores(t, shy.id, { overall: 60, topics: { tea: 70 } });
    const beforeGrant = await sweepsSoFar();
    const granted = new Date();
    await t.http.put('/v1/me/consents').set(shy.auth).send({ matching: true }).expect(200);
    const first = await offerFor(campaignId, shy);
    expect(first.getTime() - granted.getTime()).toBeLessThan(WITHIN_MS);
    await expectNoSweepSince(beforeGrant, first);

    const other = await activeCampaign('wine');
    const hider = await createMember(t);
    await t.http.put('/v1/me/topics/wine').set(hider.auth).send({ hidden: true }).expect(200);
    await setScores(t, hider.id, { overall: 60, topics: { wine: 80 } });
    const beforeUnhide = await sweepsSoFar();
    const unhidden = new Date();
    await t.http.put('/v1/me/topics/wine').set(hider.auth).send({ hidden: false }).expect(200);
    const second = await offerFor(other, hider);
    expect(second.getTime() - unhidden.getTime()).toBeLessThan(WITHIN_MS);
    await expectNoSweepSince(beforeUnhide, second);
  });
});
