import { TestApp, admin } from '../support/test-app';

export type Event = Record<string, unknown>;

export const post = (externalId: string, postId: string, at: Date, topics: string[] = []): Event => ({
  type: 'post',
  network: 'twitter',
  externalId,
  postId,
  occurredAt: at.toISOString(),
  topics,
});

export const reaction = (externalId: string, postId: string, actor: string, type: string, at: Date): Event => ({
  type,
  network: 'twitter',
  externalId,
  postId,
  actorExternalId: actor,
  occurredAt: at.toISOString(),
});

export const followers = (externalId: string, value: number, at: Date): Event => ({
  type: 'followers',
  network: 'twitter',
  externalId,
  value,
  occurredAt: at.toISOString(),
});

/** Posts events through the real API in batches of 5,000; returns the summed counts. */
export async function sendSignals(
  t: TestApp,
  events: Event[],
): Promise<{ accepted: number; ignored: number; duplicates: number }> {
  const sum = { accepted: 0, ignored: 0, duplicates: 0 };
  for (let i = 0; i < events.length; i += 5000) {
    const res = await t.http
      .post('/v1/signals')
      .set(admin)
      .send({ events: events.slice(i, i + 5000) })
      .expect(202);
    sum.accepted += res.body.accepted;
    sum.ignored += res.body.ignored;
    sum.duplicates += res.body.duplicates;
  }
  return sum;
}
