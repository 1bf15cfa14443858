import type { Kysely } from 'kysely';
import type { Database } from '../schema/database-schema.js';
import * as q from '../queries/delivery-queries.js';
import { alertsFor } from '../queries/alert-queries.js';
import type { DeliveryIntent, DeliveryIntentKind, RecipientAlert, UnsentAlert } from '../../domain/delivery.js';

/**
 * The delivery outbox: what must follow a publish or a new agenda is written
 * in the same transaction as it (`recordIntent` takes that transaction), and
 * done once its work is finished, so nothing Redis forgets is lost: the
 * reconciler re-queues every intent not done and every alert not delivered.
 */

const intentIdOf = (kind: DeliveryIntentKind, subjectId: string) => `${kind}|${subjectId}`;

/** Seconds, as every other stamp in the TFD. */
const stamp = (at: Date) => at.toISOString().slice(0, 19);
/** Leases keep milliseconds: a lease is compared and taken over by its exact value. */
const leaseStamp = (at: Date) => at.toISOString().slice(0, 23);
/** SQL Server gives a datetime2 back as a Date (UTC), SQLite the text written. */
const leaseText = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? leaseStamp(v) : String(v));

/** Writes the intent inside the caller's transaction (the publish's, the agenda's). Written once: a second write is a no-op. */
export async function recordIntent(trx: Kysely<Database>, kind: DeliveryIntentKind, subjectId: string, at: Date | string): Promise<void> {
  const intentId = intentIdOf(kind, subjectId);
  if (await q.intentById(trx, intentId).executeTakeFirst()) return;
  await q.insertIntent(trx, { intent_id: intentId, kind, subject_id: subjectId, created_at: typeof at === 'string' ? at : stamp(at), done_at: null }).execute();
}

/** The work is finished (the fan-out has queued every message; every update request is asked or held). */
export async function markIntentDone(db: Kysely<Database>, kind: DeliveryIntentKind, subjectId: string, at: Date): Promise<void> {
  await q.markIntentDone(db, intentIdOf(kind, subjectId), stamp(at)).execute();
}

export async function openIntents(db: Kysely<Database>): Promise<DeliveryIntent[]> {
  return (await q.openIntents(db).execute()).map((r) => ({ kind: r.kind, subjectId: r.subject_id, createdAt: leaseText(r.created_at)!.slice(0, 19) }));
}

/** A school lead's weekly digest alert is recorded with change `on_list` (worker/alerts/school-digest.ts). */
const isSchoolDigest = (change: string) => change === 'on_list';

const unsentOf = (r: { alert_id: string; run_id: string; worker_id: string; person_id: string; change: string; status: string; lease_until: unknown }): UnsentAlert => {
  const lease = leaseText(r.lease_until);
  return { alertId: r.alert_id, runId: r.run_id, workerId: r.worker_id, personId: r.person_id, status: r.status as UnsentAlert['status'], school: isSchoolDigest(r.change), leaseUntil: lease ? new Date(`${lease}Z`) : null };
};

export async function unsentAlerts(db: Kysely<Database>): Promise<UnsentAlert[]> {
  return (await q.unsentAlerts(db).execute()).map(unsentOf);
}

/** One recipient's alerts of a run not yet known to be delivered. */
export async function unsentOfRecipient(db: Kysely<Database>, runId: string, workerId: string): Promise<UnsentAlert[]> {
  return (await alertsFor(db, runId, workerId).execute()).filter((r) => r.status === 'pending' || r.status === 'sending').map(unsentOf);
}

/** Every alert of a run for one recipient, whatever became of it: the fan-out's messages are rebuilt from them. */
export async function alertsOfRecipient(db: Kysely<Database>, runId: string, workerId: string): Promise<RecipientAlert[]> {
  return (await alertsFor(db, runId, workerId).execute()).map((r) => ({ alertId: r.alert_id, personId: r.person_id, school: isSchoolDigest(r.change) }));
}

/**
 * Marks these alerts `sending` for one delivery until `leaseUntil`, each only
 * if it is still as that delivery read it, and returns the ids it took: an
 * alert another delivery took in between is left to that one.
 */
export async function claimForSending(db: Kysely<Database>, alerts: readonly Pick<UnsentAlert, 'alertId' | 'status' | 'leaseUntil'>[], leaseUntil: Date): Promise<string[]> {
  const until = leaseStamp(leaseUntil);
  return db.transaction().execute(async (trx) => {
    const taken: string[] = [];
    for (const a of alerts) {
      const result = await q.claimAlert(trx, a.alertId, { status: a.status, leaseUntil: a.leaseUntil ? leaseStamp(a.leaseUntil) : null }, until).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) taken.push(a.alertId);
    }
    return taken;
  });
}

/** The delivery stops holding alerts it left `sending` (Teams may have them): whoever delivers next may take them at once. */
export async function releaseSending(db: Kysely<Database>, alertIds: string[], at: Date): Promise<void> {
  if (alertIds.length > 0) await q.releaseAlerts(db, alertIds, leaseStamp(at)).execute();
}
