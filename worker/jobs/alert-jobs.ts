import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { z } from 'zod';
import type { TfdDb } from '../../db/database.js';
import * as alertStore from '../../db/repositories/alerts.js';
import { closuresOf, pupilsOnList, runStandings, schoolLeads } from '../../db/repositories/alert-fanout-inputs.js';
import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import { alertShownForAudit, alertsForReader } from '../../domain/access-policy.js';
import type { AlertFacts } from '../../domain/alert.js';
import { dayOf, isoOf } from '../../domain/days.js';
import { afterMeetingClosures, alertsForRun, emergingChildren } from '../alerts/emerging-risk.js';
import { schoolDigests } from '../alerts/school-digest.js';
import { SendRejectedError, type AlertSender } from '../../domain/alert-delivery.js';
import type { TeamsPace } from '../redis/teams-pace.js';
import { PacedError, whenTeamsAllows } from './teams-pacing.js';
import { chatWith } from './teams-chat.js';
import { claimForSending, markIntentDone, releaseSending, unsentOfRecipient } from '../../db/repositories/delivery-outbox.js';

export const ALERT_FANOUT = 'alert-fanout';
export const ALERT_DELIVER = 'alert-deliver';

const fanoutPayload = z.object({ runId: z.string().min(1).max(64) });
const deliverPayload = z.object({ runId: z.string().min(1).max(64), workerId: z.string().min(1).max(64), alertIds: z.array(z.string().min(1).max(500)).min(1).max(500), school: z.boolean().optional() });

/** BullMQ job ids may not contain ':'; ids are otherwise kept readable. */
const jobIdPart = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
export const fanoutJobId = (runId: string) => `fanout-${jobIdPart(runId)}`;
export const deliverJobId = (runId: string, workerId: string, message: string) => `deliver-${jobIdPart(runId)}-${jobIdPart(workerId)}-${jobIdPart(message)}`;
/** One fan-out per run; a delivery job per message, retried with backoff and jitter. Kept a while so a repeated add finds them. */
export const fanoutJobOptions = (runId: string) => ({ jobId: fanoutJobId(runId), attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 });
export const deliverJobOptions = (runId: string, workerId: string, message: string) => ({ jobId: deliverJobId(runId, workerId, message), attempts: 8, backoff: { type: 'jitter' }, removeOnComplete: 1000, removeOnFail: 1000 });

export interface AlertJobDeps {
  readonly db: TfdDb;
  readonly queue: Queue;
  readonly sender: AlertSender;
  /** More emerging children than this for one person in one run: one digest card instead. @defaultValue 5 */
  readonly digestAbove?: number;
  readonly now?: () => Date;
  /** Teams' limits, shared by every worker; every send and chat opened waits for a place. */
  readonly pace?: TeamsPace;
  /**
   * How long alerts marked `sending` belong to the delivery that marked them; a delivery killed
   * before Teams answered leaves them to be taken up once this has passed. @defaultValue 30 s
   */
  readonly leaseMs?: number;
}

const stamp = (now: Date) => now.toISOString().slice(0, 19);

/**
 * After a run is published: decides who is told about which child (pure,
 * worker/alerts), records each alert once (its id is run|recipient|child, so a
 * retried or repeated fan-out adds nothing), and queues one delivery job per
 * message under a deterministic job id, so BullMQ never holds two.
 */
