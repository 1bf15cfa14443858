import type { Kysely } from 'kysely';
import type { Database, DeliveryIntentRow } from '../schema/database-schema.js';

/** Reads and writes behind the delivery outbox and the reconciler (db/repositories/delivery-outbox.ts). */

export const insertIntent = (db: Kysely<Database>, row: DeliveryIntentRow) => db.insertInto('delivery_intent').values(row);

export const intentById = (db: Kysely<Database>, intentId: string) => db.selectFrom('delivery_intent').selectAll().where('intent_id', '=', intentId);

export const markIntentDone = (db: Kysely<Database>, intentId: string, at: string) =>
  db.updateTable('delivery_intent').set({ done_at: at }).where('intent_id', '=', intentId).where('done_at', 'is', null);

export const openIntents = (db: Kysely<Database>) => db.selectFrom('delivery_intent').selectAll().where('done_at', 'is', null).orderBy('created_at');

/** Alerts not known to be delivered: never handed to Teams, or handed over with no answer recorded. */
export const unsentAlerts = (db: Kysely<Database>) =>
  db.selectFrom('alert').select(['alert_id', 'run_id', 'worker_id', 'person_id', 'change', 'status', 'lease_until']).where('status', 'in', ['pending', 'sending']).orderBy('run_id').orderBy('worker_id').orderBy('person_id');

/**
 * Takes one alert for a delivery, only if it is still as the delivery read it
 * (same status, same lease): two deliveries can never both take it.
 */
export const claimAlert = (db: Kysely<Database>, alertId: string, was: { status: string; leaseUntil: string | null }, leaseUntil: string) =>
  db
    .updateTable('alert')
    .set({ status: 'sending', lease_until: leaseUntil })
    .where('alert_id', '=', alertId)
    .where('status', '=', was.status as 'pending' | 'sending')
    .where((eb) => (was.leaseUntil === null ? eb('lease_until', 'is', null) : eb('lease_until', '=', was.leaseUntil)));

/** Ends the delivery's hold on alerts it marked `sending` without a recorded answer: the next delivery may take them at once. */
export const releaseAlerts = (db: Kysely<Database>, alertIds: string[], at: string) => db.updateTable('alert').set({ lease_until: at }).where('alert_id', 'in', alertIds).where('status', '=', 'sending');
