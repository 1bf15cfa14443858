import type { JobsOptions, Queue } from 'bullmq';
import type { TfdDb } from '../../db/database.js';
import { alertsOfRecipient, openIntents, unsentAlerts } from '../../db/repositories/delivery-outbox.js';
import type { RecipientAlert } from '../../domain/delivery.js';
import { dueWork, recipientKey, type DueWork } from '../alerts/reconcile.js';
import { ALERT_DELIVER, ALERT_FANOUT, deliverJobOptions, fanoutJobOptions, messagesFor } from './alert-jobs.js';
import { MEETING_UPDATE_REQUESTS, updateRequestsJobOptions } from './meeting-update-jobs.js';

export const ALERT_RECONCILE = 'alert-reconcile';

export interface ReconcileDeps {
  readonly db: TfdDb;
  readonly queue: Queue;
  /** The fan-out's digest threshold (the same value, so messages are rebuilt as it made them). @defaultValue 5 */
  readonly digestAbove?: number;
  readonly now?: () => Date;
}

export interface Reconciled {
  /** Jobs put (back) on the queue, by name. */
  readonly queued: Record<string, number>;
  /** Due work whose job is already waiting, delayed or running. */
  readonly alreadyQueued: number;
}

/**
 * Puts back on the alert queue everything the database says is owed and
 * Redis may have lost: intents not done (a published run's fan-out, a new
 * agenda's update requests), alerts `pending`, and alerts `sending` whose
 * lease has ended (their delivery died before Teams answered). Each under the
 * job id its first queuing used: a job still waiting, delayed or running is
 * left alone, one that finished or gave up is replaced, so reconciling twice,
 * or while the first jobs run, queues nothing twice. Run at the worker's
 * start (Redis may have lost the schedule too) and on a schedule.
 */
export async function reconcileDeliveries(deps: ReconcileDeps): Promise<Reconciled> {
  const now = (deps.now ?? (() => new Date()))();
  const unsent = await unsentAlerts(deps.db);
  const recipients = new Map<string, RecipientAlert[]>();
  for (const a of unsent) {
    const key = recipientKey(a.runId, a.workerId);
    if (!recipients.has(key)) recipients.set(key, await alertsOfRecipient(deps.db, a.runId, a.workerId));
  }
  const work = dueWork(await openIntents(deps.db), unsent, recipients, (items) => messagesFor(items, deps.digestAbove ?? 5), now);
  const queued: Record<string, number> = {};
  let alreadyQueued = 0;
  for (const w of work) {
    const { name, data, opts } = jobFor(w);
    if (await ensureJob(deps.queue, name, data, opts)) queued[name] = (queued[name] ?? 0) + 1;
    else alreadyQueued++;
  }
  return { queued, alreadyQueued };
}

function jobFor(w: DueWork): { name: string; data: Record<string, unknown>; opts: JobsOptions & { jobId: string } } {
  switch (w.kind) {
    case 'alert-fanout':
      return { name: ALERT_FANOUT, data: { runId: w.runId }, opts: fanoutJobOptions(w.runId) };
    case 'meeting-update-requests':
      return { name: MEETING_UPDATE_REQUESTS, data: { meetingId: w.meetingId }, opts: updateRequestsJobOptions(w.meetingId, w.drawnAt) };
    case 'alert-deliver':
      return { name: ALERT_DELIVER, data: { runId: w.runId, workerId: w.workerId, alertIds: w.alertIds, school: w.school }, opts: { ...deliverJobOptions(w.runId, w.workerId, w.key), ...(w.delayMs > 0 ? { delay: w.delayMs } : {}) } };
  }
}

/** Adds the job unless one with its id is still to run or running; a finished or failed one is replaced. True when added. */
async function ensureJob(queue: Queue, name: string, data: Record<string, unknown>, opts: JobsOptions & { jobId: string }): Promise<boolean> {
  const existing = await queue.getJob(opts.jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed') return false;
    await existing.remove();
  }
  await queue.add(name, data, opts);
  return true;
}
