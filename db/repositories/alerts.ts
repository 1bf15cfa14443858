import { z } from 'zod';
import type { Kysely } from 'kysely';
import * as q from '../queries/alert-queries.js';
import type { AlertRow, Database } from '../schema/database-schema.js';
import { ALERT_CHANGES, type Alert, type AlertAnswer, type AlertFacts, type AlertStatus, type AlertSubject, type Involvement } from '../../domain/alert.js';
import { parseReasonItems } from '../../domain/reason-item.js';
import { dayOf, isoOf } from '../../domain/days.js';
import { isStaffRole, type StaffRole } from '../../domain/roles.js';
import { appendAccessAudit, type AuditEntry } from './access-audit.js';
import { retireConversationReference } from './conversation-references.js';

/**
 * The alert aggregate behind the TFD: alerts as facts (domain/alert.ts), the
 * answers given on them, and what the run knows about each alert's child,
 * which every reader's view is rendered from when it is shown. Rows become
 * domain types here and nowhere else.
 */

/** `alert.new_reasons`: the reason codes new in the alert's run. */
const newReasonsCodec = z.array(z.string().min(1).max(200));

const changeCodec = z.enum(ALERT_CHANGES as [AlertFacts['change'], ...AlertFacts['change'][]]);

export class StoredAlertError extends Error {
  constructor(alertId: string, detail: string) {
    super(`alert ${alertId} is stored in a form this version cannot read (${detail}): it was written by another version, or altered by hand`);
    this.name = 'StoredAlertError';
  }
}

function alertOf(row: AlertRow): Alert {
  const change = changeCodec.safeParse(row.change);
  if (!change.success) throw new StoredAlertError(row.alert_id, `change "${row.change.slice(0, 40)}"`);
  const codes = newReasonsCodec.safeParse(JSON.parse(row.new_reasons ?? '[]'));
  if (!codes.success) throw new StoredAlertError(row.alert_id, 'new_reasons is not a list of reason codes');
  return {
    alertId: row.alert_id,
    runId: row.run_id,
    workerId: row.worker_id,
    personId: row.person_id,
    change: change.data,
    previousBand: row.previous_band,
    band: row.band,
    newReasonCodes: codes.data,
    closedOn: row.closed_on,
    status: row.status,
    activityId: row.activity_id,
    sentAt: row.sent_at === null ? null : String(row.sent_at),
  };
}

const rowOf = (a: AlertFacts): AlertRow => ({
  alert_id: a.alertId,
  run_id: a.runId,
  worker_id: a.workerId,
  person_id: a.personId,
  change: a.change,
  status: 'pending',
  activity_id: null,
  sent_at: null,
  detail: null,
  lease_until: null,
  previous_band: a.previousBand,
  band: a.band,
  new_reasons: JSON.stringify(newReasonsCodec.parse(a.newReasonCodes)),
  closed_on: a.closedOn,
});

async function chunked<T>(ids: readonly string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await read(ids.slice(i, i + 500))));
  return out;
}

/** Records alerts not yet recorded (an alert's id is run|recipient|child, so a repeated fan-out adds nothing); returns how many were new. */
export async function recordAlerts(db: Kysely<Database>, runId: string, alerts: readonly AlertFacts[]): Promise<number> {
  const existing = new Set((await q.alertIdsOfRun(db, runId).execute()).map((r) => r.alert_id));
  const fresh = alerts.filter((a) => !existing.has(a.alertId)).map(rowOf);
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < fresh.length; i += 100) await q.insertAlerts(trx, fresh.slice(i, i + 100)).execute();
  });
  return fresh.length;
}

/** One recipient's alerts from one run, by child. */
export async function alertsOf(db: Kysely<Database>, runId: string, workerId: string): Promise<Alert[]> {
  return (await q.alertsFor(db, runId, workerId).execute()).map(alertOf);
}

/** The alerts with these ids that exist, each once, by child. */
export async function alertsByIds(db: Kysely<Database>, alertIds: readonly string[]): Promise<Alert[]> {
  const ids = [...new Set(alertIds)];
  return ids.length === 0 ? [] : (await chunked(ids, (part) => q.alertsByIds(db, part).execute())).map(alertOf);
}

/** A person's alerts that were sent, held or went stale (not those still waiting), latest run first. */
export async function recentAlertsOf(db: Kysely<Database>, workerId: string, limit: number): Promise<Alert[]> {
  return (await q.recentAlertsOfWorker(db, workerId).execute()).slice(0, limit).map(alertOf);
}

