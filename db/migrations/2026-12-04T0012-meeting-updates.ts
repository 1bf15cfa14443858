import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * Lead professionals' updates before a meeting: one row per agenda item and
 * member of staff asked, from the request (or why it was held) to the answer,
 * which the item's card shows.
 */
export const meetingUpdates = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    const id = dialect.columnType('id');
    const longId = dialect.columnType('id', 300);
    const text = dialect.columnType('text');
    const timestamp = dialect.columnType('timestamp');
    await db.schema
      .createTable('meeting_update')
      .addColumn('update_id', longId, (c) => c.primaryKey())
      .addColumn('meeting_id', id, (c) => c.notNull())
      .addColumn('item_id', dialect.columnType('id', 200), (c) => c.notNull())
      .addColumn('person_id', id, (c) => c.notNull())
      .addColumn('worker_id', id, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('requested_at', timestamp, (c) => c.notNull())
      .addColumn('text', dialect.longTextType())
      .addColumn('answered_at', timestamp)
      .execute();
    await db.schema.createIndex('ix_meeting_update_item').on('meeting_update').columns(['item_id']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('meeting_update').execute();
  },
});
