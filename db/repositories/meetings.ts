import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, MeetingItemRow, MeetingRow, MeetingUpdateRow } from '../schema/database-schema.js';
import * as q from '../queries/meeting-queries.js';
import { leadProfessionalsOf } from '../queries/alert-queries.js';
import { activeTopazMarkersOf } from '../queries/lookup-queries.js';
import { currentRun } from '../queries/run-queries.js';
import { assembleAgenda, type LastDecision, type TrendPoint } from '../../domain/meeting-agenda.js';
import { meetingItemIdOf, type AgendaSection, type Decision } from '../../domain/meeting.js';
import type { Attendee, UnremindedAction, ItemUpdate, Meeting, MeetingAction, MeetingChat, MeetingItem, StaffMember, TopazMarker, UpdateRequest } from '../../domain/meeting-record.js';
import type { InvolvementLine } from '../../domain/access-policy.js';
import type { DueAction } from '../../domain/alert-delivery.js';
import { parseReasonItems } from '../../domain/reason-item.js';
import { UserFacingError } from '../../domain/errors.js';
import { recordIntent } from './delivery-outbox.js';
import { checkMeetingDate, DEFAULT_MEETING_DATE_WINDOW, withinMeetingWindow, type MeetingDateWindow } from '../../domain/meeting-dates.js';
import { dayOf, isoOf } from '../../domain/days.js';
import { decodeAgendaItem, encodeAgendaItem } from './agenda-item-codec.js';
import { decodeTeamsReference, encodeTeamsReference } from './teams-reference-codec.js';

/**
 * A meeting is one area's on one date: two areas can meet the same day. Ids
 * are at most 64 characters (the id columns): an area id too long for that is
 * named by a digest of it.
 */
export const meetingIdOf = (areaId: string, meetingDate: string) => {
  const id = `meeting-${areaId}-${meetingDate}`;
  return id.length <= 64 ? id : `meeting-${createHash('sha256').update(areaId).digest('hex').slice(0, 16)}-${meetingDate}`;
};

/** Staff of an area, or of every area (null), work for it. */
export const inArea = (staffArea: string | null, areaId: string) => staffArea === null || staffArea === areaId;

export class NoPublishedRunError extends UserFacingError {
  constructor() {
    super('there is no published scoring run to draw an agenda from: import a bundle and run `npm run cli -- score` first');
  }
}

/** A meeting dated outside the window around the latest run (domain/meeting-dates.ts): nothing is drawn. */
export class MeetingDateOutsideWindowError extends UserFacingError {
  constructor(
    readonly meetingDate: string,
    readonly reason: string,
  ) {
    super(`no agenda for ${meetingDate}: ${reason}`);
  }
}

/** Runs shown in an item's score trend. */
const TREND_RUNS = 6;

const stamp = (now: Date) => now.toISOString().slice(0, 19);
/** A stored date as `YYYY-MM-DD`: ISO text on SQLite, a Date through tedious on SQL Server. */
const day = (value: string | Date | null | undefined): string => (value ? isoOf(dayOf(value)) : '');
/** A stored timestamp as ISO text (a Date on SQL Server). */
const moment = (value: string | Date | null | undefined): string => (value instanceof Date ? value.toISOString().slice(0, 19) : value ? String(value) : '');

const meetingOf = (r: MeetingRow): Meeting => ({
  meetingId: r.meeting_id,
  meetingDate: day(r.meeting_date),
  areaId: r.area_id,
  runId: r.run_id,
  previousMeetingId: r.previous_meeting_id,
  chairWorkerId: r.chair_worker_id,
  conversationId: r.conversation_id,
  headerActivityId: r.header_activity_id,
  status: r.status,
  createdBy: r.created_by,
  createdAt: moment(r.created_at),
});

const itemOf = (r: MeetingItemRow): MeetingItem => ({
  itemId: r.item_id,
  meetingId: r.meeting_id,
  personId: r.person_id,
  section: r.section as AgendaSection,
  position: r.position,
  version: r.version,
  recording: r.recorded_by
    ? { rag: r.rag, decision: r.decision, outcome: r.outcome, leadAgency: r.lead_agency, nextReview: r.next_review ? day(r.next_review) : null, notes: r.notes, by: r.recorded_by, at: moment(r.recorded_at) }
    : null,
  activityId: r.activity_id,
  agenda: decodeAgendaItem(r.item_id, r.detail),
});

