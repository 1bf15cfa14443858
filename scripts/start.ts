import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { loadConfig, meetingDateWindowOf } from '../config/env.js';
import { reportFatal } from '../domain/errors.js';
import { createDb } from '../db/database.js';
import { standaloneAlertSender, startBot, type RunningBot } from '../bot/server.js';
import { meetingJobsOn, openAlertQueue, scheduleActionReminders, scheduleMeetingAgenda, scheduleReconcile, startAlertWorker } from '../worker/alert-worker.js';
import { reconcileDeliveries } from '../worker/jobs/reconcile-job.js';
import type { Queue } from 'bullmq';
import { startWorker, type PipelineWorker } from '../worker/main.js';
import { SCORE_RUN } from '../worker/jobs/score-run-job.js';
import { loadScoringConfig } from '../worker/scoring/scoring-config.js';
import { openQueue } from '../worker/queue.js';
import { ensureRedis, type RedisHandle } from '../worker/redis/ensure-redis.js';
import type { TfdDialect } from '../db/dialect/dialect.js';

/** `npm start` (bot + worker in one process), `npm run start:bot`, `npm run start:worker`. */
const mode = process.argv[2] ?? 'all';
if (!['all', 'bot', 'worker'].includes(mode)) {
  console.error(`error: unknown mode "${mode}"; use all, bot or worker`);
  process.exit(2);
}

let redis: RedisHandle | undefined;
let db: TfdDialect | undefined;
let botDb: TfdDialect | undefined;
let worker: PipelineWorker | undefined;
let bot: RunningBot | undefined;
let alerts: ReturnType<typeof startAlertWorker> | undefined;
let meetingQueue: Queue | undefined;

async function shutdown(signal: string): Promise<void> {
  console.log(`${signal}: stopping…`);
  await alerts?.close();
  await meetingQueue?.close();
  await worker?.close();
  await bot?.close();
  await botDb?.close();
  await db?.close();
  await redis?.stop();
  process.exit(0);
}

