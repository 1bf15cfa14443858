import type { Kysely } from 'kysely';
import type { Database } from '../schema/database-schema.js';

/** What a scoring run reads: whole tables, streamed (no paging, so no dialect differences). */
export const snapshotQueries = {
  areas: (db: Kysely<Database>) => db.selectFrom('area').select('area_id').orderBy('area_id'),
  people: (db: Kysely<Database>) => db.selectFrom('person').select(['person_id', 'date_of_birth', 'sex', 'ethnicity', 'imd_decile', 'area_id']),
  catalogue: (db: Kysely<Database>) => db.selectFrom('indicator_catalogue').select(['code', 'kind', 'source', 'area_id']),
  facts: (db: Kysely<Database>) => db.selectFrom('indicator_fact').select(['person_id', 'code', 'start_date', 'end_date', 'value']),
  memberships: (db: Kysely<Database>) => db.selectFrom('family_membership').select(['family_id', 'person_id', 'start_date', 'end_date']),
  enrolments: (db: Kysely<Database>) =>
    db
      .selectFrom('school_enrolment')
      .innerJoin('school', 'school.school_id', 'school_enrolment.school_id')
      .select(['school_enrolment.person_id', 'school.phase', 'school_enrolment.start_date', 'school_enrolment.end_date']),
  events: (db: Kysely<Database>) => db.selectFrom('event').select(['event_id', 'event_type', 'occurred_at', 'location_id', 'cse_flag']),
  eventParties: (db: Kysely<Database>) => db.selectFrom('event_party').select(['event_id', 'person_id', 'role']),
  topaz: (db: Kysely<Database>) => db.selectFrom('topaz_marker').select(['person_id', 'marker', 'start_date', 'end_date']),
  cohort: (db: Kysely<Database>) => db.selectFrom('base_cohort').select(['person_id', 'start_of_service']),
  /** Recorded meeting outcomes (labels for training, with the meeting and who recorded them). */
  meetingOutcomes: (db: Kysely<Database>) =>
    db
      .selectFrom('meeting_item')
      .innerJoin('meeting', 'meeting.meeting_id', 'meeting_item.meeting_id')
      .select(['meeting_item.person_id', 'meeting.meeting_date', 'meeting.meeting_id', 'meeting_item.decision', 'meeting_item.outcome', 'meeting_item.recorded_by'])
      .where('meeting_item.recorded_by', 'is not', null),
  /** "Not a concern" answers on alert cards (weak negatives). */
  notAConcern: (db: Kysely<Database>) => db.selectFrom('alert_response').select(['person_id', 'responded_at', 'alert_id', 'worker_id']).where('action', '=', 'not_a_concern'),
};