export interface NewMeeting {
  readonly meetingDate: string;
  /** The area whose children the agenda holds: its id names the meeting with the date. */
  readonly areaId: string;
  readonly createdBy: string;
  readonly chairWorkerId: string | null;
  readonly conversationId: string | null;
  readonly now: Date;
  /** Which dates a meeting may have around the latest run. @defaultValue DEFAULT_MEETING_DATE_WINDOW */
  readonly window?: MeetingDateWindow;
}

/**
 * Draws the agenda for a meeting from the latest published run and the last
 * meeting (domain/meeting-agenda.ts decides the sections) and stores it in
 * one transaction. A meeting already drawn for that date is returned as it
 * is, so asking twice never makes two agendas.
 */
export async function createMeeting(db: Kysely<Database>, m: NewMeeting): Promise<{ meeting: Meeting; items: MeetingItem[]; created: boolean }> {
  const run = await currentRun(db).executeTakeFirst();
  if (!run) throw new NoPublishedRunError();
  const date = checkMeetingDate(m.meetingDate, day(run.as_of), m.window);
  if (!date.ok) throw new MeetingDateOutsideWindowError(m.meetingDate, date.reason);
  const meetingId = meetingIdOf(m.areaId, m.meetingDate);
  const existing = await q.meetingById(db, meetingId).executeTakeFirst();
  if (existing) return { meeting: meetingOf(existing), items: await itemsOfMeeting(db, meetingId), created: false };
  const previous = await q.meetingsBefore(db, m.meetingDate, m.areaId).executeTakeFirst();
  const previousItems = previous ? await itemsOfMeeting(db, previous.meeting_id) : [];
  const requests = (await q.reviewRequestsSince(db, previous?.created_at ?? '0000').execute()).map((r) => ({ personId: r.person_id, by: r.display_name ?? r.worker_id, byWorkerId: r.worker_id, at: moment(r.responded_at) }));
  const wanted = [...new Set([...previousItems.map((i) => i.personId), ...requests.map((r) => r.personId)])];
  // Each chunk also returns every child on the list: kept once.
  // Only the area's children: a child of another area asked for, or carried by mistake, is not read.
  const children = (wanted.length ? await chunked(wanted, (ids) => q.scoredChildren(db, run.run_id, ids, m.areaId).execute()) : await q.scoredChildren(db, run.run_id, [], m.areaId).execute()).filter(unique((c) => c.person_id));
  const personIds = children.map((c) => c.person_id);
  const carried = await chunked(personIds, (ids) => q.openActionsOf(db, ids).execute());
  const previousDecisions = new Map<string, LastDecision>(
    previousItems.map((i) => [
      i.personId,
      {
        meetingId: i.meetingId,
        meetingDate: day(previous!.meeting_date),
        decision: (i.recording?.decision ?? null) as Decision | null,
        rag: i.recording?.rag ?? null,
        leadAgency: i.recording?.leadAgency ?? null,
        band: i.agenda.band,
        openActions: carried.filter((a) => a.person_id === i.personId).map((a) => ({ actionId: a.action_id, description: a.description, owner: a.owner_worker_id, due: day(a.due_date), status: a.status })),
      },
    ]),
  );
  const runs = (await q.publishedRuns(db).execute()).slice(0, TREND_RUNS).map((r) => r.run_id);
  const trends = new Map<string, TrendPoint[]>();
  for (const t of await chunked(personIds, (ids) => q.trendsOf(db, ids, runs).execute())) trends.set(t.person_id, [...(trends.get(t.person_id) ?? []), { runId: t.run_id, asOf: day(t.as_of), band: t.band, finalScore: t.final_score }]);
  const involvements = new Map<string, InvolvementLine[]>();
  const leads = await chunked(personIds, (ids) => leadProfessionalsOf(db, ids, run.as_of).execute());
  // Lead professionals stay in the area: staff of another area are not named on this area's agenda.
  const leadAreas = new Map((await chunked([...new Set(leads.map((l) => l.worker_id))], (ids) => q.staffAreasOf(db, ids).execute())).map((s) => [s.worker_id, s.area_id]));
  for (const i of leads.filter((l) => inArea(leadAreas.get(l.worker_id) ?? null, m.areaId))) involvements.set(i.person_id, [...(involvements.get(i.person_id) ?? []), { agency: i.agency, role: i.involvement_role ?? '', worker: i.display_name }]);
  const agenda = assembleAgenda({
    children: children.map((c) => ({ personId: c.person_id, band: c.band, finalScore: c.final_score, probability: c.probability, onList: c.on_list === 1, reasonItems: parseReasonItems(c.reason_items) })),
    previous: previousDecisions,
    requests,
    trends,
    involvements,
  });
  const meeting: MeetingRow = { meeting_id: meetingId, meeting_date: m.meetingDate, area_id: m.areaId, run_id: run.run_id, previous_meeting_id: previous?.meeting_id ?? null, chair_worker_id: m.chairWorkerId, conversation_id: m.conversationId, header_activity_id: null, status: 'agenda', created_by: m.createdBy, created_at: stamp(m.now) };
  const rows: MeetingItemRow[] = agenda.map((item, position) => ({
    item_id: meetingItemIdOf(meetingId, item.personId),
    meeting_id: meetingId,
    person_id: item.personId,
    section: item.section,
    position,
    version: 1,
    rag: null,
    decision: null,
    outcome: null,
    lead_agency: null,
    next_review: null,
    notes: null,
    recorded_by: null,
    recorded_at: null,
    activity_id: null,
    detail: encodeAgendaItem(item),
  }));
  await db.transaction().execute(async (trx) => {
    await q.insertMeeting(trx, meeting).execute();
    for (let i = 0; i < rows.length; i += 50) await q.insertItems(trx, rows.slice(i, i + 50)).execute();
    // The lead professionals' update requests are owed with the agenda: a bot killed before it queued them leaves this for the reconciler.
    await recordIntent(trx, 'meeting-update-requests', meetingId, meeting.created_at);
  });
  return { meeting: meetingOf(meeting), items: rows.map(itemOf), created: true };
}