try {
  const config = loadConfig();
  if (mode === 'bot' && config.BOT_PROCESSES > 1 && cluster.isPrimary) {
    // Migrate once here, then let the processes share the port (node:cluster); this process only supervises.
    await (await createDb({ databaseUrl: config.DATABASE_URL })).close();
    // Links the bot signs must verify on whichever process serves them.
    const linkSecret = config.BOT_LINK_SECRET || config.MicrosoftAppPassword || randomBytes(32).toString('hex');
    superviseBotProcesses(config.BOT_PROCESSES, config.PORT, linkSecret);
  } else {
    db = await createDb({ databaseUrl: config.DATABASE_URL, migrate: cluster.isPrimary });
    if (mode !== 'bot') {
      redis = await ensureRedis({ redisUrl: config.REDIS_URL });
      worker = startWorker({ redisUrl: redis.url, prefix: config.QUEUE_PREFIX }, { db, scoring: loadScoringConfig(config.SCORING_CONFIG) });
      const queue = openQueue({ redisUrl: redis.url, prefix: config.QUEUE_PREFIX });
      await queue.scheduleWeeklyRun(SCORE_RUN);
      await queue.close();
      console.log(`worker: listening for jobs on ${redis.url} (${redis.origin}); weekly scoring run scheduled for Mondays 06:00 Europe/London; database ${config.DATABASE_URL.startsWith('sqlite:') ? config.DATABASE_URL : 'SQL Server'}`);
    }
    if (mode !== 'worker') {
      // The bot's own connection waits only briefly for a writer, so a held lock means a "busy" card, not a frozen server.
      botDb = await createDb({ databaseUrl: config.DATABASE_URL, migrate: false, busyTimeoutMs: config.BOT_DB_BUSY_TIMEOUT_MS });
      // A new agenda's update requests go through the alert queue: on this process's Redis, or REDIS_URL for a bot on its own.
      const queueUrl = redis?.url ?? config.REDIS_URL;
      meetingQueue = queueUrl ? openAlertQueue({ redisUrl: queueUrl, prefix: config.QUEUE_PREFIX }) : undefined;
      if (!meetingQueue) console.log('bot: REDIS_URL is not set, so a new meeting agenda will not ask lead professionals for updates');
      bot = await startBot({
        port: config.PORT,
        appId: config.MicrosoftAppId,
        appPassword: config.MicrosoftAppPassword,
        tenantId: config.MicrosoftAppTenantId,
        allowUnauthenticated: config.BOT_ALLOW_UNAUTHENTICATED,
        host: config.BOT_HOST,
        serverTiming: config.BOT_SERVER_TIMING,
        publicUrl: config.BOT_PUBLIC_URL,
        linkSecret: config.BOT_LINK_SECRET,
        proactive: { tenantId: config.MicrosoftAppTenantId, serviceUrl: config.TEAMS_SERVICE_URL },
      }, { db: botDb.db, now: () => new Date(), meetingDates: meetingDateWindowOf(config), ...(meetingQueue ? { meetingJobs: meetingJobsOn(meetingQueue) } : {}) });
    }
    if (mode !== 'bot' && redis) {
      // Alerts go out through the bot's adapter when this process serves the bot, else with its credentials directly.
      const sender = bot?.alertSender ?? standaloneAlertSender({ appId: config.MicrosoftAppId, appPassword: config.MicrosoftAppPassword, tenantId: config.MicrosoftAppTenantId, proactive: { tenantId: config.MicrosoftAppTenantId, serviceUrl: config.TEAMS_SERVICE_URL } });
      const meetingSchedule = config.MEETING_FIRST_DATE ? { firstDate: config.MEETING_FIRST_DATE, everyDays: config.MEETING_EVERY_DAYS, daysBefore: config.MEETING_AGENDA_DAYS_BEFORE } : undefined;
      alerts = startAlertWorker({ redisUrl: redis.url, prefix: config.QUEUE_PREFIX }, { db: db.db, sender, lockMs: config.ALERT_LOCK_MS, meetingSchedule });
      // Whatever Redis lost (it may keep nothing) is put back from the database before anything else: then on a schedule.
      const reconciled = await reconcileDeliveries({ db: db.db, queue: alerts.queue });
      const requeued = Object.entries(reconciled.queued).map(([name, n]) => `${n} ${name}`).join(', ');
      if (requeued) console.log(`alerts: re-queued what was owed: ${requeued}`);
      await scheduleReconcile(alerts.queue, config.ALERT_RECONCILE_EVERY_MS);
      await scheduleActionReminders(alerts.queue);
      if (meetingSchedule) {
        await scheduleMeetingAgenda(alerts.queue);
        console.log(`meeting: agenda drawn ${meetingSchedule.daysBefore} days before each meeting, every ${meetingSchedule.everyDays} days from ${meetingSchedule.firstDate}`);
      }
      console.log('alerts: delivering caseworker alerts after each published run (at most 50 sends a second); meeting actions that fall due reminded daily at 08:00 Europe/London');
    }
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  }
} catch (error) {
  reportFatal(error);
  await alerts?.close();
  await worker?.close();
  await botDb?.close();
  await db?.close();
  await redis?.stop();
  process.exit(1);
}

/** Forks the bot processes and stops them all if one dies or on a signal. */
function superviseBotProcesses(count: number, port: number, linkSecret: string): void {
  let stopping = false;
  console.log(`bot: starting ${count} processes on port ${port}`);
  for (let i = 0; i < count; i++) cluster.fork({ BOT_LINK_SECRET: linkSecret });
  cluster.on('exit', (child, code, signal) => {
    if (!stopping) {
      stopping = true;
      console.error(`bot: process ${child.process.pid} stopped (${signal ?? code}); stopping the others`);
      process.exitCode = 1;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill();
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const child of Object.values(cluster.workers ?? {})) child?.kill(signal);
    });
  }
}
