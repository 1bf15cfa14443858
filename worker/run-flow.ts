import { FlowProducer, Worker, type FlowJob, type Job, type JobNode } from 'bullmq';
import type { TfdDialect } from '../db/dialect/dialect.js';
import { ScoringRun, STAGES, type RunEnvironment, type RunSummary, type Stage } from './pipeline/score-run.js';
import { connectionFrom } from './redis/ensure-redis.js';
import type { QueueSettings } from './queue.js';
import type { ScoringConfig } from './scoring/scoring-config.js';

/** Each stage of a scoring run is a job on this queue, chained in a BullMQ flow. */
export const STAGE_QUEUE = 'tfd-run-stages';

/** Runs held in this process between stages; a stage that finds none resumes the run from its row. */
export type RunRegistry = Map<string, ScoringRun>;

/** publish ← changes ← write ← score ← holdout ← train ← network ← snapshot: each waits for the one below. */
export function runFlow(runId: string): FlowJob {
  let node: FlowJob | undefined;
  for (const stage of STAGES) {
    node = {
      name: stage,
      queueName: STAGE_QUEUE,
      data: { runId },
      opts: { attempts: 1, failParentOnFailure: true, removeOnComplete: 100, removeOnFail: 100 },
      ...(node ? { children: [node] } : {}),
    } as FlowJob;
  }
  return node!;
}

export function stageJobIds(node: JobNode, out = new Map<string, Stage>()): Map<string, Stage> {
  out.set(node.job.id!, node.job.name as Stage);
  for (const child of node.children ?? []) stageJobIds(child, out);
  return out;
}

export interface StageWorkerDeps {
  readonly db: TfdDialect;
  readonly scoring: ScoringConfig;
  readonly runs: RunRegistry;
  readonly log: (line: string) => void;
}

export const runEnvironment = (db: TfdDialect, scoring: ScoringConfig): RunEnvironment => ({ dialect: db, config: scoring, network: true, now: () => new Date() });

/** Processes stage jobs one at a time; a failed stage marks the run failed and fails the flow. */
export function startStageWorker(settings: QueueSettings, deps: StageWorkerDeps): Worker {
  const worker = new Worker(
    STAGE_QUEUE,
    async (job: Job<{ runId: string }>): Promise<RunSummary | undefined> => {
      const stage = job.name as Stage;
      const { runId } = job.data;
      let run = deps.runs.get(runId);
      if (!run) {
        run = await ScoringRun.resume(runEnvironment(deps.db, deps.scoring), runId);
        deps.runs.set(runId, run);
      }
      try {
        const result = await run.stage(stage);
        if (stage === 'publish') deps.runs.delete(runId);
        return result;
      } catch (error) {
        deps.runs.delete(runId);
        await run.fail(stage, error);
        throw error;
      }
    },
    { connection: connectionFrom(settings.redisUrl), prefix: settings.prefix, concurrency: 1 },
  );
  worker.on('error', (error) => deps.log(`stage worker: ${error.message}`));
  return worker;
}

export const openFlowProducer = (settings: QueueSettings) => new FlowProducer({ connection: connectionFrom(settings.redisUrl), prefix: settings.prefix });
