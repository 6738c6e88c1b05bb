import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../../../src/database/typeorm.options';
import { databaseUrl } from '../../support/databases';
import { boundaryViolations, readCatalogue } from '../../support/sql-boundaries';
import { createTestDatabase, dropTestDatabase } from '../../support/test-app';

/**
 * No context reads another context's tables or writes its views (issue #11; test/support/sql-boundaries.ts).
 * A failure names the file and line of the offending table reference and what to read instead.
 */
describe('SQL boundaries between contexts', () => {
  it('every statement touches only its own schema and other contexts’ published views', async () => {
    const name = await createTestDatabase();
    const ds = await new DataSource(typeOrmOptions(databaseUrl(name), { poolSize: 1 })).initialize();
    try {
      const catalogue = await readCatalogue(ds);
      expect(await boundaryViolations(join(__dirname, '..', '..', '..'), catalogue)).toEqual([]);
    } finally {
      await ds.destroy();
      await dropTestDatabase(name);
    }
  }, 120_000);
});
