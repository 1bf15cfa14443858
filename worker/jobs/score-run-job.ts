import { QueueEvents, UnrecoverableError, type FlowProducer, type Job } from 'bullmq';
import { z } from 'zod';
import { parseIsoDate } from '../../domain/dates.js';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { publishedRunWithSummary, scoringRun } from '../../db/repositories/runs.js';
import { runSummaryCodec } from '../pipeline/run-summary.js';
import { ScoringRun, type RunSummary } from '../pipeline/score-run.js';
import { runEnvironment, runFlow, stageJobIds, STAGE_QUEUE, type RunRegistry } from '../run-flow.js';
import type { ScoringConfig } from '../scoring/scoring-config.js';

export const SCORE_RUN = 'score-run';

export const scoreRunPayload = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
    .superRefine((value, ctx) => {
      const parsed = parseIsoDate(value);
      if (!parsed.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.reason });
    })
    .optional(),
  /** Set by the job itself once it has begun its run, so a retried job (its worker killed) does not begin another. */
  runId: z.string().min(1).max(64).optional(),
});
export type ScoreRunPayload = z.input<typeof scoreRunPayload>;

export interface ScoreRunDeps {
  readonly db: TfdDialect;
  readonly scoring: ScoringConfig;
  readonly runs: RunRegistry;
  readonly flows: FlowProducer;
  readonly stageEvents: QueueEvents;
}

/**
 * A scoring run: begins the run, adds its stages as a BullMQ flow on the
 * stage queue, reports each stage as it starts, and resolves with the
 * published run's summary (or fails with the failing stage's error). A
 * retried job whose run was already published resolves with that run's
 * summary instead of beginning another.
 */
export async function runScoreRun(job: Job, deps: ScoreRunDeps): Promise<RunSummary> {
  const parsed = scoreRunPayload.safeParse(job.data ?? {});
  if (!parsed.success) throw new UnrecoverableError(`${SCORE_RUN} job ${job.id}: bad payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  if (parsed.data.runId) {
    // A retry of a job whose worker died after its run was published: that run stands (its fan-out is owed by the outbox),
    // and a new run now would only find no changes against it, so nobody would be alerted.
    const begun = await scoringRun(deps.db.db, parsed.data.runId);
    if (begun?.status === 'published') {
      const published = await publishedRunWithSummary(deps.db.db, begun.runId, runSummaryCodec);
      if (published.summary) return published.summary;
    }
  }
  const run = await ScoringRun.begin(runEnvironment(deps.db, deps.scoring), parsed.data.asOf);
  await job.updateData({ ...parsed.data, runId: run.runId });
  deps.runs.set(run.runId, run);
  await deps.stageEvents.waitUntilReady();
  let stages = new Map<string, string>();
  const early: string[] = [];
  const onActive = ({ jobId }: { jobId: string }) => {
    if (stages.size === 0) early.push(jobId);
    else if (stages.has(jobId)) void job.updateProgress({ stage: stages.get(jobId), runId: run.runId });
  };
  deps.stageEvents.on('active', onActive);
  try {
    const flow = await deps.flows.add(runFlow(run.runId));
    stages = stageJobIds(flow);
    for (const id of early) if (stages.has(id)) void job.updateProgress({ stage: stages.get(id), runId: run.runId });
    return (await flow.job.waitUntilFinished(deps.stageEvents)) as RunSummary;
  } catch (error) {
    // The flow only says a child failed; the run row holds which stage and why.
    const record = await scoringRun(deps.db.db, run.runId);
    if (record?.status === 'failed' && record.error) throw new Error(`scoring run ${run.runId} failed at ${record.error}`, { cause: error });
    throw error;
  } finally {
    deps.stageEvents.off('active', onActive);
  }
}

export { STAGE_QUEUE };
