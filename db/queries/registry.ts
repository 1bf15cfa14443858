import type { Compilable, Kysely } from 'kysely';
import type { Database } from '../schema/database-schema.js';
import { clearTable, countRows, recordImport } from './import-queries.js';
import { cohortSize, markersByType, peopleByArea } from './overview-queries.js';
import { snapshotQueries } from './snapshot-queries.js';
import * as runs from './run-queries.js';
import * as lookups from './lookup-queries.js';
import { appendAudit, auditForExport } from './audit-queries.js';
import * as alerts from './alert-queries.js';
import * as meetings from './meeting-queries.js';

/**
 * Every query the project runs, with sample arguments, so that a test can
 * compile each for SQL Server and prove it is valid T-SQL. A new query module
 * adds its queries here.
 */
export const PROJECT_QUERIES: Readonly<Record<string, { type: 'select' | 'insert' | 'update' | 'delete'; build: (db: Kysely<Database>) => Compilable }>> = {
  ...Object.fromEntries(Object.entries(snapshotQueries).map(([name, build]) => [`snapshot.${name}`, { type: 'select' as const, build }])),
  insertRun: {
    type: 'insert',
    build: (db) => runs.insertRun(db, { run_id: 'r', as_of: '2025-01-01', status: 'running', started_at: '2025-01-01T00:00:00', finished_at: null, model_id: null, previous_run_id: null, summary: null, error: null }),
  },
  currentRun: { type: 'select', build: runs.currentRun },
  runById: { type: 'select', build: (db) => runs.runById(db, 'r') },
  publishRun: { type: 'update', build: (db) => runs.publishRun(db, 'r', '2025-01-01T00:00:00', '{}', 'm') },
  failRun: { type: 'update', build: (db) => runs.failRun(db, 'r', '2025-01-01T00:00:00', 'boom') },
  insertScores: {
    type: 'insert',
    build: (db) =>
      runs.insertScores(db, [
        { run_id: 'r', person_id: 'p', as_of: '2025-01-01', age: 14, predictive_score: 1, index_score: 0, network_score: null, final_score: 1, band: 'none', on_list: 0, missing_person_risk: null, conduct_flags: 0, conduct_disorder_risk: 0, probability: 0.01, reasons: 'x', reason_items: '[]', contributions: '[]', list: 'children' },
      ]),
  },
  insertChanges: { type: 'insert', build: (db) => runs.insertChanges(db, [{ run_id: 'r', person_id: 'p', change: 'joined_list', previous_band: null, band: 'high' }]) },
  insertModel: {
    type: 'insert',
    build: (db) => runs.insertModel(db, { model_id: 'm', kind: 'cse', trained_at: '2025-01-01T00:00:00', as_of: '2025-01-01', cohort_size: 1, artefact: '{}', metrics: '{}' }),
  },
  listStatus: { type: 'select', build: (db) => runs.listStatus(db, 'r') },
  insertEdges: {
    type: 'insert',
    build: (db) => runs.insertEdges(db, [{ run_id: 'r', person_a: 'a', person_b: 'b', shared_events: 3, first_date: '2025-01-01', last_date: '2025-02-01', event_types: 'crime' }]),
  },
  edgesForExport: { type: 'select', build: (db) => runs.edgesForExport(db, 'r') },
  edgesOf: { type: 'select', build: (db) => runs.edgesOf(db, 'r', ['a', 'b']) },
  scoresOf: { type: 'select', build: (db) => runs.scoresOf(db, 'r', ['a', 'b']) },
  deleteRunRows: { type: 'delete', build: (db) => runs.deleteRunRows(db, 'run_score', 'r') },
  deleteModel: { type: 'delete', build: (db) => runs.deleteModel(db, 'm') },
  changeCounts: { type: 'select', build: (db) => runs.changeCounts(db, 'r') },
  latestRecorded: { type: 'select', build: runs.latestRecorded },
  insertEvaluation: { type: 'insert', build: (db) => runs.insertEvaluation(db, 'r', '{}') },
  evaluationOf: { type: 'select', build: (db) => runs.evaluationOf(db, 'r') },
  listForRun: { type: 'select', build: (db) => runs.listForRun(db, 'r', 'children') },
  scoresForExport: { type: 'select', build: (db) => runs.scoresForExport(db, 'r') },
  staffByAadObjectId: { type: 'select', build: (db) => lookups.staffByAadObjectId(db, ['a', 'A']) },
  personWithArea: { type: 'select', build: (db) => lookups.personWithArea(db, 'p') },
  openEnrolmentsOf: { type: 'select', build: (db) => lookups.openEnrolmentsOf(db, ['p'], '2026-01-01') },
  openInvolvementsOf: { type: 'select', build: (db) => lookups.openInvolvementsOf(db, ['p', 'q'], '2026-01-01') },
  activeTopazMarkersOf: { type: 'select', build: (db) => lookups.activeTopazMarkersOf(db, 'p', '2026-01-01') },
  scoreOf: { type: 'select', build: (db) => lookups.scoreOf(db, 'r', 'p') },
  changeOf: { type: 'select', build: (db) => lookups.changeOf(db, 'r', 'p') },
  modelById: { type: 'select', build: (db) => lookups.modelById(db, 'm') },
  caseloadOf: { type: 'select', build: (db) => lookups.caseloadOf(db, 'w', '2026-01-01', 'r') },
  schoolPupilsOnList: { type: 'select', build: (db) => lookups.schoolPupilsOnList(db, 's', '2026-01-01', 'r') },
  appendAudit: {
    type: 'insert',
    build: (db) =>
      appendAudit(db, [
        { audit_id: 'a', occurred_at: '2026-01-01T00:00:00.000', actor_aad_object_id: 'x', actor_worker_id: 'w', actor_role: 'analyst', action: 'profile', person_id: 'p', outcome: 'allowed', basis: 'b', shown: 's', run_id: 'r', channel: 'c' },
      ]),
  },
  auditForExport: { type: 'select', build: (db) => auditForExport(db, { from: '2026-01-01', to: '2026-01-31', personId: 'p', workerId: 'w' }) },
  referenceOf: { type: 'select', build: (db) => alerts.referenceOf(db, 'a') },
  activeReferenceOfWorker: { type: 'select', build: (db) => alerts.activeReferenceOfWorker(db, 'w') },
  insertReference: { type: 'insert', build: (db) => alerts.insertReference(db, { aad_object_id: 'a', worker_id: 'w', conversation_id: 'c', service_url: 'https://x/', tenant_id: 't', bot_id: 'b', reference: '{}', active: 1, updated_at: '2026-01-01T00:00:00' }) },
  updateReference: { type: 'update', build: (db) => alerts.updateReference(db, { aad_object_id: 'a', worker_id: 'w', conversation_id: 'c', service_url: 'https://x/', tenant_id: 't', bot_id: 'b', reference: '{}', active: 1, updated_at: '2026-01-01T00:00:00' }) },
  deactivateReference: { type: 'update', build: (db) => alerts.deactivateReference(db, 'a', '2026-01-01T00:00:00') },
  emergingChanges: { type: 'select', build: (db) => alerts.emergingChanges(db, 'r') },
  leadProfessionalsOf: { type: 'select', build: (db) => alerts.leadProfessionalsOf(db, ['p', 'q'], '2026-01-01') },
  alertIdsOfRun: { type: 'select', build: (db) => alerts.alertIdsOfRun(db, 'r') },
  insertAlerts: {
    type: 'insert',
    build: (db) => alerts.insertAlerts(db, [{ alert_id: 'r|w|p', run_id: 'r', worker_id: 'w', person_id: 'p', change: 'joined_list', status: 'pending', activity_id: null, sent_at: null, detail: null }]),
  },
  alertsFor: { type: 'select', build: (db) => alerts.alertsFor(db, 'r', 'w') },
  alertById: { type: 'select', build: (db) => alerts.alertById(db, 'r|w|p') },
  markAlerts: { type: 'update', build: (db) => alerts.markAlerts(db, ['r|w|p'], 'sent', { activity_id: 'x', sent_at: '2026-01-01T00:00:00' }) },
  recentAlertsOfWorker: { type: 'select', build: (db) => alerts.recentAlertsOfWorker(db, 'w') },
  insertResponse: {
    type: 'insert',
    build: (db) => alerts.insertResponse(db, { response_id: 'x', alert_id: 'r|w|p', run_id: 'r', worker_id: 'w', person_id: 'p', action: 'acknowledged', note: null, responded_at: '2026-01-01T00:00:00' }),
  },
  responsesOf: { type: 'select', build: (db) => alerts.responsesOf(db, ['r|w|p', 'r|w|q']) },
  staffRoleOf: { type: 'select', build: (db) => alerts.staffRoleOf(db, 'w') },
  pupilsOnList: { type: 'select', build: (db) => alerts.pupilsOnList(db, 'r', '2026-01-01') },
  schoolLeads: { type: 'select', build: alerts.schoolLeads },
  runAsOf: { type: 'select', build: (db) => alerts.runAsOf(db, 'r') },
  lastSchoolDigests: { type: 'select', build: alerts.lastSchoolDigests },
  peopleByArea: { type: 'select', build: peopleByArea },
  cohortSize: { type: 'select', build: cohortSize },
  markersByType: { type: 'select', build: markersByType },
  clearTable: { type: 'delete', build: (db) => clearTable(db, 'event_party') },
  countPeople: { type: 'select', build: (db) => countRows(db, 'person') },
  countAreas: { type: 'select', build: (db) => countRows(db, 'area') },
  recordImport: {
    type: 'insert',
    build: (db) =>
      recordImport(db, { import_id: 'x', source: 'dir', started_at: '2026-01-01T00:00:00', finished_at: '2026-01-01T00:00:01', replaced: 0, row_counts: '{}' }),
  },
  meetingDecisionsOf: { type: 'select', build: (db) => alerts.meetingDecisionsOf(db, ['p']) },
  actionsDueUnreminded: { type: 'select', build: (db) => meetings.actionsDueUnreminded(db, '2026-01-01') },
  markReminded: { type: 'update', build: (db) => meetings.markReminded(db, ['a'], '2026-01-01T08:00:00') },
  actionById: { type: 'select', build: (db) => meetings.actionById(db, 'a') },
  setActionStatus: { type: 'update', build: (db) => meetings.setActionStatus(db, 'a', 'done', 'w', '2026-01-01T08:00:00') },
  actionsWithMeeting: { type: 'select', build: (db) => meetings.actionsWithMeeting(db, ['a']) },
  insertUpdateRequests: {
    type: 'insert',
    build: (db) => meetings.insertUpdateRequests(db, [{ update_id: 'm|p|w', meeting_id: 'm', item_id: 'm|p', person_id: 'p', worker_id: 'w', status: 'requested', requested_at: '2026-01-01T00:00:00', text: null, answered_at: null, shareable: 0 }]),
  },
  updatesOfMeeting: { type: 'select', build: (db) => meetings.updatesOfMeeting(db, 'm') },
  updatesOfItems: { type: 'select', build: (db) => meetings.updatesOfItems(db, ['m|p']) },
  updateById: { type: 'select', build: (db) => meetings.updateById(db, 'm|p|w') },
  answerUpdate: { type: 'update', build: (db) => meetings.answerUpdate(db, 'm|p|w', 'text', '2026-01-01T00:00:00', 1) },
  deleteMeetingChat: { type: 'delete', build: (db) => meetings.deleteMeetingChat(db, '19:chat') },
  insertMeetingChat: { type: 'insert', build: (db) => meetings.insertMeetingChat(db, { conversation_id: '19:chat', reference: '{}', chair_worker_id: 'w', updated_at: '2026-01-01T00:00:00' }) },
  meetingChatsLatestFirst: { type: 'select', build: (db) => meetings.meetingChatsLatestFirst(db) },
  closeMeeting: { type: 'update', build: (db) => meetings.closeMeeting(db, 'm') },
  reopenMeeting: { type: 'update', build: (db) => meetings.reopenMeeting(db, 'm') },
  meetingById: { type: 'select', build: (db) => meetings.meetingById(db, 'm') },
  meetingsBefore: { type: 'select', build: (db) => meetings.meetingsBefore(db, '2026-01-01', 'A') },
  meetingsLatestFirst: { type: 'select', build: (db) => meetings.meetingsLatestFirst(db) },
  meetingsInChat: { type: 'select', build: (db) => meetings.meetingsInChat(db, '19:chat') },
  insertMeeting: {
    type: 'insert',
    build: (db) => meetings.insertMeeting(db, { meeting_id: 'm', meeting_date: '2026-01-01', area_id: 'A', run_id: 'r', previous_meeting_id: null, chair_worker_id: 'w', conversation_id: '19:chat', header_activity_id: null, status: 'agenda', created_by: 'w', created_at: '2026-01-01T00:00:00' }),
  },
  insertItems: { type: 'insert', build: (db) => meetings.insertItems(db, [{ item_id: 'm|p', meeting_id: 'm', person_id: 'p', section: 'new', position: 0, version: 1, rag: null, decision: null, outcome: null, lead_agency: null, next_review: null, notes: null, recorded_by: null, recorded_at: null, activity_id: null, detail: '{}' }]) },
  itemsOfMeeting: { type: 'select', build: (db) => meetings.itemsOfMeeting(db, 'm') },
  itemById: { type: 'select', build: (db) => meetings.itemById(db, 'm|p') },
  recordItem: {
    type: 'update',
    build: (db) => meetings.recordItem(db, 'm|p', 1, { rag: 'red', decision: 'remain', outcome: null, lead_agency: 'social_care', next_review: '2026-02-01', notes: 'n', recorded_by: 'w', recorded_at: '2026-01-01T00:00:00' }),
  },
  setItemsActivity: { type: 'update', build: (db) => meetings.setItemsActivity(db, ['m|p'], 'act') },
  setHeaderActivity: { type: 'update', build: (db) => meetings.setHeaderActivity(db, 'm', 'act') },
  setMeetingChat: { type: 'update', build: (db) => meetings.setMeetingChat(db, 'm', '19:chat') },
  staffNamesOf: { type: 'select', build: (db) => meetings.staffNamesOf(db, ['w']) },
  staffMember: { type: 'select', build: (db) => meetings.staffMember(db, 'w') },
  insertAction: {
    type: 'insert',
    build: (db) => meetings.insertAction(db, { action_id: 'a', meeting_id: 'm', item_id: 'm|p', person_id: 'p', description: 'd', owner_worker_id: 'w', due_date: '2026-01-15', status: 'open', created_by: 'w', created_at: '2026-01-01T00:00:00', updated_by: null, updated_at: null, reminded_at: null }),
  },
  actionsOfMeeting: { type: 'select', build: (db) => meetings.actionsOfMeeting(db, 'm') },
  openActionsOf: { type: 'select', build: (db) => meetings.openActionsOf(db, ['p']) },
  deleteAttendance: { type: 'delete', build: (db) => meetings.deleteAttendance(db, 'm', 'w') },
  insertAttendance: { type: 'insert', build: (db) => meetings.insertAttendance(db, { meeting_id: 'm', worker_id: 'w', agency: 'police', attendance: 'present' }) },
  attendanceOf: { type: 'select', build: (db) => meetings.attendanceOf(db, 'm') },
  scoredChildren: { type: 'select', build: (db) => meetings.scoredChildren(db, 'r', ['p'], 'A') },
  trendsOf: { type: 'select', build: (db) => meetings.trendsOf(db, ['p'], ['r']) },
  publishedRuns: { type: 'select', build: (db) => meetings.publishedRuns(db) },
  reviewRequestsSince: { type: 'select', build: (db) => meetings.reviewRequestsSince(db, '2026-01-01T00:00:00') },
  staffByEntraIds: { type: 'select', build: (db) => meetings.staffByEntraIds(db, ['a']) },
  staffAreasOf: { type: 'select', build: (db) => meetings.staffAreasOf(db, ['w']) },
  areas: { type: 'select', build: (db) => meetings.areas(db) },
  areasOfPeople: { type: 'select', build: (db) => meetings.areasOfPeople(db, ['p']) },
};
