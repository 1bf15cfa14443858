import { z } from 'zod';
import type { RunEvaluation } from './run-evaluation.js';

/**
 * The one codec of run_evaluation.evaluation. It checks what identifies an
 * evaluation and what every reader of it relies on; the sections inside are
 * the pipeline's own output (buildRunEvaluation) and vary with the run's age
 * (`modelChoice`, `calibrationSlope` are absent on older runs), so they are
 * kept as stored.
 */
const envelope = z
  .object({
    version: z.literal(1),
    runId: z.string(),
    asOf: z.string(),
    generatedAt: z.string(),
    modelId: z.string().nullable(),
    indexRules: z.string(),
    statement: z.string(),
    holdout: z.object({}).passthrough().nullable(),
    scores: z.object({ children: z.number(), onList: z.number() }).passthrough(),
    bias: z.object({ cohort: z.object({}).passthrough().nullable(), truth: z.object({}).passthrough().nullable() }).passthrough(),
    baseline: z.object({}).passthrough(),
    sensitivity: z.object({}).passthrough(),
  })
  .passthrough();

export const runEvaluationCodec = {
  parse(value: unknown): RunEvaluation {
    const parsed = envelope.safeParse(value);
    if (!parsed.success) throw new StoredEvaluationError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
    return parsed.data as unknown as RunEvaluation;
  },
};

export class StoredEvaluationError extends Error {
  constructor(detail: string) {
    super(`the stored run evaluation is not one this version can read: ${detail}`);
  }
}
