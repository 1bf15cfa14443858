import type { Kysely } from 'kysely';
import { z } from 'zod';
import { UserFacingError } from '../../domain/errors.js';
import { modelById } from '../queries/lookup-queries.js';
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
  /** When it was published or failed (ISO text; a Date through tedious on SQL Server), null while running. */
  readonly finishedAt: string | Date | null;
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
  finishedAt: row.finished_at,
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

/** The current published run, or undefined before the first. */
export async function currentPublishedRun(db: Kysely<Database>): Promise<(ScoringRunRecord & { readonly status: 'published' }) | undefined> {
  const row = await currentRun(db).executeTakeFirst();
  return row ? { ...recordOf(row), status: 'published' } : undefined;
}

/** The current published run with what it said about itself (decoded by the pipeline's codec), or undefined before the first. */
export async function currentRunWithSummary<Summary>(db: Kysely<Database>, codec: JsonCodec<Summary>): Promise<PublishedRun<Summary> | undefined> {
  const row = await currentRun(db).executeTakeFirst();
  return row ? { ...recordOf(row), status: 'published', summary: row.summary === null ? null : codec.parse(JSON.parse(row.summary)) } : undefined;
}

/** The model a run scored with, as a card names it. */
export interface RunModel {
  readonly modelId: string;
  readonly trainedAt: string;
  /** The horizon of its calibrated chance of acceptance (null: the model has no calibration). */
  readonly horizonDays: number | null;
}

/**
 * The one codec of model_version.metrics (written by worker/pipeline/run-rows.ts):
 * only the calibration is read back; the holdout and selection stay as stored.
 */
const modelMetrics = z.object({ calibration: z.object({ horizonDays: z.number() }).passthrough().nullish() }).passthrough();

export class StoredModelMetricsError extends Error {
  constructor(modelId: string, detail: string) {
    super(`the stored metrics of model ${modelId} are not ones this version can read: ${detail}`);
  }
}

export const modelMetricsCodec: JsonCodec<z.infer<typeof modelMetrics>> & { parseOf(modelId: string, value: unknown): z.infer<typeof modelMetrics> } = {
  parse: (value) => modelMetricsCodec.parseOf('(unnamed)', value),
  parseOf(modelId, value) {
    const parsed = modelMetrics.safeParse(value);
    if (!parsed.success) throw new StoredModelMetricsError(modelId, parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
    return parsed.data;
  },
};

export async function runModel(db: Kysely<Database>, modelId: string): Promise<RunModel | undefined> {
  const row = await modelById(db, modelId).executeTakeFirst();
  if (!row) return undefined;
  const metrics = modelMetricsCodec.parseOf(row.model_id, JSON.parse(row.metrics));
  return { modelId: row.model_id, trainedAt: row.trained_at, horizonDays: metrics.calibration?.horizonDays ?? null };
}
