import { MAX_EVENTS, validateSignals } from './signals-validator';

const NOW = Date.UTC(2025, 5, 1);
const like = {
  type: 'like',
  network: 'twitter',
  externalId: 'a1',
  postId: 'p1',
  actorExternalId: 'f1',
  occurredAt: '2025-05-30T10:00:00Z',
};

describe('signals validator', () => {
  it('accepts the three event shapes', () => {
    const r = validateSignals(
      {
        events: [
          like,
          {
            type: 'post',
            network: 'twitter',
            externalId: 'a1',
            postId: 'p1',
            occurredAt: '2025-05-30T09:00:00.123+02:00',
            topics: ['coffee'],
            url: 'https://x.example/p1',
          },
          { type: 'followers', network: 'twitter', externalId: 'a1', value: 10, occurredAt: '2025-05-30T00:00:00Z' },
        ],
      },
      NOW,
    );
    expect('events' in r && r.events.map((e) => e.type)).toEqual(['like', 'post', 'followers']);
  });

  it('names every bad field by its place and rejects the whole batch', () => {
    const r = validateSignals(
      {
        events: [
          like,
          { ...like, occurredAt: '2025-05-30 10:00' },
          { ...like, network: 'myspace', extra: 1 },
          { type: 'followers', network: 'twitter', externalId: 'a1', value: -1, occurredAt: '2025-05-30T00:00:00Z' },
          {
            type: 'post',
            network: 'twitter',
            externalId: 'a1',
            postId: 'p',
            occurredAt: '2025-05-30T00:00:00Z',
            topics: [3],
          },
          { ...like, occurredAt: '2031-01-01T00:00:00Z' },
          'nope',
        ],
      },
      NOW,
    );
    expect('errors' in r && r.errors.map((e) => e.field)).toEqual([
      'events[1].occurredAt',
      'events[2].extra',
      'events[2].network',
      'events[3].value',
      'events[4].topics[0]',
      'events[5].occurredAt',
      'events[6]',
    ]);
  });

  // Its speed is measured in bench/, not asserted here (a timed unit test fails on a loaded machine).
  it('limits a batch to 5,000 events', () => {
    const events = Array.from({ length: MAX_EVENTS }, (_, i) => ({ ...like, actorExternalId: `f${i}` }));
    expect('events' in validateSignals({ events }, NOW)).toBe(true);
    expect('errors' in validateSignals({ events: [...events, like] }, NOW)).toBe(true);
    expect('errors' in validateSignals({ events: [] }, NOW)).toBe(true);
    expect('errors' in validateSignals({ events, more: 1 }, NOW)).toBe(true);
  });
});
