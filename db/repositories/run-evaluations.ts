import type { Kysely } from 'kysely';
import { evaluationOf } from '../queries/run-queries.js';
import type { Database } from '../schema/database-schema.js';
import type { JsonCodec } from './json-codec.js';

/** A run's stored evaluation (the model card's JSON twin), decoded by its one codec; undefined for a run published before model cards. */
export async function runEvaluation<Evaluation>(db: Kysely<Database>, runId: string, codec: JsonCodec<Evaluation>): Promise<Evaluation | undefined> {
  const row = await evaluationOf(db, runId).executeTakeFirst();
  return row ? codec.parse(JSON.parse(row.evaluation)) : undefined;
}
