import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * Reasons are stored once, as items (run_score.reason_items): the paragraph
 * a reader sees is rendered from them when it is shown, by the access policy
 * for that reader. The stored paragraph goes. Runs scored before items
 * existed keep theirs, as the only record of their reasons, in
 * `reasons_before_items` (null for every later row). No index uses
 * `reasons`, so SQLite (3.35+) and SQL Server both drop it in place.
 */
export const reasonsOnce = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('run_score').addColumn('reasons_before_items', dialect.longTextType()).execute();
    await db
      .updateTable('run_score')
      .set((eb) => ({ reasons_before_items: eb.ref('reasons') }))
      .where('reason_items', 'is', null)
      .execute();
    await db.schema.alterTable('run_score').dropColumn('reasons').execute();
  },
  /** Later rows' paragraphs are not rebuilt in SQL: after a rollback only the runs from before items have `reasons`. */
  async down(db: Kysely<any>) {
    await db.schema.alterTable('run_score').addColumn('reasons', dialect.longTextType()).execute();
    await db
      .updateTable('run_score')
      .set((eb) => ({ reasons: eb.ref('reasons_before_items') }))
      .execute();
    await db.schema.alterTable('run_score').dropColumn('reasons_before_items').execute();
  },
});
