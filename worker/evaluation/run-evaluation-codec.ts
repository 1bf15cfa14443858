import { z } from 'zod';
import type { RunEvaluation } from './run-evaluation.js';

/**
 * The one codec of run_evaluation.evaluation. It checks what identifies an
 * evaluation (version 1, which run, when); the sections inside are the
 * pipeline's own output (buildRunEvaluation) and vary with the run's age
 * (`modelChoice`, `calibrationSlope` are absent on older runs, and the model
 * card reads them as optional), so they are kept as stored.
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
