import type { Kysely } from 'kysely';
import type { AlertResponseRow, AlertRow, AlertStatus, ConversationReferenceRow, Database } from '../schema/database-schema.js';

/** Reads and writes behind caseworker alerts: conversation references, alerts and the answers given on them. */

export const referenceOf = (db: Kysely<Database>, aadObjectId: string) => db.selectFrom('conversation_reference').selectAll().where('aad_object_id', '=', aadObjectId);

export const activeReferenceOfWorker = (db: Kysely<Database>, workerId: string) =>
  db.selectFrom('conversation_reference').selectAll().where('worker_id', '=', workerId).where('active', '=', 1).orderBy('updated_at', 'desc');

export const insertReference = (db: Kysely<Database>, row: ConversationReferenceRow) => db.insertInto('conversation_reference').values(row);

export const updateReference = (db: Kysely<Database>, row: ConversationReferenceRow) =>
  db
    .updateTable('conversation_reference')
    .set({ worker_id: row.worker_id, conversation_id: row.conversation_id, service_url: row.service_url, tenant_id: row.tenant_id, bot_id: row.bot_id, reference: row.reference, active: row.active, updated_at: row.updated_at })
    .where('aad_object_id', '=', row.aad_object_id);

export const deactivateReference = (db: Kysely<Database>, aadObjectId: string, at: string) =>
  db.updateTable('conversation_reference').set({ active: 0, updated_at: at }).where('aad_object_id', '=', aadObjectId);

/** Open involvements of people on a day, with the worker's role and Entra id. */
export const leadProfessionalsOf = (db: Kysely<Database>, personIds: string[], day: string) =>
  db
    .selectFrom('agency_involvement')
    .innerJoin('staff', 'staff.worker_id', 'agency_involvement.worker_id')
    .select(['agency_involvement.person_id', 'agency_involvement.agency', 'agency_involvement.role as involvement_role', 'staff.worker_id', 'staff.display_name', 'staff.role', 'staff.aad_object_id'])
    .where('agency_involvement.person_id', 'in', personIds)
    .where((eb) => eb.or([eb('agency_involvement.start_date', 'is', null), eb('agency_involvement.start_date', '<=', day)]))
    .where((eb) => eb.or([eb('agency_involvement.end_date', 'is', null), eb('agency_involvement.end_date', '>=', day)]))
    .orderBy('agency_involvement.person_id');

export const alertIdsOfRun = (db: Kysely<Database>, runId: string) => db.selectFrom('alert').select('alert_id').where('run_id', '=', runId);

export const insertAlerts = (db: Kysely<Database>, rows: AlertRow[]) => db.insertInto('alert').values(rows);

export const alertsFor = (db: Kysely<Database>, runId: string, workerId: string) => db.selectFrom('alert').selectAll().where('run_id', '=', runId).where('worker_id', '=', workerId).orderBy('person_id');

export const alertById = (db: Kysely<Database>, alertId: string) => db.selectFrom('alert').selectAll().where('alert_id', '=', alertId);

export const markAlerts = (db: Kysely<Database>, alertIds: string[], status: AlertStatus, fields: { activity_id?: string | null; sent_at?: string | null; detail?: string | null }) =>
  db.updateTable('alert').set({ status, ...fields }).where('alert_id', 'in', alertIds);

/** The alerts a person was sent, held or that went stale (to answer `alerts`), latest run first. */
export const recentAlertsOfWorker = (db: Kysely<Database>, workerId: string) =>
  db.selectFrom('alert').selectAll().where('worker_id', '=', workerId).where('status', '!=', 'pending').orderBy('run_id', 'desc').orderBy('person_id');

export const insertResponse = (db: Kysely<Database>, row: AlertResponseRow) => db.insertInto('alert_response').values(row);

export const responsesOf = (db: Kysely<Database>, alertIds: string[]) => db.selectFrom('alert_response').selectAll().where('alert_id', 'in', alertIds).orderBy('responded_at');

export const staffRoleOf = (db: Kysely<Database>, workerId: string) => db.selectFrom('staff').select(['worker_id', 'role', 'display_name', 'aad_object_id']).where('worker_id', '=', workerId);

