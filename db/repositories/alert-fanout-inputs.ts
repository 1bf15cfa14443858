import { z } from 'zod';
import type { Kysely } from 'kysely';
import * as q from '../queries/alert-queries.js';
import type { Database } from '../schema/database-schema.js';
import { parseReasonItems } from '../../domain/reason-item.js';
import type { MeetingClosure, PupilOnList, RunBefore, Standing } from '../../domain/alert.js';
import { dayOf, isoOf } from '../../domain/days.js';

/** What an alert fan-out reads to decide who is told about which child (the deciding is pure, in worker/alerts). */

/** A stored date as YYYY-MM-DD: ISO text on SQLite, a Date through tedious on SQL Server. */
const isoDay = (value: unknown) => isoOf(dayOf(value as string | Date));

async function chunked<T>(ids: readonly string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await read(ids.slice(i, i + 500))));
  return out;
}

const standingOf = (r: { person_id: string; band: string; on_list: number; reason_items: string | null }): Standing => ({
  personId: r.person_id,
  band: r.band,
  onList: r.on_list === 1,
  reasonItems: r.reason_items === null ? null : parseReasonItems(r.reason_items),
});

/**
 * A run's children on the list or in the watch band, and where the same
 * children stood in the published run before it; null when the run is unknown.
 */
export async function runStandings(db: Kysely<Database>, runId: string): Promise<{ asOf: string; now: Standing[]; before: RunBefore | null } | null> {
  const run = await q.runAndPrevious(db, runId).executeTakeFirst();
  if (!run) return null;
  const now = (await q.childrenAtRisk(db, runId).execute()).map(standingOf);
  const previous = run.previous_run_id ? await q.runAsOf(db, run.previous_run_id).executeTakeFirst() : undefined;
  if (!previous) return { asOf: isoDay(run.as_of), now, before: null };
  const standings = await chunked(
    now.map((s) => s.personId),
    (ids) => q.standingsOf(db, previous.run_id, ids).execute(),
  );
  return { asOf: isoDay(run.as_of), now, before: { asOf: isoDay(previous.as_of), standings: new Map(standings.map((r) => [r.person_id, standingOf(r)])) } };
}

/** The band an agenda item was drawn at: the one field of `meeting_item.detail` an alert reads. */
const agendaBand = z.object({ band: z.string().optional() });

/** Children whose latest meeting decision closed them (close, or no further action), with their band then. */
export async function closuresOf(db: Kysely<Database>, personIds: readonly string[]): Promise<Map<string, MeetingClosure>> {
  const latest = new Map<string, { decision: string | null; meetingDate: string; band: string }>();
  // Ordered by meeting date, so the last row per child is their latest decision.
  for (const r of await chunked(personIds, (ids) => q.meetingDecisionsOf(db, ids).execute())) {
    const band = agendaBand.safeParse(JSON.parse(r.detail));
    latest.set(r.person_id, { decision: r.decision, meetingDate: isoDay(r.meeting_date), band: (band.success ? band.data.band : undefined) ?? 'none' });
  }
  const closed = new Map<string, MeetingClosure>();
  for (const [personId, d] of latest) if (d.decision === 'close' || d.decision === 'nfa') closed.set(personId, { personId, meetingDate: d.meetingDate, band: d.band });
  return closed;
}

/** Children on a run's list with an open school enrolment on the day, with their school. */
export async function pupilsOnList(db: Kysely<Database>, runId: string, day: string): Promise<PupilOnList[]> {
  return (await q.pupilsOnList(db, runId, day).execute()).map((p) => ({ personId: p.person_id, schoolId: p.school_id, band: p.band }));
}

/** School safeguarding leads with a school, and the as-of date of the latest run that made each a digest (null: never). */
export async function schoolLeads(db: Kysely<Database>): Promise<{ workerId: string; schoolId: string; lastDigestAsOf: string | null }[]> {
  const last = new Map((await q.lastSchoolDigests(db).execute()).map((r) => [r.worker_id, r.last_as_of === null ? null : isoDay(r.last_as_of)]));
  return (await q.schoolLeads(db).execute()).map((l) => ({ workerId: l.worker_id, schoolId: l.school_id!, lastDigestAsOf: last.get(l.worker_id) ?? null }));
}
