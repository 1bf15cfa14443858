import type { TfdDb } from '../db/database.js';
import { currentRunWithSummary, type PublishedRun } from '../db/repositories/runs.js';
import { runSummaryCodec, type RunSummary } from '../worker/pipeline/run-summary.js';

/**
 * The current published run with its summary, decoded by the pipeline's one
 * codec of run.summary, for readers above worker/ (the bot's cards), as
 * export-model-card.ts gives them the evaluation; undefined before the first run.
 */
export async function currentRun(db: TfdDb): Promise<PublishedRun<RunSummary> | undefined> {
  return currentRunWithSummary(db, runSummaryCodec);
}

/** How the run made its list: `model` (the calibrated chance decides) or `bands` (Bristol's max of predictive and index; runs before list rules). */
export const listRuleOf = (run: PublishedRun<RunSummary> | undefined): 'model' | 'bands' => (run?.summary?.list?.rule === 'model' ? 'model' : 'bands');
