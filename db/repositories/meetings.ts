import type { Kysely } from 'kysely';
import type { Database, MeetingItemRow, MeetingRow } from '../schema/database-schema.js';
import * as q from '../queries/meeting-queries.js';
import { leadProfessionalsOf } from '../queries/alert-queries.js';
import { currentRun } from '../queries/run-queries.js';
import { assembleAgenda, type AgendaItem, type LastDecision, type TrendPoint } from '../../domain/meeting-agenda.js';
import { meetingItemIdOf, type Decision } from '../../domain/meeting.js';
import type { InvolvementLine } from '../../domain/access-policy.js';
import { parseReasonItems } from '../../domain/reason-item.js';
import { UserFacingError } from '../../domain/errors.js';
import { checkMeetingDate, DEFAULT_MEETING_DATE_WINDOW, withinMeetingWindow, type MeetingDateWindow } from '../../domain/meeting-dates.js';
import { dayOf, isoOf } from '../../domain/days.js';

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

const isoDate = (v: string | Date) => isoOf(dayOf(v));

/** Runs shown in an item's score trend. */
const TREND_RUNS = 6;

const stamp = (now: Date) => now.toISOString().slice(0, 19);

export interface NewMeeting {
  readonly meetingDate: string;
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
export async function createMeeting(db: Kysely<Database>, m: NewMeeting): Promise<{ meeting: MeetingRow; items: MeetingItemRow[]; created: boolean }> {
  const run = await currentRun(db).executeTakeFirst();
  if (!run) throw new NoPublishedRunError();
  const date = checkMeetingDate(m.meetingDate, isoDate(run.as_of), m.window);
  if (!date.ok) throw new MeetingDateOutsideWindowError(m.meetingDate, date.reason);
  const meetingId = `meeting-${m.meetingDate}`;
  const existing = await q.meetingById(db, meetingId).executeTakeFirst();
  if (existing) return { meeting: existing, items: await q.itemsOfMeeting(db, meetingId).execute(), created: false };
  const previous = await q.meetingsBefore(db, m.meetingDate).executeTakeFirst();
  const previousItems = previous ? await q.itemsOfMeeting(db, previous.meeting_id).execute() : [];
  const requests = (await q.reviewRequestsSince(db, previous?.created_at ?? '0000').execute()).map((r) => ({ personId: r.person_id, by: r.display_name ?? r.worker_id, at: r.responded_at }));
  const wanted = [...new Set([...previousItems.map((i) => i.person_id), ...requests.map((r) => r.personId)])];
  // Each chunk also returns every child on the list: kept once.
  const children = (wanted.length ? await chunked(wanted, (ids) => q.scoredChildren(db, run.run_id, ids).execute()) : await q.scoredChildren(db, run.run_id, []).execute()).filter(unique((c) => c.person_id));
  const personIds = children.map((c) => c.person_id);
  const carried = await chunked(personIds, (ids) => q.openActionsOf(db, ids).execute());
  const previousDecisions = new Map<string, LastDecision>(
    previousItems.map((i) => [
      i.person_id,
      {
        meetingId: i.meeting_id,
        meetingDate: previous!.meeting_date,
        decision: i.decision as Decision | null,
        rag: i.rag,
        leadAgency: i.lead_agency,
        band: (JSON.parse(i.detail) as AgendaItem).band,
        openActions: carried.filter((a) => a.person_id === i.person_id).map((a) => ({ actionId: a.action_id, description: a.description, owner: a.owner_worker_id, due: a.due_date, status: a.status })),
      },
    ]),
  );
  const runs = (await q.publishedRuns(db).execute()).slice(0, TREND_RUNS).map((r) => r.run_id);
  const trends = new Map<string, TrendPoint[]>();
  for (const t of await chunked(personIds, (ids) => q.trendsOf(db, ids, runs).execute())) trends.set(t.person_id, [...(trends.get(t.person_id) ?? []), { runId: t.run_id, asOf: t.as_of, band: t.band, finalScore: t.final_score }]);
  const involvements = new Map<string, InvolvementLine[]>();
  for (const i of await chunked(personIds, (ids) => leadProfessionalsOf(db, ids, run.as_of).execute())) involvements.set(i.person_id, [...(involvements.get(i.person_id) ?? []), { agency: i.agency, role: i.involvement_role ?? '', worker: i.display_name }]);
  const agenda = assembleAgenda({
    children: children.map((c) => ({ personId: c.person_id, band: c.band, finalScore: c.final_score, probability: c.probability, onList: c.on_list === 1, reasonItems: parseReasonItems(c.reason_items) })),
    previous: previousDecisions,
    requests,
    trends,
    involvements,
  });
  const meeting: MeetingRow = { meeting_id: meetingId, meeting_date: m.meetingDate, run_id: run.run_id, previous_meeting_id: previous?.meeting_id ?? null, chair_worker_id: m.chairWorkerId, conversation_id: m.conversationId, header_activity_id: null, status: 'agenda', created_by: m.createdBy, created_at: stamp(m.now) };
  const items: MeetingItemRow[] = agenda.map((item, position) => ({
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
    detail: JSON.stringify(item),
  }));
  await db.transaction().execute(async (trx) => {
    await q.insertMeeting(trx, meeting).execute();
    for (let i = 0; i < items.length; i += 50) await q.insertItems(trx, items.slice(i, i + 50)).execute();
  });
  return { meeting, items, created: true };
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

/** Keeps the chat a chair draws agendas in (its whole reference), for the scheduled agenda's notice. */
export async function rememberMeetingChat(db: Kysely<Database>, conversationId: string, reference: Record<string, unknown>, chairWorkerId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await q.deleteMeetingChat(trx, conversationId).execute();
    await q.insertMeetingChat(trx, { conversation_id: conversationId, reference: JSON.stringify(reference), chair_worker_id: chairWorkerId, updated_at: stamp(now) }).execute();
  });
}

/**
 * The latest meeting (held in `conversationId`, or anywhere) dated within the
 * window of the latest run: what `meeting close` closes and `minutes --latest`
 * writes. A meeting stored with a far date (before dates were bounded) never
 * stands as the latest.
 */
export async function latestMeeting(db: Kysely<Database>, where: { readonly conversationId?: string }, window: MeetingDateWindow = DEFAULT_MEETING_DATE_WINDOW): Promise<MeetingRow | undefined> {
  const run = await currentRun(db).executeTakeFirst();
  const meetings = await (where.conversationId ? q.meetingsInChat(db, where.conversationId) : q.meetingsLatestFirst(db)).execute();
  return run ? meetings.find((meeting) => withinMeetingWindow(isoDate(meeting.meeting_date), isoDate(run.as_of), window)) : meetings[0];
}
