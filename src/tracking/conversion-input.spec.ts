import { parseConversion } from './conversion-input';
import { uuidv7 } from './uuid-v7';

const now = Date.UTC(2025, 5, 1, 12);

describe('parseConversion', () => {
  it('accepts a full conversion and normalises code and click', () => {
    const click = uuidv7(now - 60_000);
    const r = parseConversion(
      {
        orderId: 'ord-1',
        amountCents: 4200,
        currency: 'usd',
        code: 'k7qh 3mzp',
        clickId: click.toUpperCase(),
        occurredAt: '2025-06-01T11:00:00Z',
      },
      now,
    );
    expect(r).toEqual({
      input: {
        orderId: 'ord-1',
        amountCents: 4200,
        currency: 'usd',
        code: 'K7QH-3MZP',
        clickId: click,
        clickAt: new Date(now - 60_000),
        occurredAt: new Date('2025-06-01T11:00:00Z'),
        paymentIntentId: null,
        customerHash: null,
      },
    });
  });

  it('defaults occurredAt to now and treats a foreign-looking code as no code', () => {
    const r = parseConversion({ orderId: 'o', amountCents: 0, currency: 'eur', code: 'SUMMER10' }, now);
    expect(r).toMatchObject({ input: { occurredAt: new Date(now), code: null, clickId: null, clickAt: null } });
  });

  it('names every invalid field, including unknown ones', () => {
    const r = parseConversion(
      {
        orderId: '',
        amountCents: 1.5,
        currency: 'USD',
        clickId: 'nope',
        occurredAt: '2999-01-01T00:00:00Z',
        extra: 1,
      },
      now,
    );
    expect('errors' in r && r.errors.map((e) => e.field).sort()).toEqual(
      ['amountCents', 'clickId', 'currency', 'extra', 'occurredAt', 'orderId'].sort(),
    );
  });

  it('refuses non-objects and negative or unsafe amounts', () => {
    expect(parseConversion([], now)).toMatchObject({ errors: [{ field: '' }] });
    expect(parseConversion({ orderId: 'o', amountCents: -1, currency: 'usd' }, now)).toMatchObject({
      orderId: 'o',
      errors: [{ field: 'amountCents' }],
    });
    expect(parseConversion({ orderId: 'o', amountCents: 2 ** 53, currency: 'usd' }, now)).toHaveProperty('errors');
  });

  it('hashes customerEmail on arrival and never returns it', () => {
    const r = parseConversion(
      { orderId: 'o', amountCents: 1, currency: 'usd', customerEmail: 'Ann@Example.com' },
      now,
      (e) => Buffer.from(`h:${e.toLowerCase()}`),
    );
    expect(r).toMatchObject({ input: { customerHash: Buffer.from('h:ann@example.com') } });
    expect(JSON.stringify(r)).not.toContain('Ann@');
    expect(
      parseConversion({ orderId: 'o', amountCents: 1, currency: 'usd', customerEmail: 'nope' }, now),
    ).toMatchObject({ errors: [{ field: 'customerEmail' }] });
  });
});