const unique = <T>(key: (t: T) => string) => {
  const seen = new Set<string>();
  return (t: T) => !seen.has(key(t)) && (seen.add(key(t)), true);
};

async function chunked<T>(ids: string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await read(ids.slice(i, i + 500))));
  return out;
}

/** The meeting chat a chair drew an agenda in most recently (none yet: undefined). */
export async function latestMeetingChat(db: Kysely<Database>): Promise<MeetingChat | undefined> {
  const row = await q.meetingChatsLatestFirst(db).executeTakeFirst();
  if (!row) return undefined;
  const reference = decodeTeamsReference(`the meeting chat ${row.conversation_id}`, row.reference);
  return { conversationId: row.conversation_id, chairWorkerId: row.chair_worker_id, tenantId: reference.conversation?.tenantId ?? null, reference };
}

/** Keeps the chat a chair draws agendas in (its whole reference), for the scheduled agenda's notice. */
export async function rememberMeetingChat(db: Kysely<Database>, conversationId: string, reference: Record<string, unknown>, chairWorkerId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await q.deleteMeetingChat(trx, conversationId).execute();
    await q.insertMeetingChat(trx, { conversation_id: conversationId, reference: encodeTeamsReference(reference), chair_worker_id: chairWorkerId, updated_at: stamp(now) }).execute();
  });
}

export const meetingById = async (db: Kysely<Database>, meetingId: string): Promise<Meeting | undefined> => {
  const row = await q.meetingById(db, meetingId).executeTakeFirst();
  return row ? meetingOf(row) : undefined;
};

/** The latest meeting held in a chat. */
export const latestMeetingInChat = async (db: Kysely<Database>, conversationId: string): Promise<Meeting | undefined> => {
  const row = await q.meetingsInChat(db, conversationId).executeTakeFirst();
  return row ? meetingOf(row) : undefined;
};

/** The agenda's items in order, each decoded once. */
/** Every meeting held, latest first (the CLI's `meeting list`). */
export const meetingsLatestFirst = async (db: Kysely<Database>): Promise<Meeting[]> => (await q.meetingsLatestFirst(db).execute()).map(meetingOf);

export const itemsOfMeeting = async (db: Kysely<Database>, meetingId: string): Promise<MeetingItem[]> => (await q.itemsOfMeeting(db, meetingId).execute()).map(itemOf);

