import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * Each score's reasons as structured items (JSON: code, kind, text, evidence
 * date, source, audience), so that every channel shows a reader only the
 * reasons their role may see. Runs scored before this migration have none:
 * their reasons stay in the analysts' paragraph and are not shown to partners.
 */
export const reasonItems = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('run_score').addColumn('reason_items', dialect.longTextType()).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('run_score').dropColumn('reason_items').execute();
  },
});
