import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/** Each run's evaluation (the model card's JSON twin), written before the run is published. */
export const runEvaluation = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('run_evaluation')
      .addColumn('run_id', dialect.columnType('id'), (c) => c.primaryKey())
      .addColumn('evaluation', dialect.longTextType(), (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('run_evaluation').execute();
  },
});
