import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { CohortTooSmallError } from '../model/train.js';
import { scoreRun, type RunSummary } from '../pipeline/score-run.js';
import type { ScoringConfig } from '../scoring/scoring-config.js';

export const SCORE_RUN = 'score-run';

export const scoreRunPayload = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
    .optional(),
});
export type ScoreRunPayload = z.input<typeof scoreRunPayload>;

/** A scoring run; each stage is reported as job progress. A cohort too small to learn from will not grow on retry. */
export async function runScoreRun(job: Job, db: TfdDialect, config: ScoringConfig): Promise<RunSummary> {
  const parsed = scoreRunPayload.safeParse(job.data ?? {});
  if (!parsed.success) throw new UnrecoverableError(`${SCORE_RUN} job ${job.id}: bad payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  try {
    return await scoreRun(db, { asOf: parsed.data.asOf, config, onStage: (stage) => job.updateProgress({ stage }) });
  } catch (error) {
    if (error instanceof CohortTooSmallError) throw new UnrecoverableError(error.message);
    throw error;
  }
}
