import { withClickId } from './landing-url';

const id = '01890a5d-ac96-774b-bcce-b302099a8057';

describe('withClickId', () => {
  it('adds a query when there is none', () => {
    expect(withClickId('https://shop.example/espresso', id)).toBe(`https://shop.example/espresso?sway_click=${id}`);
  });

  it('keeps the existing query exactly', () => {
    expect(withClickId('https://shop.example/p?utm_source=sway&q=a%20b+c', id)).toBe(
      `https://shop.example/p?utm_source=sway&q=a%20b+c&sway_click=${id}`,
    );
    expect(withClickId('https://shop.example/p?', id)).toBe(`https://shop.example/p?sway_click=${id}`);
  });

  it('keeps the fragment after the query', () => {
    expect(withClickId('https://shop.example/p?x=1#buy', id)).toBe(`https://shop.example/p?x=1&sway_click=${id}#buy`);
    expect(withClickId('https://shop.example/p#buy', id)).toBe(`https://shop.example/p?sway_click=${id}#buy`);
  });

  it('replaces a sway_click the brand left in its URL', () => {
    expect(withClickId('https://shop.example/p?sway_click=old&x=1', id)).toBe(
      `https://shop.example/p?x=1&sway_click=${id}`,
    );
  });

  it('without an id (click not stored in time) leaves the URL as the brand wrote it, minus any sway_click', () => {
    expect(withClickId('https://shop.example/p?x=1#buy', null)).toBe('https://shop.example/p?x=1#buy');
    expect(withClickId('https://shop.example/p?sway_click=old&x=1', null)).toBe('https://shop.example/p?x=1');
  });
});
