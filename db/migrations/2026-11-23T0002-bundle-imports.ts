import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

export const bundleImports = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('bundle_import')
      .addColumn('import_id', dialect.columnType('id'), (c) => c.primaryKey())
      .addColumn('source', dialect.columnType('text'), (c) => c.notNull())
      .addColumn('started_at', dialect.columnType('timestamp'), (c) => c.notNull())
      .addColumn('finished_at', dialect.columnType('timestamp'), (c) => c.notNull())
      .addColumn('replaced', dialect.columnType('bool'), (c) => c.notNull())
      .addColumn('row_counts', dialect.longTextType(), (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('bundle_import').execute();
  },
});
