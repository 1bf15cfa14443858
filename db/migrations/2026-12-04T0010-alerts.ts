import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * Caseworker alerts: the Teams conversation reference of each member of staff
 * who installed the bot (stored whole, service URL included), every alert a
 * run decided to send and what became of it, and what practitioners answered
 * on the card (kept as feedback with the run and date).
 */
export const alerts = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    const id = dialect.columnType('id');
    const text = dialect.columnType('text');
    const long = dialect.longTextType();
    const timestamp = dialect.columnType('timestamp');
    await db.schema
      .createTable('conversation_reference')
      .addColumn('aad_object_id', id, (c) => c.primaryKey())
      .addColumn('worker_id', id)
      .addColumn('conversation_id', text, (c) => c.notNull())
      .addColumn('service_url', text, (c) => c.notNull())
      .addColumn('tenant_id', text)
      .addColumn('bot_id', text)
      .addColumn('reference', long, (c) => c.notNull())
      .addColumn('active', dialect.columnType('int'), (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('alert')
      .addColumn('alert_id', dialect.columnType('id', 200), (c) => c.primaryKey())
      .addColumn('run_id', id, (c) => c.notNull())
      .addColumn('worker_id', id, (c) => c.notNull())
      .addColumn('person_id', id, (c) => c.notNull())
      .addColumn('change', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('activity_id', text)
      .addColumn('sent_at', timestamp)
      .addColumn('detail', long)
      .execute();
    await db.schema.createIndex('ix_alert_run_worker').on('alert').columns(['run_id', 'worker_id']).execute();
    await db.schema
      .createTable('alert_response')
      .addColumn('response_id', id, (c) => c.primaryKey())
      .addColumn('alert_id', dialect.columnType('id', 200), (c) => c.notNull())
      .addColumn('run_id', id, (c) => c.notNull())
      .addColumn('worker_id', id, (c) => c.notNull())
      .addColumn('person_id', id, (c) => c.notNull())
      .addColumn('action', text, (c) => c.notNull())
      .addColumn('note', long)
      .addColumn('responded_at', timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ix_alert_response_person').on('alert_response').columns(['person_id', 'responded_at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('alert_response').execute();
    await db.schema.dropTable('alert').execute();
    await db.schema.dropTable('conversation_reference').execute();
  },
});
