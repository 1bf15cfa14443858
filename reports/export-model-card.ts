import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserFacingError } from '../domain/errors.js';
import { modelCardHtml } from './model-card-html.js';
import type { RunEvaluation } from '../worker/evaluation/run-evaluation.js';
import type { TfdDb } from '../db/database.js';
import type { TfdDialect } from '../db/dialect/dialect.js';
import { runEvaluation } from '../db/repositories/run-evaluations.js';
import { runEvaluationCodec } from '../worker/evaluation/run-evaluation-codec.js';
import { resolveRun } from './export-scores.js';

export class EvaluationMissingError extends UserFacingError {
  constructor(runId: string) {
    super(`run ${runId} has no evaluation (it was published before model cards existed): run \`npm run cli -- score --wait\` for a new run`);
  }
}

/** A run's stored evaluation (the model card's JSON twin), if it has one. */
export async function storedEvaluation(db: TfdDb, runId: string): Promise<RunEvaluation | undefined> {
  return runEvaluation(db, runId, runEvaluationCodec);
}

/** A published run's evaluation. */
export async function runEvaluationOf(dialect: TfdDialect, runId?: string): Promise<RunEvaluation> {
  const run = await resolveRun(dialect, runId);
  const evaluation = await storedEvaluation(dialect.db, run.runId);
  if (!evaluation) throw new EvaluationMissingError(run.runId);
  return evaluation;
}

/** Writes `model-card.html` and `model-card.json` for a run into `outDir`; returns their paths. */
export async function exportModelCard(dialect: TfdDialect, outDir: string, runId?: string): Promise<{ runId: string; html: string; json: string; evaluation: RunEvaluation }> {
  const evaluation = await runEvaluationOf(dialect, runId);
  mkdirSync(outDir, { recursive: true });
  const html = join(outDir, 'model-card.html');
  const json = join(outDir, 'model-card.json');
  writeFileSync(json, `${JSON.stringify(evaluation, null, 2)}\n`);
  writeFileSync(html, await modelCardHtml(evaluation));
  return { runId: evaluation.runId, html, json, evaluation };
}
