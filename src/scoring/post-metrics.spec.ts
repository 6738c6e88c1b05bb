import { postUrlKey } from './post-metrics';

describe('postUrlKey', () => {
  it('ignores scheme, www/m, fragment and trailing slash but keeps the query', () => {
    expect(postUrlKey('https://www.instagram.com/p/Cx1/')).toBe('instagram.com/p/Cx1');
    expect(postUrlKey('http://instagram.com/p/Cx1#comments')).toBe('instagram.com/p/Cx1');
    expect(postUrlKey('https://m.youtube.com/watch?v=AbC')).toBe('youtube.com/watch?v=AbC');
    expect(postUrlKey('https://youtube.com/watch?v=AbC')).not.toBe(postUrlKey('https://youtube.com/watch?v=abc'));
  });
});
