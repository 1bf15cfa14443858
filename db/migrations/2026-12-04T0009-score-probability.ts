import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/** Each child's calibrated chance of acceptance by the exploitation service within the configured horizon (0–1). */
export const scoreProbability = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('run_score').addColumn('probability', dialect.columnType('real')).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('run_score').dropColumn('probability').execute();
  },
});