export async function setAlertStatus(db: Kysely<Database>, alertIds: readonly string[], status: AlertStatus, fields: { activityId?: string | null; sentAt?: string | null; detail?: string | null } = {}): Promise<void> {
  if (alertIds.length === 0) return;
  await q
    .markAlerts(db, [...alertIds], status, {
      ...(fields.activityId !== undefined ? { activity_id: fields.activityId } : {}),
      ...(fields.sentAt !== undefined ? { sent_at: fields.sentAt } : {}),
      ...(fields.detail !== undefined ? { detail: fields.detail } : {}),
    })
    .execute();
}

/** A chat Teams says is gone: no more sends to it, and every alert still waiting for it goes stale with it, together. */
export async function retireChat(db: Kysely<Database>, aadObjectId: string, waitingAlertIds: readonly string[], now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await retireConversationReference(trx, aadObjectId, now);
    await setAlertStatus(trx, waitingAlertIds, 'stale');
  });
}

/** The answers given on these alerts, oldest first. */
export async function answersTo(db: Kysely<Database>, alertIds: readonly string[]): Promise<AlertAnswer[]> {
  if (alertIds.length === 0) return [];
  return (await chunked(alertIds, (ids) => q.responsesOf(db, ids).execute()))
    .map((r) => ({ alertId: r.alert_id, runId: r.run_id, workerId: r.worker_id, personId: r.person_id, action: r.action, note: r.note, respondedAt: String(r.responded_at) }))
    .sort((a, b) => a.respondedAt.localeCompare(b.respondedAt));
}

/** Keeps answers and their audit entries together: both or neither. */
export async function recordAnswers(db: Kysely<Database>, answers: readonly (AlertAnswer & { readonly responseId: string })[], audit: readonly AuditEntry[], now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const a of answers)
      await q.insertResponse(trx, { response_id: a.responseId, alert_id: a.alertId, run_id: a.runId, worker_id: a.workerId, person_id: a.personId, action: a.action, note: a.note, responded_at: a.respondedAt }).execute();
    await appendAccessAudit(trx, audit, now);
  });
}

/** A member of staff as an alert's reader is now: their role is looked up when the alert is shown, never kept with it. */
export interface AlertReader {
  readonly workerId: string;
  readonly role: StaffRole;
  readonly displayName: string;
  readonly aadObjectId: string | null;
}

/** The recipient as the staff list has them now (null: no longer staff, or a role this version does not know). */
export async function readerOf(db: Kysely<Database>, workerId: string): Promise<AlertReader | null> {
  const row = await q.staffRoleOf(db, workerId).executeTakeFirst();
  if (!row || !isStaffRole(row.role)) return null;
  return { workerId: row.worker_id, role: row.role, displayName: row.display_name, aadObjectId: row.aad_object_id };
}

/** Open involvements of these people on a day, with the member of staff each names. */
export async function involvementsOn(db: Kysely<Database>, personIds: readonly string[], day: string): Promise<Involvement[]> {
  return (await chunked(personIds, (ids) => q.leadProfessionalsOf(db, ids, day).execute())).map((i) => ({
    personId: i.person_id,
    agency: i.agency,
    involvementRole: i.involvement_role,
    workerId: i.worker_id,
    displayName: i.display_name,
    staffRole: i.role,
  }));
}

/**
 * What each alert's run holds about its child (the calibrated chance, the
 * reasons as items, the open involvements on the run's date), by alert id:
 * what any reader's view of the alert is cut from, read when it is shown.
 */
export async function subjectsOf(db: Kysely<Database>, alerts: readonly AlertFacts[]): Promise<Map<string, AlertSubject>> {
  const out = new Map<string, AlertSubject>();
  for (const runId of new Set(alerts.map((a) => a.runId))) {
    const ofRun = alerts.filter((a) => a.runId === runId);
    const personIds = [...new Set(ofRun.map((a) => a.personId))];
    const asOf = (await q.runAsOf(db, runId).executeTakeFirst())?.as_of as string | Date | undefined;
    const scores = new Map((await chunked(personIds, (ids) => q.scoresForAlerts(db, runId, ids).execute())).map((s) => [s.person_id, s]));
    const involvements = asOf ? await involvementsOn(db, personIds, isoOf(dayOf(asOf))) : [];
    for (const a of ofRun) {
      const score = scores.get(a.personId);
      out.set(a.alertId, { probability: score?.probability ?? null, reasonItems: parseReasonItems(score?.reason_items), involvements: involvements.filter((i) => i.personId === a.personId) });
    }
  }
  return out;
}
