import type { Kysely } from 'kysely';
import type { Database, ModelVersionRow, RunChangeRow, RunEdgeRow, RunRow, RunScoreRow } from '../schema/database-schema.js';

export const insertRun = (db: Kysely<Database>, row: RunRow) => db.insertInto('run').values(row);

/** The current run: the latest published one (portable: no LIMIT/TOP). */
export const currentRun = (db: Kysely<Database>) =>
  db
    .selectFrom('run')
    .selectAll()
    .where('status', '=', 'published')
    .where('finished_at', '=', (eb) => eb.selectFrom('run').select((e) => e.fn.max('finished_at').as('latest')).where('status', '=', 'published'));

export const runById = (db: Kysely<Database>, runId: string) => db.selectFrom('run').selectAll().where('run_id', '=', runId);

/** The single statement that makes a run current. */
export const publishRun = (db: Kysely<Database>, runId: string, finishedAt: string, summary: string, modelId: string | null) =>
  db.updateTable('run').set({ status: 'published', finished_at: finishedAt, summary, model_id: modelId }).where('run_id', '=', runId).where('status', '=', 'running');

export const failRun = (db: Kysely<Database>, runId: string, finishedAt: string, error: string) =>
  db.updateTable('run').set({ status: 'failed', finished_at: finishedAt, error }).where('run_id', '=', runId).where('status', '=', 'running');

export const insertScores = (db: Kysely<Database>, rows: RunScoreRow[]) => db.insertInto('run_score').values(rows);
export const insertChanges = (db: Kysely<Database>, rows: RunChangeRow[]) => db.insertInto('run_change').values(rows);
export const insertModel = (db: Kysely<Database>, row: ModelVersionRow) => db.insertInto('model_version').values(row);

export const listStatus = (db: Kysely<Database>, runId: string) =>
  db.selectFrom('run_score').select(['person_id', 'band', 'on_list']).where('run_id', '=', runId);

export const scoresForExport = (db: Kysely<Database>, runId: string) =>
  db
    .selectFrom('run_score')
    .select(['run_id', 'person_id', 'as_of', 'age', 'predictive_score', 'index_score', 'network_score', 'final_score', 'band', 'on_list', 'reason_items', 'reasons_before_items', 'list'])
    .where('run_id', '=', runId)
    .orderBy('final_score', 'desc')
    .orderBy('person_id');

/** One of a run's lists, highest score first (lists are small: no paging needed). */
export const listForRun = (db: Kysely<Database>, runId: string, list: 'children' | 'over_18') =>
  db
    .selectFrom('run_score')
    .select(['person_id', 'age', 'final_score', 'band'])
    .where('run_id', '=', runId)
    .where('list', '=', list)
    .where('on_list', '=', 1)
    .orderBy('final_score', 'desc')
    .orderBy('person_id');

export const insertEdges = (db: Kysely<Database>, rows: RunEdgeRow[]) => db.insertInto('run_edge').values(rows);

export const edgesForExport = (db: Kysely<Database>, runId: string) =>
  db.selectFrom('run_edge').select(['run_id', 'person_a', 'person_b', 'shared_events', 'first_date', 'last_date']).where('run_id', '=', runId).orderBy('person_a').orderBy('person_b');

/** Edges touching a person (for the analyst export's neighbourhood walk). */
export const edgesOf = (db: Kysely<Database>, runId: string, personIds: string[]) =>
  db
    .selectFrom('run_edge')
    .selectAll()
    .where('run_id', '=', runId)
    .where((eb) => eb.or([eb('person_a', 'in', personIds), eb('person_b', 'in', personIds)]));

export const scoresOf = (db: Kysely<Database>, runId: string, personIds: string[]) =>
  db.selectFrom('run_score').select(['person_id', 'age', 'final_score', 'band', 'on_list', 'list']).where('run_id', '=', runId).where('person_id', 'in', personIds);

/** Where everyone sits in a run, without the reasons (ordered, so a stream pages stably). */
export const placementsOfRun = (db: Kysely<Database>, runId: string) =>
  db.selectFrom('run_score').select(['person_id', 'age', 'final_score', 'band', 'on_list', 'list']).where('run_id', '=', runId).orderBy('person_id');

/** Rows a run wrote to one of its tables (so a retried stage can write them again). */
export const deleteRunRows = (db: Kysely<Database>, table: 'run_score' | 'run_edge' | 'run_change' | 'run_evaluation', runId: string) => db.deleteFrom(table).where('run_id', '=', runId);

export const deleteModel = (db: Kysely<Database>, modelId: string) => db.deleteFrom('model_version').where('model_id', '=', modelId);

export const changeCounts = (db: Kysely<Database>, runId: string) =>
  db.selectFrom('run_change').select(['change', (eb) => eb.fn.countAll<number>().as('people')]).where('run_id', '=', runId).groupBy('change');

/** The latest dated record in the TFD: a run's default as-of date. */
export const latestRecorded = (db: Kysely<Database>) =>
  db.selectNoFrom((eb) => [
    eb.selectFrom('indicator_fact').select((e) => e.fn.max('start_date').as('d')).as('fact'),
    eb.selectFrom('event').select((e) => e.fn.max('occurred_at').as('d')).as('event'),
  ]);

export const insertEvaluation = (db: Kysely<Database>, runId: string, evaluation: string) => db.insertInto('run_evaluation').values({ run_id: runId, evaluation });

export const evaluationOf = (db: Kysely<Database>, runId: string) => db.selectFrom('run_evaluation').select(['run_id', 'evaluation']).where('run_id', '=', runId);
