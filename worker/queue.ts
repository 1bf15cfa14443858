import { Queue, QueueEvents, type Job } from 'bullmq';
import { connectionFrom } from './redis/ensure-redis.js';

/** One queue carries the pipeline's jobs; the job name says which. */
export const QUEUE_NAME = 'tfd-pipeline';

export interface QueueSettings {
  readonly redisUrl: string;
  readonly prefix: string;
}

export function openQueue(settings: QueueSettings) {
  const options = { connection: connectionFrom(settings.redisUrl), prefix: settings.prefix };
  const queue = new Queue(QUEUE_NAME, options);
  const events = new QueueEvents(QUEUE_NAME, options);
  return {
    queue,
    events,
    /** Adds a job and resolves with its result (or rejects with its failure). */
    async run<T>(name: string, data: unknown, onProgress?: (progress: unknown) => void): Promise<T> {
      await events.waitUntilReady();
      // Listen before adding: a fast job reports its first stage before add() returns.
      let jobId: string | undefined;
      const early: { jobId: string; data: unknown }[] = [];
      const listener = (event: { jobId: string; data: unknown }) => {
        if (jobId === undefined) early.push(event);
        else if (event.jobId === jobId) onProgress?.(event.data);
      };
      events.on('progress', listener);
      try {
        const job: Job = await queue.add(name, data, { attempts: 1, removeOnComplete: 100, removeOnFail: 100 });
        jobId = job.id;
        for (const event of early) if (event.jobId === jobId) onProgress?.(event.data);
        return (await job.waitUntilFinished(events)) as T;
      } finally {
        events.off('progress', listener);
      }
    },
    /** The weekly list: a scoring run every Monday at 06:00 UK time (idempotent). */
    async scheduleWeeklyRun(jobName: string) {
      await queue.upsertJobScheduler('weekly-score-run', { pattern: '0 6 * * 1', tz: 'Europe/London' }, { name: jobName, data: {}, opts: { attempts: 2 } });
    },
    /** Workers connected to the queue now. */
    async workerCount() {
      return (await queue.getWorkers()).length;
    },
    async close() {
      await events.close();
      await queue.close();
    },
  };
}
