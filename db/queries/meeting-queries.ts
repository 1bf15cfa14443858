import type { Kysely, Transaction } from 'kysely';
import type { Database, MeetingActionRow, MeetingAttendeeRow, MeetingChatRow, MeetingItemRow, MeetingRow, MeetingUpdateRow } from '../schema/database-schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export const meetingById = (db: Db, meetingId: string) => db.selectFrom('meeting').selectAll().where('meeting_id', '=', meetingId);

// Meetings are few (one every four weeks): the latest is read with executeTakeFirst, without TOP or LIMIT, which no one dialect shares.

/** An area's meetings before a date, latest first (the first is the one whose decisions an agenda carries over). */
export const meetingsBefore = (db: Db, meetingDate: string, areaId: string) => db.selectFrom('meeting').selectAll().where('meeting_date', '<', meetingDate).where('area_id', '=', areaId).orderBy('meeting_date', 'desc');

/** Meetings, latest first (for `minutes --latest`). */
export const meetingsLatestFirst = (db: Db) => db.selectFrom('meeting').selectAll().orderBy('meeting_date', 'desc').orderBy('created_at', 'desc');

/** Meetings held in a chat, latest first. */
export const meetingsInChat = (db: Db, conversationId: string) => db.selectFrom('meeting').selectAll().where('conversation_id', '=', conversationId).orderBy('meeting_date', 'desc').orderBy('created_at', 'desc');

export const insertMeeting = (db: Db, row: MeetingRow) => db.insertInto('meeting').values(row);

export const insertItems = (db: Db, rows: MeetingItemRow[]) => db.insertInto('meeting_item').values(rows);

export const itemsOfMeeting = (db: Db, meetingId: string) => db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', meetingId).orderBy('position');

export const itemById = (db: Db, itemId: string) => db.selectFrom('meeting_item').selectAll().where('item_id', '=', itemId);

/**
 * Records a decision only if nobody has since the card was drawn: the row
 * changes only at the version the recorder saw, and the version goes up.
 */
export const recordItem = (
  db: Db,
  itemId: string,
  seenVersion: number,
  fields: Pick<MeetingItemRow, 'rag' | 'decision' | 'outcome' | 'lead_agency' | 'next_review' | 'notes' | 'recorded_by' | 'recorded_at'>,
) =>
  db
    .updateTable('meeting_item')
    .set((eb) => ({ ...fields, version: eb('version', '+', 1) }))
    .where('item_id', '=', itemId)
    .where('version', '=', seenVersion);

export const setItemsActivity = (db: Db, itemIds: string[], activityId: string) => db.updateTable('meeting_item').set({ activity_id: activityId }).where('item_id', 'in', itemIds);

export const setHeaderActivity = (db: Db, meetingId: string, activityId: string) => db.updateTable('meeting').set({ header_activity_id: activityId }).where('meeting_id', '=', meetingId);

export const setMeetingChat = (db: Db, meetingId: string, conversationId: string) => db.updateTable('meeting').set({ conversation_id: conversationId }).where('meeting_id', '=', meetingId);

export const staffNamesOf = (db: Db, workerIds: string[]) => db.selectFrom('staff').select(['worker_id', 'display_name', 'agency', 'role']).where('worker_id', 'in', workerIds);

export const staffMember = (db: Db, workerId: string) => db.selectFrom('staff').selectAll().where('worker_id', '=', workerId);

export const insertAction = (db: Db, row: MeetingActionRow) => db.insertInto('meeting_action').values(row);

export const actionsOfMeeting = (db: Db, meetingId: string) => db.selectFrom('meeting_action').selectAll().where('meeting_id', '=', meetingId).orderBy('person_id').orderBy('due_date').orderBy('action_id');

/** Actions of earlier meetings still open for these children (carried onto the new agenda). */
export const openActionsOf = (db: Db, personIds: string[]) =>
  db.selectFrom('meeting_action').selectAll().where('person_id', 'in', personIds).where('status', 'in', ['open', 'blocked']).orderBy('due_date').orderBy('action_id');

