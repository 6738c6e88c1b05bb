import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * OAuth tokens and client secrets at rest: AES-256-GCM under a key derived from HASH_SECRET, so a database dump
 * alone does not hand out members' grants. Layout: 12-byte nonce ‖ 16-byte tag ‖ ciphertext.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'sway', 'connectors-secret-box', 32));
  }

  seal(plain: string): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), ct]);
  }

  open(box: Buffer): string {
    const d = createDecipheriv('aes-256-gcm', this.key, box.subarray(0, 12));
    d.setAuthTag(box.subarray(12, 28));
    return Buffer.concat([d.update(box.subarray(28)), d.final()]).toString('utf8');
  }
}
