import type { Kysely } from 'kysely';
import { edgesForExport, edgesOf } from '../queries/run-queries.js';
import type { Database, RunEdgeRow } from '../schema/database-schema.js';

/** A relationship a run inferred between two people (`personA` < `personB`). */
export interface InferredRelationship {
  readonly runId: string;
  readonly personA: string;
  readonly personB: string;
  readonly sharedEvents: number;
  readonly firstDate: string;
  readonly lastDate: string;
  /** The event types the two share; empty where not read. */
  readonly eventTypes: readonly string[];
}

const relationshipOf = (e: Omit<RunEdgeRow, 'event_types'> & { event_types?: string }): InferredRelationship => ({
  runId: e.run_id,
  personA: e.person_a,
  personB: e.person_b,
  sharedEvents: e.shared_events,
  firstDate: e.first_date,
  lastDate: e.last_date,
  eventTypes: e.event_types ? e.event_types.split(',') : [],
});

/** Every relationship of a run, ordered by the pair (streamed: a run can hold millions). */
export async function* relationshipsOfRun(db: Kysely<Database>, runId: string): AsyncGenerator<InferredRelationship> {
  for await (const e of edgesForExport(db, runId).stream(10_000)) yield relationshipOf(e);
}

/** SQL Server allows 2,100 parameters: the ids are read in slices. */
const IDS_PER_STATEMENT = 500;

/** The relationships of a run that touch any of these people. */
export async function relationshipsTouching(db: Kysely<Database>, runId: string, personIds: readonly string[]): Promise<InferredRelationship[]> {
  const out: InferredRelationship[] = [];
  for (let i = 0; i < personIds.length; i += IDS_PER_STATEMENT) for (const e of await edgesOf(db, runId, personIds.slice(i, i + IDS_PER_STATEMENT)).execute()) out.push(relationshipOf(e));
  return out;
}
