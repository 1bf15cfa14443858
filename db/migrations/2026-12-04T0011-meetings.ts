import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * The multi-agency victim-list meeting: each meeting (the run its agenda was
 * drawn from, its chat, its chair), its items (one child each, with the
 * decision recorded and a version so two people editing at once are caught),
 * the actions agreed with owners and due dates, and who attended or sent
 * apologies. Outcomes reach the model from here, with the meeting and the
 * person who recorded them.
 */
export const meetings = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    const id = dialect.columnType('id');
    const longId = dialect.columnType('id', 200);
    const text = dialect.columnType('text');
    const long = dialect.longTextType();
    const date = dialect.columnType('date');
    const timestamp = dialect.columnType('timestamp');
    const int = dialect.columnType('int');
    await db.schema
      .createTable('meeting')
      .addColumn('meeting_id', id, (c) => c.primaryKey())
      .addColumn('meeting_date', date, (c) => c.notNull())
      .addColumn('run_id', id, (c) => c.notNull())
      .addColumn('previous_meeting_id', id)
      .addColumn('chair_worker_id', id)
      .addColumn('conversation_id', text)
      .addColumn('header_activity_id', text)
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('created_by', id, (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ix_meeting_date').on('meeting').columns(['meeting_date']).execute();
    await db.schema
      .createTable('meeting_item')
      .addColumn('item_id', longId, (c) => c.primaryKey())
      .addColumn('meeting_id', id, (c) => c.notNull())
      .addColumn('person_id', id, (c) => c.notNull())
      .addColumn('section', text, (c) => c.notNull())
      .addColumn('position', int, (c) => c.notNull())
      .addColumn('version', int, (c) => c.notNull())
      .addColumn('rag', text)
      .addColumn('decision', text)
      .addColumn('outcome', text)
      .addColumn('lead_agency', text)
      .addColumn('next_review', date)
      .addColumn('notes', long)
      .addColumn('recorded_by', id)
      .addColumn('recorded_at', timestamp)
      .addColumn('activity_id', text)
      .addColumn('detail', long, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ix_meeting_item_meeting').on('meeting_item').columns(['meeting_id', 'position']).execute();
    await db.schema.createIndex('ix_meeting_item_person').on('meeting_item').columns(['person_id']).execute();
    await db.schema
      .createTable('meeting_action')
      .addColumn('action_id', longId, (c) => c.primaryKey())
      .addColumn('meeting_id', id, (c) => c.notNull())
      .addColumn('item_id', longId, (c) => c.notNull())
      .addColumn('person_id', id, (c) => c.notNull())
      .addColumn('description', long, (c) => c.notNull())
      .addColumn('owner_worker_id', id, (c) => c.notNull())
      .addColumn('due_date', date, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('created_by', id, (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('updated_by', id)
      .addColumn('updated_at', timestamp)
      .addColumn('reminded_at', timestamp)
      .execute();
    await db.schema.createIndex('ix_meeting_action_item').on('meeting_action').columns(['item_id']).execute();
    await db.schema
      .createTable('meeting_attendee')
      .addColumn('meeting_id', id, (c) => c.notNull())
      .addColumn('worker_id', id, (c) => c.notNull())
      .addColumn('agency', text)
      .addColumn('attendance', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_meeting_attendee', ['meeting_id', 'worker_id'])
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const table of ['meeting_attendee', 'meeting_action', 'meeting_item', 'meeting']) await db.schema.dropTable(table).execute();
  },
});