export async function runAlertFanout(job: Job, deps: AlertJobDeps): Promise<{ recipients: number; alerts: number; new: number }> {
  const parsed = fanoutPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`${ALERT_FANOUT} job ${job.id}: bad payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const { runId } = parsed.data;
  const standings = await runStandings(deps.db, runId);
  if (!standings) throw new UnrecoverableError(`${ALERT_FANOUT} job ${job.id}: run ${runId} is not in the TFD`);
  const emerging = emergingChildren(standings.now, standings.before);
  const children = afterMeetingClosures(emerging, await closuresOf(deps.db, emerging.map((c) => c.personId)));
  const recipients = alertsForRun(runId, children, await alertStore.involvementsOn(deps.db, children.map((c) => c.personId), standings.asOf));
  const digests = await schoolDigestsFor(deps.db, runId, standings.asOf);
  const all = [...recipients, ...digests];
  const fresh = await alertStore.recordAlerts(deps.db, runId, all.flatMap((r) => r.alerts));
  const idsOf = (alerts: readonly AlertFacts[]) => alerts.map((a) => ({ alertId: a.alertId, personId: a.personId }));
  const messages = [
    ...recipients.flatMap((r) => messagesFor(idsOf(r.alerts), deps.digestAbove ?? 5).map((m) => ({ workerId: r.workerId, ...m, school: false }))),
    ...digests.map((d) => ({ workerId: d.workerId, key: 'school', alertIds: d.alerts.map((a) => a.alertId), school: true })),
  ];
  const jobs = messages.map((m) => ({
    name: ALERT_DELIVER,
    data: { runId, workerId: m.workerId, alertIds: m.alertIds, school: m.school },
    opts: deliverJobOptions(runId, m.workerId, m.key),
  }));
  for (let i = 0; i < jobs.length; i += 1000) await deps.queue.addBulk(jobs.slice(i, i + 1000));
  // Only now is the publish's intent done: killed before this, the reconciler queues the fan-out again (it adds nothing twice).
  await markIntentDone(deps.db, 'alert-fanout', runId, (deps.now ?? (() => new Date()))());
  return { recipients: all.length, alerts: all.reduce((n, r) => n + r.alerts.length, 0), new: fresh };
}

/** Not yet delivered as far as we know: never tried, or tried by a worker that stopped before Teams answered. */
const UNSENT = new Set(['pending', 'sending']);

/**
 * One message (a child's card, or a digest) to one recipient: written to the
 * access audit, then sent through the sender; marked sent with Teams' activity id. No conversation:
 * held (reported, not lost). 403: the conversation is stale, no more sends.
 * 400, 401 (refused for good): failed, with Teams' reason, and not sent again.
 * 429: back on the queue after `Retry-After`; 412 and 5xx: retried with
 * backoff and jitter. Alerts already sent are never sent again; one whose
 * send was interrupted (the worker died before Teams answered) goes again
 * once, saying so, because Teams may or may not have it.
 */
export async function runAlertDelivery(job: Job, deps: AlertJobDeps): Promise<{ sent: number; held: number; stale: number }> {
  const parsed = deliverPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`${ALERT_DELIVER} job ${job.id}: bad payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const { runId, workerId, alertIds, school } = parsed.data;
  const now = deps.now ?? (() => new Date());
  const wanted = new Set(alertIds);
  const unsent = (await unsentOfRecipient(deps.db, runId, workerId)).filter((a) => wanted.has(a.alertId));
  if (unsent.length === 0) return { sent: 0, held: 0, stale: 0 };
  // Alerts another delivery marked `sending` and may still be sending (it holds their lease): this one waits for the lease to end.
  const leasedFor = Math.max(0, ...unsent.map((a) => (a.status === 'sending' && a.leaseUntil ? a.leaseUntil.getTime() - now().getTime() : 0)));
  if (leasedFor > 0) throw new PacedError(leasedFor + 50);
  const pending = (await alertStore.alertsOf(deps.db, runId, workerId)).filter((a) => unsent.some((u) => u.alertId === a.alertId));
  const ids = pending.map((a) => a.alertId);
  // The recipient's role now, not at fan-out: what the card shows is decided when it is sent. No longer staff: nothing is disclosed.
  const reader = await alertStore.readerOf(deps.db, workerId);
  const reference = reader ? await chatWith(deps, workerId, now) : null;
  if (!reader || !reference) {
    await alertStore.setAlertStatus(deps.db, ids, 'held');
    return { sent: 0, held: ids.length, stale: 0 };
  }
  const items = alertsForReader(reader.role, pending, await alertStore.subjectsOf(deps.db, pending));
  // A disclosure: audited before it is sent, as the profile card is.
  await appendAccessAudit(
    deps.db,
    items.map((item) => ({
      actor: { aadObjectId: reference.aadObjectId, workerId, role: reader.role },
      action: 'alert',
      personId: item.personId,
      outcome: 'allowed' as const,
      basis: item.change === 'on_list' ? `school safeguarding lead's weekly digest: a pupil of their school on the list of run ${runId}; shown for their role now (${reader.role})` : `open involvement with the child; risk emerged in run ${runId} (${item.change}); shown for their role now (${reader.role})`,
      shown: alertShownForAudit(item),
      runId,
      channel: `teams-alert:${reference.conversationId}`,
    })),
    now(),
  );
  // Marked before the send, under a lease: if this worker dies before Teams answers, whoever takes them up after the lease
  // knows Teams may already have them. Taken only as read, so two deliveries never both send one alert.
  const resent = unsent.some((a) => a.status === 'sending');
  const claimed = new Set(await claimForSending(deps.db, unsent, new Date(now().getTime() + (deps.leaseMs ?? 30_000))));
  if (claimed.size !== ids.length) {
    // Another delivery took some of them between the read and the claim: this one lets go of its own and is retried.
    await alertStore.setAlertStatus(deps.db, [...claimed].filter((id) => unsent.find((u) => u.alertId === id)?.status === 'pending'), 'pending');
    await releaseSending(deps.db, [...claimed], now());
    throw new Error(`${ALERT_DELIVER} job ${job.id}: another delivery took ${ids.length - claimed.size} of its alerts; retried`);
  }
  try {
    // The place in Teams' limits is taken as late as it can be, so the message reaches Teams inside the window it was counted in.
    await whenTeamsAllows(deps.pace, reference.tenantId, reference.conversationId);
    const delivery = { runId, workerId, items, digest: school === true || alertIds.length > 1, school: school === true, resent };
    const send = async (compact: boolean) => deps.sender.send(structuredClone(reference.reference), { ...delivery, compact });
    // Too large for Teams (413): once more in the short form, which leaves the reasons to the profile.
    const { activityId } = await send(false).catch(async (error: unknown) => {
      if (!(error instanceof SendRejectedError && error.status === 413)) throw error;
      await whenTeamsAllows(deps.pace, reference.tenantId, reference.conversationId);
      return send(true);
    });
    await alertStore.setAlertStatus(deps.db, ids, 'sent', { activityId, sentAt: stamp(now()) });
    return { sent: ids.length, held: 0, stale: 0 };
  } catch (error) {
    if (error instanceof PacedError) {
      // No place in Teams' limits yet (or, after a 413, none for the short form): nothing reached Teams.
      await alertStore.setAlertStatus(deps.db, ids, 'pending');
      throw error;
    }
    if (!(error instanceof SendRejectedError)) {
      // Not Teams' answer (the connection broke, the database failed): Teams may have it; whoever retries may take it at once.
      await releaseSending(deps.db, ids, now()).catch((releaseError: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; its alerts stay leased until the lease ends (${releaseError instanceof Error ? releaseError.message : String(releaseError)})`, { cause: error });
      });
      throw error;
    }
    if (error.stale) {
      // Every alert still waiting for this chat goes stale with it, not only this message's.
      const waiting = (await alertStore.alertsOf(deps.db, runId, workerId)).filter((a) => UNSENT.has(a.status)).map((a) => a.alertId);
      await alertStore.retireChat(deps.db, reference.aadObjectId, waiting, now());
      return { sent: 0, held: 0, stale: waiting.length };
    }
    if (!error.retryable) {
      // Refused for good (400, 401, a 413 even in the short form): sending again gets the same answer, so the alerts
      // are failed with Teams' reason, not left pending for the reconciler to queue every round.
      await alertStore.setAlertStatus(deps.db, ids, 'failed', { detail: error.message });
      throw new UnrecoverableError(error.message);
    }
    // Teams refused it for now (429, 412): not delivered, so the retry is not a resend. A 5xx may have been delivered: left
    // as sending, its lease ended, so the retry takes it at once (and says it is sent again).
    if (error.status < 500) await alertStore.setAlertStatus(deps.db, ids, 'pending');
    else await releaseSending(deps.db, ids, now());
    // Back on the queue for Retry-After, as a job waiting for Teams' limits goes (the worker moves it).
    if (error.status === 429 && error.retryAfterMs !== null) throw new PacedError(error.retryAfterMs);
    throw error;
  }
}

/**
 * The messages one recipient gets from one run: a card per child, or one
 * digest when there are more than `digestAbove`. Each message is one delivery
 * job (so each waits for its own place in Teams' limits), keyed by the child or
 * `digest` so its job id is the same however often the fan-out runs.
 */
export function messagesFor(items: readonly { alertId: string; personId: string }[], digestAbove: number): { key: string; alertIds: string[] }[] {
  if (items.length > digestAbove) return [{ key: 'digest', alertIds: items.map((i) => i.alertId) }];
  return items.map((i) => ({ key: i.personId, alertIds: [i.alertId] }));
}

/** A school lead gets at most one digest a week of data, however often runs are published. */
const DIGEST_EVERY_DAYS = 7;

/** School safeguarding leads' digests of their pupils on the run's list (pure choice in worker/alerts/school-digest.ts). */
async function schoolDigestsFor(db: TfdDb, runId: string, day: string) {
  const pupils = await pupilsOnList(db, runId, day);
  if (pupils.length === 0) return [];
  // A run on unchanged data (same as-of date), or more than one run a week, makes no second digest.
  const cutoff = isoOf(dayOf(day) - DIGEST_EVERY_DAYS);
  const leads = (await schoolLeads(db)).filter((l) => l.lastDigestAsOf === null || l.lastDigestAsOf <= cutoff);
  return schoolDigests(runId, pupils, leads);
}