/** Children on a run's list with an open school enrolment on the day, with their school (for school safeguarding leads' digests). */
export const pupilsOnList = (db: Kysely<Database>, runId: string, day: string) =>
  db
    .selectFrom('run_score')
    .innerJoin('school_enrolment', 'school_enrolment.person_id', 'run_score.person_id')
    .select(['run_score.person_id', 'school_enrolment.school_id', 'run_score.band', 'run_score.probability', 'run_score.reason_items'])
    .where('run_score.run_id', '=', runId)
    .where('run_score.list', '=', 'children')
    .where('run_score.on_list', '=', 1)
    .where((eb) => eb.or([eb('school_enrolment.start_date', 'is', null), eb('school_enrolment.start_date', '<=', day)]))
    .where((eb) => eb.or([eb('school_enrolment.end_date', 'is', null), eb('school_enrolment.end_date', '>=', day)]))
    .orderBy('run_score.person_id');

export const schoolLeads = (db: Kysely<Database>) =>
  db.selectFrom('staff').select(['worker_id', 'school_id']).where('role', '=', 'school_safeguarding_lead').where('school_id', 'is not', null).orderBy('worker_id');

export const runAsOf = (db: Kysely<Database>, runId: string) => db.selectFrom('run').select(['run_id', 'as_of']).where('run_id', '=', runId);

/** The as-of date of the latest run that made each school lead a digest (alerts with change `on_list`, whatever became of them). */
export const lastSchoolDigests = (db: Kysely<Database>) =>
  db
    .selectFrom('alert')
    .innerJoin('run', 'run.run_id', 'alert.run_id')
    .select(['alert.worker_id', (eb) => eb.fn.max('run.as_of').as('last_as_of')])
    .where('alert.change', '=', 'on_list')
    .groupBy('alert.worker_id');

/** The latest recorded meeting decision about each of these children (the fan-out keeps only closures: close or no further action). */
export const meetingDecisionsOf = (db: Kysely<Database>, personIds: string[]) =>
  db
    .selectFrom('meeting_item')
    .innerJoin('meeting', 'meeting.meeting_id', 'meeting_item.meeting_id')
    .select(['meeting_item.person_id', 'meeting.meeting_date', 'meeting_item.decision', 'meeting_item.detail'])
    .where('meeting_item.person_id', 'in', personIds)
    .where('meeting_item.decision', 'is not', null)
    .orderBy('meeting_item.person_id')
    .orderBy('meeting.meeting_date');

/** A run's date and the published run it is compared with. */
export const runAndPrevious = (db: Kysely<Database>, runId: string) => db.selectFrom('run').select(['run_id', 'as_of', 'previous_run_id']).where('run_id', '=', runId);

/** Children on a run's list or in its watch band (band medium), where the emerging-risk rule looks. */
export const childrenAtRisk = (db: Kysely<Database>, runId: string) =>
  db
    .selectFrom('run_score')
    .select(['person_id', 'band', 'on_list', 'reason_items'])
    .where('run_id', '=', runId)
    .where('list', '=', 'children')
    .where((eb) => eb.or([eb('on_list', '=', 1), eb('band', '=', 'medium')]))
    .orderBy('person_id');

/** Where these children stood in a run (the run before, for the emerging-risk rule). */
export const standingsOf = (db: Kysely<Database>, runId: string, personIds: string[]) =>
  db.selectFrom('run_score').select(['person_id', 'band', 'on_list', 'reason_items']).where('run_id', '=', runId).where('list', '=', 'children').where('person_id', 'in', personIds);

/** What a run holds about these people, for rendering their alerts when they are shown. */
export const scoresForAlerts = (db: Kysely<Database>, runId: string, personIds: string[]) =>
  db.selectFrom('run_score').select(['person_id', 'probability', 'reason_items']).where('run_id', '=', runId).where('person_id', 'in', personIds);

export const alertsByIds = (db: Kysely<Database>, alertIds: string[]) => db.selectFrom('alert').selectAll().where('alert_id', 'in', alertIds).orderBy('person_id');
