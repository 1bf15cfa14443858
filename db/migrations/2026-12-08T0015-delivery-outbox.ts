import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * Delivery that does not trust Redis to keep anything. `delivery_intent` is
 * an outbox: a run's alert fan-out, or a new agenda's update requests, is
 * written in the same transaction as the publish (or the agenda) and marked
 * done only when its work is queued, so a reconciler can re-queue what a
 * killed process or a wiped Redis lost. `alert.lease_until` says until when
 * an alert marked `sending` belongs to the delivery that marked it; after
 * that the reconciler takes it up again.
 */
export const deliveryOutbox = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    const timestamp = dialect.columnType('timestamp');
    await db.schema
      .createTable('delivery_intent')
      .addColumn('intent_id', dialect.columnType('id', 300), (c) => c.primaryKey())
      .addColumn('kind', dialect.columnType('id'), (c) => c.notNull())
      .addColumn('subject_id', dialect.columnType('id', 200), (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('done_at', timestamp)
      .execute();
    await db.schema.createIndex('ix_delivery_intent_done').on('delivery_intent').columns(['done_at']).execute();
    await db.schema.alterTable('alert').addColumn('lease_until', timestamp).execute();
    await db.schema.createIndex('ix_alert_status').on('alert').columns(['status']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('ix_alert_status').on('alert').execute();
    await db.schema.alterTable('alert').dropColumn('lease_until').execute();
    await db.schema.dropTable('delivery_intent').execute();
  },
});
