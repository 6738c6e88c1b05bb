import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One brand per email (case-insensitive), like members: a second signup with the same address is a 409 instead
 * of a second, unrelated brand the owner cannot tell apart. Existing duplicates are not merged or renamed
 * silently: the migration stops and says how many, so an operator decides which brand keeps the address.
 */
export class BrandEmailUnique1796300000000 implements MigrationInterface {
  name = 'BrandEmailUnique1796300000000';

  public async up(q: QueryRunner): Promise<void> {
    const [{ n }] = await q.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM brands GROUP BY lower(email) HAVING count(*) > 1) d`,
    );
    if (n > 0) {
      throw new Error(
        `${n} email address(es) are used by more than one brand; change all but one brand's email, then migrate again`,
      );
    }
    await q.query(`CREATE UNIQUE INDEX "brands_email_lower_uq" ON brands (lower(email))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "brands_email_lower_uq"`);
  }
}
