import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserFacingError } from '../../config/errors.js';
import { modelCardHtml } from '../../worker/evaluation/model-card-html.js';
import type { RunEvaluation } from '../../worker/evaluation/run-evaluation.js';
import type { TfdDialect } from '../dialect/dialect.js';
import { evaluationOf } from '../queries/run-queries.js';
import { resolveRun } from './export-scores.js';

export class EvaluationMissingError extends UserFacingError {
  constructor(runId: string) {
    super(`run ${runId} has no evaluation (it was published before model cards existed): run \`npm run cli -- score --wait\` for a new run`);
  }
}

/** A published run's evaluation (the model card's JSON twin). */
export async function runEvaluationOf(dialect: TfdDialect, runId?: string): Promise<RunEvaluation> {
  const run = await resolveRun(dialect, runId);
  const row = await evaluationOf(dialect.db, run.run_id).executeTakeFirst();
  if (!row) throw new EvaluationMissingError(run.run_id);
  return JSON.parse(row.evaluation) as RunEvaluation;
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
