import type { TfdDialect } from '../dialect/dialect.js';
import { currentRun, runById, scoresForExport } from '../queries/run-queries.js';
import { UserFacingError } from '../../config/errors.js';
import { writeCsv } from './write-csv.js';

export const SCORES_COLUMNS = ['run_id', 'person_id', 'as_of', 'age', 'predictive_score', 'index_score', 'network_score', 'final_score', 'band', 'on_list', 'reasons'] as const;

export class RunNotFoundError extends UserFacingError {
  constructor(runId?: string) {
    super(runId ? `no published run "${runId}"` : 'no published scoring run yet: run `npm run cli -- score --wait` first');
  }
}

/** The run to read: the named one if published, else the current one. */
export async function resolveRun(dialect: TfdDialect, runId?: string) {
  const run = runId ? await runById(dialect.db, runId).executeTakeFirst() : await currentRun(dialect.db).executeTakeFirst();
  if (!run || run.status !== 'published') throw new RunNotFoundError(runId);
  return run;
}

/** Writes a run's scores as the contract's scores.csv; returns the rows written. */
export async function exportScores(dialect: TfdDialect, out: string, runId?: string): Promise<{ runId: string; rows: number }> {
  const run = await resolveRun(dialect, runId);
  async function* rows() {
    for await (const r of scoresForExport(dialect.db, run.run_id).stream(10_000)) {
      yield [r.run_id, r.person_id, r.as_of, r.age, r.predictive_score, r.index_score, r.network_score, r.final_score, r.band, r.on_list, r.reasons];
    }
  }
  return { runId: run.run_id, rows: await writeCsv(out, SCORES_COLUMNS, rows()) };
}