export const itemById = async (db: Kysely<Database>, itemId: string): Promise<MeetingItem | undefined> => {
  const row = await q.itemById(db, itemId).executeTakeFirst();
  return row ? itemOf(row) : undefined;
};

export const setMeetingChat = (db: Kysely<Database>, meetingId: string, conversationId: string) => q.setMeetingChat(db, meetingId, conversationId).execute();

export const closeMeeting = (db: Kysely<Database>, meetingId: string) => q.closeMeeting(db, meetingId).execute();

export const reopenMeeting = (db: Kysely<Database>, meetingId: string) => q.reopenMeeting(db, meetingId).execute();

export const attendanceOf = async (db: Kysely<Database>, meetingId: string): Promise<Attendee[]> =>
  (await q.attendanceOf(db, meetingId).execute()).map((a) => ({ workerId: a.worker_id, agency: a.agency, attendance: a.attendance, displayName: a.display_name, role: a.role }));

/** Invites staff to a meeting; an earlier "present" or "apologies" is kept. */
export async function inviteToMeeting(db: Kysely<Database>, meetingId: string, staff: readonly StaffMember[]): Promise<void> {
  const known = new Set((await q.attendanceOf(db, meetingId).execute()).map((a) => a.worker_id));
  for (const s of staff) if (!known.has(s.workerId)) await q.insertAttendance(db, { meeting_id: meetingId, worker_id: s.workerId, agency: s.agency, attendance: 'invited' }).execute();
}

/** One attendance per person per meeting: the latest answer replaces the earlier. */
export async function setAttendance(db: Kysely<Database>, meetingId: string, workerId: string, agency: string | null, attendance: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await q.deleteAttendance(trx, meetingId, workerId).execute();
    await q.insertAttendance(trx, { meeting_id: meetingId, worker_id: workerId, agency, attendance }).execute();
  });
}

export const actionsOfMeeting = async (db: Kysely<Database>, meetingId: string): Promise<MeetingAction[]> =>
  (await q.actionsOfMeeting(db, meetingId).execute()).map((a) => ({ actionId: a.action_id, itemId: a.item_id, personId: a.person_id, description: a.description, ownerWorkerId: a.owner_worker_id, dueDate: day(a.due_date), status: a.status }));

/** Open actions due on or before a day whose owner has not been reminded yet, by owner then due date. */
export const actionsDueForReminder = async (db: Kysely<Database>, onDay: string): Promise<UnremindedAction[]> =>
  (await q.actionsDueUnreminded(db, onDay).execute()).map((a) => ({ actionId: a.action_id, personId: a.person_id, description: a.description, ownerWorkerId: a.owner_worker_id, dueDate: day(a.due_date), status: a.status, meetingDate: day(a.meeting_date) }));

/** Their owner was reminded of these actions (Teams took the message): never again. */
export async function markActionsReminded(db: Kysely<Database>, actionIds: readonly string[], now: Date): Promise<void> {
  if (actionIds.length > 0) await q.markReminded(db, [...actionIds], stamp(now)).execute();
}

/** Actions' statuses as they stand now. */
export const actionStatuses = async (db: Kysely<Database>, actionIds: readonly string[]): Promise<Map<string, string>> =>
  new Map((actionIds.length ? await q.actionsWithMeeting(db, [...actionIds]).execute() : []).map((a) => [a.action_id, a.status]));

export const actionById = async (db: Kysely<Database>, actionId: string): Promise<MeetingAction | undefined> => {
  const a = await q.actionById(db, actionId).executeTakeFirst();
  return a ? { actionId: a.action_id, itemId: a.item_id, personId: a.person_id, description: a.description, ownerWorkerId: a.owner_worker_id, dueDate: day(a.due_date), status: a.status } : undefined;
};

/** Actions by id with their meeting's date, soonest due first (what a reminder card shows). */
export const dueActions = async (db: Kysely<Database>, actionIds: readonly string[]): Promise<(DueAction & { readonly ownerWorkerId: string })[]> =>
  (actionIds.length ? await q.actionsWithMeeting(db, [...actionIds]).execute() : []).map((a) => ({ actionId: a.action_id, personId: a.person_id, description: a.description, due: day(a.due_date), status: a.status, meetingDate: day(a.meeting_date), ownerWorkerId: a.owner_worker_id }));