/** One attendance per person per meeting: the latest answer replaces the earlier (delete, then insert, in one transaction). */
export const deleteAttendance = (db: Db, meetingId: string, workerId: string) => db.deleteFrom('meeting_attendee').where('meeting_id', '=', meetingId).where('worker_id', '=', workerId);
export const insertAttendance = (db: Db, row: MeetingAttendeeRow) => db.insertInto('meeting_attendee').values(row);

export const attendanceOf = (db: Db, meetingId: string) =>
  db
    .selectFrom('meeting_attendee')
    .leftJoin('staff', 'staff.worker_id', 'meeting_attendee.worker_id')
    .select(['meeting_attendee.worker_id', 'meeting_attendee.agency', 'meeting_attendee.attendance', 'staff.display_name', 'staff.role'])
    .where('meeting_attendee.meeting_id', '=', meetingId)
    .orderBy('meeting_attendee.agency')
    .orderBy('meeting_attendee.worker_id');

/** An area's children on a run's meeting list, and any others of the area asked for, with what the run said of them. */
export const scoredChildren = (db: Db, runId: string, personIds: string[], areaId: string) =>
  db
    .selectFrom('run_score')
    .innerJoin('person', 'person.person_id', 'run_score.person_id')
    .select(['run_score.person_id', 'run_score.band', 'run_score.final_score', 'run_score.probability', 'run_score.on_list', 'run_score.reason_items'])
    .where('run_score.run_id', '=', runId)
    .where('run_score.list', '=', 'children')
    .where('person.area_id', '=', areaId)
    .where((eb) => (personIds.length ? eb.or([eb('run_score.on_list', '=', 1), eb('run_score.person_id', 'in', personIds)]) : eb('run_score.on_list', '=', 1)));

/** Each child's score in the last published runs (the agenda's trend). */
export const trendsOf = (db: Db, personIds: string[], runIds: string[]) =>
  db
    .selectFrom('run_score')
    .innerJoin('run', 'run.run_id', 'run_score.run_id')
    .select(['run_score.person_id', 'run_score.run_id', 'run.as_of', 'run_score.band', 'run_score.final_score'])
    .where('run_score.person_id', 'in', personIds)
    .where('run_score.run_id', 'in', runIds)
    .orderBy('run_score.person_id')
    // Two runs can share an as-of date (a re-run): the later published reads last.
    .orderBy('run.as_of')
    .orderBy('run.finished_at')
    .orderBy('run.run_id');

/** Published runs, latest first (weekly: a few dozen a year). */
export const publishedRuns = (db: Db) => db.selectFrom('run').select(['run_id', 'as_of']).where('status', '=', 'published').orderBy('finished_at', 'desc');

/** "Request review at the next meeting" answers given after a moment (the last meeting's agenda). */
export const reviewRequestsSince = (db: Db, since: string) =>
  db
    .selectFrom('alert_response')
    .leftJoin('staff', 'staff.worker_id', 'alert_response.worker_id')
    .select(['alert_response.person_id', 'alert_response.worker_id', 'staff.display_name', 'alert_response.responded_at'])
    .where('alert_response.action', '=', 'review_requested')
    .where('alert_response.responded_at', '>', since)
    .orderBy('alert_response.responded_at');

/** Staff by Entra object id, for the chat's roster check. */
export const staffByEntraIds = (db: Db, aadObjectIds: string[]) => db.selectFrom('staff').select(['worker_id', 'aad_object_id', 'display_name', 'role', 'agency', 'area_id']).where('aad_object_id', 'in', aadObjectIds);

/** Staff's areas by worker id (null: every area). */
export const staffAreasOf = (db: Db, workerIds: string[]) => db.selectFrom('staff').select(['worker_id', 'area_id']).where('worker_id', 'in', workerIds);

/** The areas, for a force-wide chair naming one (by id or name). */
export const areas = (db: Db) => db.selectFrom('area').select(['area_id', 'name']).orderBy('area_id');

/** Children's areas (the agenda holds one area's children). */
export const areasOfPeople = (db: Db, personIds: string[]) => db.selectFrom('person').select(['person_id', 'area_id']).where('person_id', 'in', personIds);

