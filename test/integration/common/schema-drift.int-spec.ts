import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../../../src/database/typeorm.options';
import { databaseUrl } from '../../support/databases';
import { createTestDatabase, dropTestDatabase } from '../../support/test-app';

/**
 * What `npm run db:migration:generate` would write for a database migrated to head: it must be nothing.
 * Fails when an entity changes without a migration, or a migration without its entity.
 */
describe('entities and migrations agree', () => {
  it('finds no schema change to generate', async () => {
    const name = await createTestDatabase();
    const ds = await new DataSource(typeOrmOptions(databaseUrl(name), { poolSize: 2 })).initialize();
    try {
      const sql = await ds.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
      await dropTestDatabase(name);
    }
  });
});