/** An owner's answer to an action (done, blocked). */
export const setActionStatus = (db: Kysely<Database>, actionId: string, status: string, by: string, now: Date) => q.setActionStatus(db, actionId, status, by, stamp(now)).execute();

/** Display names of staff by worker id (absent: not in the staff list). */
export const staffNames = async (db: Kysely<Database>, workerIds: readonly string[]): Promise<Map<string, string | null>> =>
  new Map((workerIds.length ? await q.staffNamesOf(db, [...new Set(workerIds)]).execute() : []).map((s) => [s.worker_id, s.display_name]));

/** Staff by Entra object id (every spelling asked for), for the chat's roster check. */
export const staffByEntraIds = async (db: Kysely<Database>, aadObjectIds: readonly string[]): Promise<StaffMember[]> =>
  (aadObjectIds.length ? await q.staffByEntraIds(db, [...aadObjectIds]).execute() : []).map((s) => ({ workerId: s.worker_id, aadObjectId: s.aad_object_id, displayName: s.display_name, role: s.role, agency: s.agency, areaId: s.area_id }));

export const answeredUpdatesOf = async (db: Kysely<Database>, itemIds: readonly string[]): Promise<ItemUpdate[]> =>
  (itemIds.length ? await q.updatesOfItems(db, [...itemIds]).execute() : []).map((u) => ({ itemId: u.item_id, workerId: u.worker_id, text: u.text ?? '', answeredAt: moment(u.answered_at), displayName: u.display_name, agency: u.agency, role: u.role, shareable: u.shareable === 1 }));

const updateRequestOf = (r: MeetingUpdateRow): UpdateRequest => ({ updateId: r.update_id, meetingId: r.meeting_id, itemId: r.item_id, personId: r.person_id, workerId: r.worker_id, status: r.status, text: r.text, shareable: r.shareable === 1 });

export const updateRequestById = async (db: Kysely<Database>, updateId: string): Promise<UpdateRequest | undefined> => {
  const r = await q.updateById(db, updateId).executeTakeFirst();
  return r ? updateRequestOf(r) : undefined;
};

/** Every update asked for a meeting's agenda (requested, held or answered): what a retried job does not ask again. */
export const updateRequestsOfMeeting = async (db: Kysely<Database>, meetingId: string): Promise<UpdateRequest[]> => (await q.updatesOfMeeting(db, meetingId).execute()).map(updateRequestOf);

/** Records one lead professional's asks on a meeting's agenda, as requested (Teams took the message) or held (no chat). */
export async function recordUpdateRequests(db: Kysely<Database>, meetingId: string, workerId: string, asks: readonly { readonly updateId: string; readonly itemId: string; readonly personId: string }[], status: 'requested' | 'held', now: Date): Promise<void> {
  if (asks.length === 0) return;
  await q.insertUpdateRequests(db, asks.map((a) => ({ update_id: a.updateId, meeting_id: meetingId, item_id: a.itemId, person_id: a.personId, worker_id: workerId, status, requested_at: stamp(now), text: null, answered_at: null, shareable: 0 }))).execute();
}

export const answerUpdate = (db: Kysely<Database>, updateId: string, text: string, shareable: boolean, now: Date) => q.answerUpdate(db, updateId, text, stamp(now), shareable ? 1 : 0).execute();

/** A child's Op Topaz markers open on a day (police roles only: the caller decides). */
export const topazMarkersOn = async (db: Kysely<Database>, personId: string, onDay: string): Promise<TopazMarker[]> =>
  (await activeTopazMarkersOf(db, personId, onDay).execute()).map((m) => ({ marker: m.marker, startDate: day(m.start_date), note: m.note }));

export interface ItemRecord {
  readonly itemId: string;
  /** The version the recorder's card showed: the save applies only at it. */
  readonly seenVersion: number;
  readonly fields: { readonly rag: string | null; readonly decision: string | null; readonly outcome: string | null; readonly leadAgency: string | null; readonly nextReview: string | null; readonly notes: string | null };
  readonly by: string;
  /** Carried actions and what became of them. */
  readonly carried: readonly { readonly actionId: string; readonly status: string }[];
  readonly newAction: { readonly meetingId: string; readonly personId: string; readonly description: string; readonly owner: string; readonly due: string } | null;
}