/** Open actions due on or before a day whose owner has not been reminded yet. */
export const actionsDueUnreminded = (db: Db, day: string) =>
  db
    .selectFrom('meeting_action')
    .innerJoin('meeting', 'meeting.meeting_id', 'meeting_action.meeting_id')
    .select(['meeting_action.action_id', 'meeting_action.person_id', 'meeting_action.description', 'meeting_action.owner_worker_id', 'meeting_action.due_date', 'meeting_action.status', 'meeting.meeting_date'])
    .where('meeting_action.status', '=', 'open')
    .where('meeting_action.due_date', '<=', day)
    .where('meeting_action.reminded_at', 'is', null)
    .orderBy('meeting_action.owner_worker_id')
    .orderBy('meeting_action.due_date');

export const markReminded = (db: Db, actionIds: string[], at: string) => db.updateTable('meeting_action').set({ reminded_at: at }).where('action_id', 'in', actionIds);

export const actionById = (db: Db, actionId: string) => db.selectFrom('meeting_action').selectAll().where('action_id', '=', actionId);

export const setActionStatus = (db: Db, actionId: string, status: string, by: string, at: string) => db.updateTable('meeting_action').set({ status, updated_by: by, updated_at: at }).where('action_id', '=', actionId);

/** Actions by id, with their meeting's date (what a reminder card shows after an answer). */
export const actionsWithMeeting = (db: Db, actionIds: string[]) =>
  db
    .selectFrom('meeting_action')
    .innerJoin('meeting', 'meeting.meeting_id', 'meeting_action.meeting_id')
    .select(['meeting_action.action_id', 'meeting_action.person_id', 'meeting_action.description', 'meeting_action.owner_worker_id', 'meeting_action.due_date', 'meeting_action.status', 'meeting.meeting_date'])
    .where('meeting_action.action_id', 'in', actionIds)
    .orderBy('meeting_action.due_date');

export const insertUpdateRequests = (db: Db, rows: MeetingUpdateRow[]) => db.insertInto('meeting_update').values(rows);

export const updatesOfMeeting = (db: Db, meetingId: string) => db.selectFrom('meeting_update').selectAll().where('meeting_id', '=', meetingId);

export const updatesOfItems = (db: Db, itemIds: string[]) =>
  db
    .selectFrom('meeting_update')
    .leftJoin('staff', 'staff.worker_id', 'meeting_update.worker_id')
    .select(['meeting_update.item_id', 'meeting_update.worker_id', 'meeting_update.text', 'meeting_update.answered_at', 'meeting_update.shareable', 'staff.display_name', 'staff.agency', 'staff.role'])
    .where('meeting_update.item_id', 'in', itemIds)
    .where('meeting_update.status', '=', 'answered')
    .orderBy('meeting_update.answered_at');

export const updateById = (db: Db, updateId: string) => db.selectFrom('meeting_update').selectAll().where('update_id', '=', updateId);

export const answerUpdate = (db: Db, updateId: string, text: string, at: string, shareable: number) => db.updateTable('meeting_update').set({ status: 'answered', text, answered_at: at, shareable }).where('update_id', '=', updateId);

/** The chat's reference, replaced whenever a chair draws an agenda there (delete, then insert, in one transaction). */
export const deleteMeetingChat = (db: Db, conversationId: string) => db.deleteFrom('meeting_chat').where('conversation_id', '=', conversationId);
export const insertMeetingChat = (db: Db, row: MeetingChatRow) => db.insertInto('meeting_chat').values(row);

/** Meeting chats, the most recently used first. */
export const meetingChatsLatestFirst = (db: Db) => db.selectFrom('meeting_chat').selectAll().orderBy('updated_at', 'desc');

export const closeMeeting = (db: Db, meetingId: string) => db.updateTable('meeting').set({ status: 'closed' }).where('meeting_id', '=', meetingId);
/** Back to taking recordings (its chair's `meeting reopen`). */
export const reopenMeeting = (db: Db, meetingId: string) => db.updateTable('meeting').set({ status: 'agenda' }).where('meeting_id', '=', meetingId).where('status', '=', 'closed');
