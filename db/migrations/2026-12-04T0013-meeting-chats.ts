import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * The Teams chat a meeting is held in, stored whole when a chair draws an
 * agenda there, so the scheduled agenda job can tell the chat its next agenda
 * is ready (without naming anyone: the roster is checked when it is shown).
 */
export const meetingChats = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('meeting_chat')
      .addColumn('conversation_id', dialect.columnType('id', 200), (c) => c.primaryKey())
      .addColumn('reference', dialect.longTextType(), (c) => c.notNull())
      .addColumn('chair_worker_id', dialect.columnType('id'), (c) => c.notNull())
      .addColumn('updated_at', dialect.columnType('timestamp'), (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('meeting_chat').execute();
  },
});