/** Saves a recording in one transaction; false when someone recorded the item since the recorder's card was drawn (nothing saved). */
export async function recordItem(db: Kysely<Database>, r: ItemRecord, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await q
      .recordItem(trx, r.itemId, r.seenVersion, { rag: r.fields.rag, decision: r.fields.decision, outcome: r.fields.outcome, lead_agency: r.fields.leadAgency, next_review: r.fields.nextReview, notes: r.fields.notes, recorded_by: r.by, recorded_at: stamp(now) })
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    for (const c of r.carried) await q.setActionStatus(trx, c.actionId, c.status, r.by, stamp(now)).execute();
    if (r.newAction) {
      const a = r.newAction;
      await q
        .insertAction(trx, { action_id: `${r.itemId}|${r.seenVersion}`, meeting_id: a.meetingId, item_id: r.itemId, person_id: a.personId, description: a.description, owner_worker_id: a.owner, due_date: a.due, status: 'open', created_by: r.by, created_at: stamp(now), updated_by: null, updated_at: null, reminded_at: null })
        .execute();
    }
    return true;
  });
}

/** Stores the Teams activities the agenda's cards were posted as, so a recording can update them for everyone. */
export async function rememberAgendaActivities(db: Kysely<Database>, meetingId: string, header: string | null, pages: readonly { readonly itemIds: readonly string[]; readonly activityId: string | null }[]): Promise<void> {
  if (header) await q.setHeaderActivity(db, meetingId, header).execute();
  for (const p of pages) if (p.activityId && p.itemIds.length) await q.setItemsActivity(db, [...p.itemIds], p.activityId).execute();
}

/**
 * The latest meeting (held in `conversationId`, or anywhere) dated within the
 * window of the latest run: what `meeting close` closes and `minutes --latest`
 * writes. A meeting stored with a far date (before dates were bounded) never
 * stands as the latest.
 */
export async function latestMeeting(db: Kysely<Database>, where: { readonly conversationId?: string }, window: MeetingDateWindow = DEFAULT_MEETING_DATE_WINDOW): Promise<Meeting | undefined> {
  const run = await currentRun(db).executeTakeFirst();
  const meetings = (await (where.conversationId ? q.meetingsInChat(db, where.conversationId) : q.meetingsLatestFirst(db)).execute()).map(meetingOf);
  return run ? meetings.find((meeting) => withinMeetingWindow(meeting.meetingDate, day(run.as_of), window)) : meetings[0];
}

export interface Area {
  readonly areaId: string;
  readonly name: string;
}

/** The area some words name (its id or its name, any case; none: not one), and every area. */
export async function findArea(db: Kysely<Database>, words: string): Promise<{ readonly found: Area | null; readonly all: readonly Area[] }> {
  const all = (await q.areas(db).execute()).map((a) => ({ areaId: a.area_id, name: a.name }));
  const w = words.trim().toLowerCase();
  return { found: (w && all.find((a) => a.areaId.toLowerCase() === w || a.name.toLowerCase() === w)) || null, all };
}

/** The name of an area. */
export const areaName = async (db: Kysely<Database>, areaId: string): Promise<string> => (await q.areas(db).execute()).find((a) => a.area_id === areaId)?.name ?? areaId;

/** The areas staff work for, by worker id (null: every area; absent: not in the staff list). */
export const staffAreasOf = async (db: Kysely<Database>, workerIds: readonly string[]): Promise<Map<string, string | null>> =>
  new Map((await chunked([...new Set(workerIds)], (ids) => q.staffAreasOf(db, ids).execute())).map((s) => [s.worker_id, s.area_id]));

/** The area a member of staff works for (null: every area, or not in the staff list). */
export const staffAreaOf = async (db: Kysely<Database>, workerId: string): Promise<string | null> => (await q.staffAreasOf(db, [workerId]).executeTakeFirst())?.area_id ?? null;

/** Staff as a card names them: display name, agency and role, by worker id. */
export const staffByWorkerIds = async (db: Kysely<Database>, workerIds: readonly string[]): Promise<Map<string, { readonly displayName: string | null; readonly agency: string | null; readonly role: string }>> =>
  new Map((workerIds.length ? await q.staffNamesOf(db, [...new Set(workerIds)]).execute() : []).map((s) => [s.worker_id, { displayName: s.display_name, agency: s.agency, role: s.role }]));
