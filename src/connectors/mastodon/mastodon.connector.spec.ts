import { canonicalAcct, htmlToText, isPublicHostname, parseMastodonAddress, pkcePair } from './mastodon.connector';
import { createHash } from 'node:crypto';

describe('Mastodon helpers', () => {
  it('parses addresses and canonicalises accounts', () => {
    expect(parseMastodonAddress('@Lena@Mastodon.Social')).toEqual({ username: 'Lena', host: 'mastodon.social' });
    expect(parseMastodonAddress('lena@127.0.0.1:3000')).toEqual({ username: 'lena', host: '127.0.0.1:3000' });
    for (const bad of ['lena', '@lena@', 'le na@x.y', '@lena@localhost']) expect(parseMastodonAddress(bad)).toBeNull();
    expect(canonicalAcct('Kai', 'mastodon.social')).toBe('kai@mastodon.social');
    expect(canonicalAcct('kai@other.example', 'mastodon.social')).toBe('kai@other.example');
  });

  it('accepts public instance names and refuses ports, IP literals and local names', () => {
    expect(isPublicHostname('mastodon.social')).toBe(true);
    for (const h of ['127.0.0.1', '10.0.0.5', 'mastodon.social:8443', 'db.internal', 'printer.local'])
      expect(isPublicHostname(h)).toBe(false);
  });

  it('makes an S256 PKCE pair and reads status HTML as text', () => {
    const { verifier, challenge } = pkcePair();
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(htmlToText('<p>Tea &amp; cake<br>now</p><p>#tag</p>')).toBe('Tea & cake\nnow\n#tag\n');
  });
});
