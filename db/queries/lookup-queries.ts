import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../schema/database-schema.js';

/**
 * Reads behind the bot's `profile` and `list`. "Open" means the spell covers
 * the given day: started on or before it (or no start recorded) and not
 * ended before it. Dates are ISO day strings, valid for both databases.
 */
const openOn =
  <T extends 'agency_involvement' | 'school_enrolment' | 'topaz_marker'>(table: T, day: string) =>
  (eb: ExpressionBuilder<Database, T>) => {
    const start = eb.ref(`${table}.start_date` as never);
    const end = eb.ref(`${table}.end_date` as never);
    return eb.and([eb.or([eb(start, 'is', null), eb(start, '<=', day as never)]), eb.or([eb(end, 'is', null), eb(end, '>=', day as never)])]);
  };

/** Staff whose Entra object id is one of the spellings given (GUID case varies between exports). */
export const staffByAadObjectId = (db: Kysely<Database>, spellings: string[]) => db.selectFrom('staff').selectAll().where('aad_object_id', 'in', spellings);

export const personWithArea = (db: Kysely<Database>, personId: string) =>
  db
    .selectFrom('person')
    .leftJoin('area', 'area.area_id', 'person.area_id')
    .select(['person.person_id', 'person.date_of_birth', 'person.area_id', 'area.name as area_name'])
    .where('person.person_id', '=', personId);

export const openEnrolmentsOf = (db: Kysely<Database>, personIds: string[], day: string) =>
  db
    .selectFrom('school_enrolment')
    .leftJoin('school', 'school.school_id', 'school_enrolment.school_id')
    .select(['school_enrolment.person_id', 'school_enrolment.school_id', 'school.name as school_name'])
    .where('school_enrolment.person_id', 'in', personIds)
    .where(openOn('school_enrolment', day));

/** Open involvements of people, with the worker's name where the worker is known to `staff`. */
export const openInvolvementsOf = (db: Kysely<Database>, personIds: string[], day: string) =>
  db
    .selectFrom('agency_involvement')
    .leftJoin('staff', 'staff.worker_id', 'agency_involvement.worker_id')
    .select([
      'agency_involvement.person_id',
      'agency_involvement.agency',
      'agency_involvement.worker_id',
      'agency_involvement.role',
      'agency_involvement.start_date',
      'staff.display_name',
    ])
    .where('agency_involvement.person_id', 'in', personIds)
    .where(openOn('agency_involvement', day))
    .orderBy('agency_involvement.person_id')
    .orderBy('agency_involvement.start_date');

export const activeTopazMarkersOf = (db: Kysely<Database>, personId: string, day: string) =>
  db.selectFrom('topaz_marker').select(['marker', 'start_date', 'note']).where('person_id', '=', personId).where(openOn('topaz_marker', day)).orderBy('start_date');

export const scoreOf = (db: Kysely<Database>, runId: string, personId: string) =>
  db.selectFrom('run_score').selectAll().where('run_id', '=', runId).where('person_id', '=', personId);

export const changeOf = (db: Kysely<Database>, runId: string, personId: string) =>
  db.selectFrom('run_change').select(['change', 'previous_band', 'band']).where('run_id', '=', runId).where('person_id', '=', personId);

export const modelById = (db: Kysely<Database>, modelId: string) => db.selectFrom('model_version').select(['model_id', 'trained_at', 'metrics']).where('model_id', '=', modelId);

/** A worker's open cases with each person's score in the run (if scored). */
export const caseloadOf = (db: Kysely<Database>, workerId: string, day: string, runId: string) =>
  db
    .selectFrom('agency_involvement')
    .leftJoin('run_score', (join) => join.onRef('run_score.person_id', '=', 'agency_involvement.person_id').on('run_score.run_id', '=', runId))
    .select([
      'agency_involvement.person_id',
      'agency_involvement.agency',
      'agency_involvement.role',
      'run_score.age',
      'run_score.final_score',
      'run_score.band',
      'run_score.on_list',
      'run_score.list',
    ])
    .where('agency_involvement.worker_id', '=', workerId)
    .where(openOn('agency_involvement', day))
    .orderBy('run_score.final_score', 'desc')
    .orderBy('agency_involvement.person_id');

/** A school's pupils (open enrolment) on the run's children's list. */
export const schoolPupilsOnList = (db: Kysely<Database>, schoolId: string, day: string, runId: string) =>
  db
    .selectFrom('school_enrolment')
    .innerJoin('run_score', (join) => join.onRef('run_score.person_id', '=', 'school_enrolment.person_id').on('run_score.run_id', '=', runId))
    .select(['run_score.person_id', 'run_score.age', 'run_score.final_score', 'run_score.band'])
    .where('school_enrolment.school_id', '=', schoolId)
    .where(openOn('school_enrolment', day))
    .where('run_score.on_list', '=', 1)
    .where('run_score.list', '=', 'children')
    .orderBy('run_score.final_score', 'desc')
    .orderBy('run_score.person_id');
