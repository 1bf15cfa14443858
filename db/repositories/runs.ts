import type { Kysely } from 'kysely';
import { UserFacingError } from '../../domain/errors.js';
import { currentRun, runById } from '../queries/run-queries.js';
import type { Database, RunRow, RunStatus } from '../schema/database-schema.js';
import type { JsonCodec } from './json-codec.js';

export type { RunStatus };

/** A scoring run as code above db/ reads it. */
export interface ScoringRunRecord {
  readonly runId: string;
  /** YYYY-MM-DD. */
  readonly asOf: string;
  readonly status: RunStatus;
  readonly modelId: string | null;
  readonly previousRunId: string | null;
  /** Why the run failed: `<stage>: <message>`. */
  readonly error: string | null;
}

/** A published run, with what it said about itself when it was published (run.summary, decoded by the caller's codec). */
export interface PublishedRun<Summary = unknown> extends ScoringRunRecord {
  readonly status: 'published';
  readonly summary: Summary | null;
}

export class RunNotFoundError extends UserFacingError {
  constructor(runId?: string) {
    super(runId ? `no published run "${runId}"` : 'no published scoring run yet: run `npm run cli -- score --wait` first');
  }
}

const recordOf = (row: RunRow): ScoringRunRecord => ({
  runId: row.run_id,
  asOf: row.as_of,
  status: row.status,
  modelId: row.model_id,
  previousRunId: row.previous_run_id,
  error: row.error,
});

/** A run in any state, or undefined. */
export async function scoringRun(db: Kysely<Database>, runId: string): Promise<ScoringRunRecord | undefined> {
  const row = await runById(db, runId).executeTakeFirst();
  return row ? recordOf(row) : undefined;
}

/** The named run if published, else the current one; RunNotFoundError if there is none. */
export async function publishedRun(db: Kysely<Database>, runId?: string): Promise<ScoringRunRecord & { readonly status: 'published' }> {
  const row = await publishedRow(db, runId);
  return { ...recordOf(row), status: 'published' };
}

/** The same with what the run said about itself when it was published (null for none), decoded by the pipeline's codec (worker/pipeline/run-summary.ts). */
export async function publishedRunWithSummary<Summary>(db: Kysely<Database>, runId: string | undefined, codec: JsonCodec<Summary>): Promise<PublishedRun<Summary>> {
  const row = await publishedRow(db, runId);
  return { ...recordOf(row), status: 'published', summary: row.summary === null ? null : codec.parse(JSON.parse(row.summary)) };
}

async function publishedRow(db: Kysely<Database>, runId?: string): Promise<RunRow> {
  const row = runId ? await runById(db, runId).executeTakeFirst() : await currentRun(db).executeTakeFirst();
  if (!row || row.status !== 'published') throw new RunNotFoundError(runId);
  return row;
}
