import { UserFacingError } from '../domain/errors.js';
import { QueueEvents, Worker, type Job } from 'bullmq';
import type { TfdDialect } from '../db/dialect/dialect.js';
import { IMPORT_BUNDLE, runImportBundle } from './jobs/import-bundle-job.js';
import { runScoreRun, SCORE_RUN } from './jobs/score-run-job.js';
import { QUEUE_NAME, type QueueSettings } from './queue.js';
import { connectionFrom } from './redis/ensure-redis.js';
import { openAlertQueue, queueAlertsForRun } from './alert-worker.js';
import { openFlowProducer, startStageWorker, STAGE_QUEUE, type RunRegistry } from './run-flow.js';
import { defaultScoringConfig, type ScoringConfig } from './scoring/scoring-config.js';

export class UnknownJobError extends UserFacingError {
  constructor(name: string) {
    super(`no handler for job "${name}" on queue ${QUEUE_NAME}; known: ${IMPORT_BUNDLE}, ${SCORE_RUN}`);
  }
}

/**
 * The pipeline worker. Jobs run one at a time: each takes the database's
 * write lock for its whole length, so parallel jobs would only queue there.
 */
export interface WorkerDeps {
  readonly db: TfdDialect;
  /** Read once at start-up. @defaultValue worker/scoring/scoring-config.v1.json */
  readonly scoring?: ScoringConfig;
  readonly log?: (line: string) => void;
  /** Also process scoring-run stages in this process. @defaultValue true */
  readonly stages?: boolean;
  /** Queue caseworker alerts after each published run (the alert worker sends them). @defaultValue true */
  readonly alerts?: boolean;
}

export interface PipelineWorker {
  close(): Promise<void>;
}

/**
 * The pipeline worker: the main queue (imports, scoring runs) and, unless
 * told otherwise, the stage queue that a scoring run's flow feeds. Each takes
 * one job at a time: a job holds the database's write lock for its length.
 */
export function startWorker(settings: QueueSettings, { db, scoring = defaultScoringConfig(), log = console.log, stages = true, alerts = true }: WorkerDeps): PipelineWorker {
  const runs: RunRegistry = new Map();
  const alertQueue = alerts ? openAlertQueue(settings) : null;
  const flows = openFlowProducer(settings);
  const stageEvents = new QueueEvents(STAGE_QUEUE, { connection: connectionFrom(settings.redisUrl), prefix: settings.prefix });
  const stageWorker = stages ? startStageWorker(settings, { db, scoring, runs, log }) : null;
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      switch (job.name) {
        case IMPORT_BUNDLE:
          return runImportBundle(job, db);
        case SCORE_RUN: {
          const summary = await runScoreRun(job, { db, scoring, runs, flows, stageEvents });
          if (alertQueue) await queueAlertsForRun(alertQueue, summary.runId);
          return summary;
        }
        default:
          throw new UnknownJobError(job.name);
      }
    },
    { connection: connectionFrom(settings.redisUrl), prefix: settings.prefix, concurrency: 1 },
  );
  worker.on('completed', (job) => log(`worker: ${job.name} ${job.id} done`));
  worker.on('failed', (job, error) => log(`worker: ${job?.name ?? 'job'} ${job?.id ?? ''} failed: ${error.message}`));
  worker.on('error', (error) => log(`worker: ${error.message}`));
  return {
    async close() {
      await worker.close();
      await stageWorker?.close();
      await stageEvents.close();
      await flows.close();
      await alertQueue?.close();
    },
  };
}
