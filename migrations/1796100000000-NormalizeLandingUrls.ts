import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Landing URLs stored before they were normalised at the API may hold non-ASCII characters, which Node refuses
 * in a Location header (every click on such a campaign's links crashed the process). Rewrite them to their
 * WHATWG ASCII serialisation, as the API now stores them. Done in JS: PostgreSQL has no WHATWG URL serialiser.
 * Not reversible (the ASCII form is the same URL); `down` does nothing.
 */
export class NormalizeLandingUrls1796100000000 implements MigrationInterface {
  name = 'NormalizeLandingUrls1796100000000';

  public async up(q: QueryRunner): Promise<void> {
    const rows = (await q.query(
      `SELECT id, landing_url AS "landingUrl" FROM campaigns WHERE landing_url ~ '[^\\x20-\\x7e]'`,
    )) as { id: string; landingUrl: string }[];
    for (const r of rows) {
      let ascii: string;
      try {
        ascii = new URL(r.landingUrl.trim()).href;
      } catch {
        // Not a URL (never accepted by the API); the redirect's header guard percent-encodes it.
        continue;
      }
      if (ascii !== r.landingUrl) await q.query(`UPDATE campaigns SET landing_url = $2 WHERE id = $1`, [r.id, ascii]);
    }
  }

  public async down(): Promise<void> {
    // The ASCII form denotes the same URL; there is nothing to undo.
  }
}
