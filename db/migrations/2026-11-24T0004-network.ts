import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/** Relationships inferred in each run, and which list a scored person belongs to. */
export const network = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    const id = dialect.columnType('id');
    await db.schema
      .createTable('run_edge')
      .addColumn('run_id', id, (c) => c.notNull())
      .addColumn('person_a', id, (c) => c.notNull())
      .addColumn('person_b', id, (c) => c.notNull())
      .addColumn('shared_events', dialect.columnType('int'), (c) => c.notNull())
      .addColumn('first_date', dialect.columnType('date'), (c) => c.notNull())
      .addColumn('last_date', dialect.columnType('date'), (c) => c.notNull())
      .addColumn('event_types', dialect.columnType('text'), (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_run_edge', ['run_id', 'person_a', 'person_b'])
      .execute();
    await db.schema.createIndex('ix_run_edge_person_b').on('run_edge').columns(['run_id', 'person_b']).execute();
    // 'children' (the weekly list) or 'over_18' ("CSE Risk – Subjects Over 18").
    await db.schema.alterTable('run_score').addColumn('list', dialect.columnType('text')).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('run_score').dropColumn('list').execute();
    await db.schema.dropTable('run_edge').execute();
  },
});
