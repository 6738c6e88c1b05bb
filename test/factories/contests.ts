import { createMember, linkAccount, TestMember } from './influencers';
import { Event, followers, post, reaction, sendSignals } from './signals';
import { TestApp, admin } from '../support/test-app';

export async function waitFor<T>(fn: () => Promise<T | null | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 150));
  }
}

const hoursAgo = (h: number): Date => new Date(Date.now() - h * 3_600_000);

/** A member with a main account (coffee) and a second one (wine) whose audience is large: two topics, one score. */
export async function scoredMember(t: TestApp, tag: string): Promise<{ m: TestMember; main: string; second: string }> {
  const m = await createMember(t, { displayName: `Contest ${tag}` });
  const main = `tw-${tag}-main`;
  const second = `tw-${tag}-second`;
  await linkAccount(t, m, 'twitter', main);
  await linkAccount(t, m, 'twitter', second);
  const events: Event[] = [post(main, `${tag}-p1`, hoursAgo(40), ['coffee']), followers(main, 400, hoursAgo(2))];
  for (let i = 0; i < 6; i++)
    events.push(reaction(main, `${tag}-p1`, `${tag}-fan-${i}`, i % 2 ? 'reshare' : 'like', hoursAgo(30 - i)));
  events.push(post(second, `${tag}-q1`, hoursAgo(50), ['wine']), followers(second, 5000, hoursAgo(2)));
  for (let i = 0; i < 40; i++)
    events.push(reaction(second, `${tag}-q1`, `${tag}-buyer-${i}`, i % 3 ? 'reshare' : 'click', hoursAgo(45 - i / 2)));
  await sendSignals(t, events);
  return { m, main, second };
}

export async function runScoring(t: TestApp): Promise<void> {
  const res = await t.http
    .post('/v1/scoring/runs')
    .set(admin)
    .send({ overrides: { minTopicReactors: 2 } })
    .expect(202);
  await waitFor(async () => {
    const r = await t.http.get(`/v1/scoring/runs/${res.body.runId}`).set(admin).expect(200);
    if (r.body.status === 'failed') throw new Error(`run failed: ${r.body.error}`);
    return r.body.status === 'succeeded';
  });
}
