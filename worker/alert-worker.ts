import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema/database-schema.js';
import type { AlertSender } from '../domain/alert-delivery.js';
import { ALERT_DELIVER, ALERT_FANOUT, fanoutJobOptions, runAlertDelivery, runAlertFanout } from './jobs/alert-jobs.js';
import { ACTION_REMINDERS, runActionReminders } from './jobs/reminder-jobs.js';
import { MEETING_UPDATE_REQUESTS, runUpdateRequestsJob, updateRequestsJobOptions } from './jobs/meeting-update-jobs.js';
import type { MeetingJobs, MeetingSchedule } from '../domain/meeting.js';
import { MEETING_AGENDA, runScheduledAgenda } from './jobs/meeting-agenda-job.js';
import type { QueueSettings } from './queue.js';
import { connectionFrom } from './redis/ensure-redis.js';
import { openTeamsPace, type TeamsPace } from './redis/teams-pace.js';
import { waitOffWorker } from './jobs/teams-pacing.js';
import { ALERT_RECONCILE, reconcileDeliveries } from './jobs/reconcile-job.js';

/** Alerts have their own queue, so Teams' pace never holds up imports and scoring runs. */
export const ALERT_QUEUE = 'tfd-alerts';


export function openAlertQueue(settings: QueueSettings): Queue {
  return new Queue(ALERT_QUEUE, { connection: connectionFrom(settings.redisUrl), prefix: settings.prefix });
}

/** Queues the fan-out after a published run (once per run: the job id is the run's). */
export async function queueAlertsForRun(queue: Queue, runId: string): Promise<void> {
  await queue.add(ALERT_FANOUT, { runId }, fanoutJobOptions(runId));
}

/** What the bot is given to queue a new agenda's update requests (once per meeting: the job id is the meeting's). */
export function meetingJobsOn(queue: Queue): MeetingJobs {
  return {
    async requestUpdates(meetingId: string, drawnAt: string) {
      await queue.add(MEETING_UPDATE_REQUESTS, { meetingId }, updateRequestsJobOptions(meetingId, drawnAt));
    },
  };
}

/** Each morning, the scheduled agenda job checks whether a meeting's agenda is due (MEETING_FIRST_DATE, MEETING_EVERY_DAYS, MEETING_AGENDA_DAYS_BEFORE). */
export async function scheduleMeetingAgenda(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler('daily-meeting-agenda', { pattern: '0 7 * * *', tz: 'Europe/London' }, { name: MEETING_AGENDA, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } });
}

/**
 * The reconciler on a schedule: re-queues what the database says is owed (see reconcile-job.ts). The worker also runs it
 * once when it starts, since a Redis that lost the jobs lost this schedule with them.
 */
export async function scheduleReconcile(queue: Queue, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler('alert-reconcile', { every: everyMs }, { name: ALERT_RECONCILE, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } });
}

/** Meeting actions that fell due are reminded every morning (once each: see runActionReminders). */
export async function scheduleActionReminders(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler('daily-action-reminders', { pattern: '0 8 * * *', tz: 'Europe/London' }, { name: ACTION_REMINDERS, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } });
}

export interface AlertWorkerDeps {
  readonly db: Kysely<Database>;
  readonly sender: AlertSender;
  readonly digestAbove?: number;
  readonly log?: (line: string) => void;
  /**
   * Teams' limits, shared through Redis by every worker (tests give one with
   * other windows or a clock). @defaultValue Teams' published limits, per tenant and per conversation
   */
  readonly pace?: TeamsPace;
  /** The meeting's cadence, when a first date is configured: the agenda is drawn on schedule. */
  readonly meetingSchedule?: MeetingSchedule;
  /**
   * How soon a job held by a worker that died is taken up by another (BullMQ's lock and stalled check), and how long
   * alerts marked `sending` stay leased to their delivery before the reconciler takes them up. @defaultValue 30 s
   */
  readonly lockMs?: number;
}

/**
 * The alert worker: fans out a published run's alerts and delivers them,
 * every message (alerts, reminders, update requests, the agenda notice) and
 * every chat it opens waiting for its place in Teams' published limits per
 * tenant and per conversation (sliding windows in Redis, shared by all
 * workers: see teams-pace.ts); throttled and failed sends are retried with
 * exponential backoff and jitter (honouring `Retry-After`).
 */
export function startAlertWorker(settings: QueueSettings, deps: AlertWorkerDeps): { queue: Queue; close(): Promise<void> } {
  const log = deps.log ?? console.log;
  const queue = openAlertQueue(settings);
  const pace = deps.pace ?? openTeamsPace(settings.redisUrl, { prefix: settings.prefix });
  const jobDeps = { db: deps.db, queue, sender: deps.sender, digestAbove: deps.digestAbove, pace, leaseMs: deps.lockMs ?? 30_000 };
  const handle = async (job: Job) => {
    if (job.name === ALERT_FANOUT) return runAlertFanout(job, jobDeps);
    if (job.name === ALERT_DELIVER) return runAlertDelivery(job, jobDeps);
    if (job.name === ACTION_REMINDERS) return runActionReminders(jobDeps, (job.data as { today?: string }).today);
    if (job.name === MEETING_UPDATE_REQUESTS) return runUpdateRequestsJob(job, jobDeps);
    if (job.name === ALERT_RECONCILE) return reconcileDeliveries(jobDeps);
    if (job.name === MEETING_AGENDA) {
      if (!deps.meetingSchedule) throw new UnrecoverableError(`${MEETING_AGENDA}: no meeting schedule is configured (MEETING_FIRST_DATE)`);
      return runScheduledAgenda(jobDeps, deps.meetingSchedule, (job.data as { today?: string }).today);
    }
    throw new Error(`no handler for job "${job.name}" on queue ${ALERT_QUEUE}`);
  };
  const worker = new Worker(
    ALERT_QUEUE,
    // A job that must wait for Teams (its limits, or a 429's Retry-After) goes back on the queue and carries on where it stopped.
    async (job: Job, token?: string) => handle(job).catch((error: unknown) => waitOffWorker(error, job, token)),
    {
      connection: connectionFrom(settings.redisUrl),
      prefix: settings.prefix,
      // Sends wait in the job for their place in Teams' limits (below 5 s), so a few more slots keep the tenant's 50/s filled.
      concurrency: 8,
      lockDuration: deps.lockMs ?? 30_000,
      stalledInterval: deps.lockMs ?? 30_000,
      settings: { backoffStrategy: (attemptsMade: number) => Math.round(Math.min(60_000, 500 * 2 ** attemptsMade) * (0.5 + Math.random() / 2)) },
    },
  );
  worker.on('failed', (job, error) => log(`alerts: ${job?.name ?? 'job'} ${job?.id ?? ''} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`));
  worker.on('error', (error) => log(`alerts: ${error.message}`));
  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
      if (!deps.pace) await pace.close();
    },
  };
}
