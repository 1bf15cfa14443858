import type { Kysely } from 'kysely';
import type { Database, MeetingRow } from '../../db/schema/database-schema.js';
import * as q from '../../db/queries/meeting-queries.js';
import { appendAccessAudit, type AuditEntry } from '../../db/repositories/access-audit.js';
import { latestMeeting } from '../../db/repositories/meetings.js';
import type { MeetingDateWindow } from '../../domain/meeting-dates.js';
import { decideMinutesAccess } from '../../domain/access-policy.js';
import { DECISION_WORDS, MEETING_CONFIDENTIALITY, OUTCOME_WORDS, SECTION_TITLES, type AgendaSection, type Decision, type Outcome, type RecordedOutcome } from '../../domain/meeting.js';
import { DECISION_SUPPORT_STATEMENT } from '../../domain/decision-support.js';
import { UserFacingError } from '../../domain/errors.js';
import { isStaffRole, type Caller } from '../../domain/roles.js';

export interface MinutesAction {
  readonly description: string;
  readonly owner: string;
  readonly due: string;
  readonly status: string;
}

export interface MinutesItem extends RecordedOutcome {
  readonly number: number;
  readonly personId: string;
  readonly section: string;
  readonly band: string;
  readonly recordedBy: string | null;
  readonly recordedAt: string | null;
  readonly actions: readonly MinutesAction[];
}

/** Everything the minutes say, in plain data: the PDF, DOCX and CSV are drawn from this alone. */
export interface MinutesView {
  readonly meetingId: string;
  readonly meetingDate: string;
  readonly runId: string;
  readonly status: string;
  readonly chair: string | null;
  /** Agency → names, for those present. */
  readonly attendeesByAgency: readonly { readonly agency: string; readonly names: readonly string[] }[];
  readonly apologies: readonly string[];
  readonly notRecorded: readonly string[];
  readonly confidentiality: string;
  readonly decisionSupport: string;
  readonly items: readonly MinutesItem[];
  readonly producedAt: string;
  readonly producedBy: string;
}

/** A meeting by id, or the latest one dated within the window around the latest run. */
export interface WhichMinutes {
  readonly meetingId?: string;
  readonly window?: MeetingDateWindow;
}

export class MinutesNotFoundError extends UserFacingError {}
export class MinutesRefusedError extends UserFacingError {}

const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v ? String(v).slice(0, 10) : '');
const minute = (v: unknown) => (v instanceof Date ? v.toISOString() : v ? String(v) : '').slice(0, 16).replace('T', ' ');

/**
 * The minutes of one meeting (or the latest), for a named member of staff:
 * refused (and the refusal audited) unless the access policy allows. The
 * audit rows of every child in them are returned, to be written once the
 * minutes are in place (write-minutes.ts): an audit says what was opened.
 */
export async function minutesFor(db: Kysely<Database>, who: { readonly workerId: string }, which: WhichMinutes, now: Date): Promise<{ readonly view: MinutesView; readonly opened: readonly AuditEntry[] }> {
  const meetingId = which.meetingId ?? (await latestMeeting(db, {}, which.window))?.meetingId;
  const meeting: MeetingRow | undefined = meetingId ? await q.meetingById(db, meetingId).executeTakeFirst() : undefined;
  if (!meeting) throw new MinutesNotFoundError(which.meetingId ? `there is no meeting "${which.meetingId}"; list them with \`npm run cli -- meeting list\`` : 'no meeting has been held yet: a chair types `meeting new` in the meeting’s chat');
  const full = await q.staffMember(db, who.workerId).executeTakeFirst();
  if (!full || !isStaffRole(full.role)) throw new MinutesRefusedError(`"${who.workerId}" is not in the staff list: say who is opening the minutes with --as <worker id>`);
  const caller: Caller = { aadObjectId: full.aad_object_id ?? '', workerId: full.worker_id, displayName: full.display_name, role: full.role, agency: full.agency, schoolId: full.school_id, areaId: full.area_id };
  const attendance = await q.attendanceOf(db, meeting.meeting_id).execute();
  const decision = decideMinutesAccess(caller, attendance.some((a) => a.worker_id === caller.workerId) || meeting.chair_worker_id === caller.workerId);
  const items = await q.itemsOfMeeting(db, meeting.meeting_id).execute();
  const actor = { aadObjectId: full.aad_object_id, workerId: full.worker_id, role: full.role };
  if (!decision.allowed) {
    await appendAccessAudit(db, [{ actor, action: 'meeting_minutes', personId: null, outcome: 'refused', basis: decision.basis, shown: 'nothing', runId: meeting.run_id, channel: 'cli' }], now);
    throw new MinutesRefusedError(`${caller.displayName} may not open the minutes of ${meeting.meeting_id}: ${decision.basis}`);
  }
  const opened = items.map((i) => ({ actor, action: 'meeting_minutes', personId: i.person_id, outcome: 'allowed' as const, basis: decision.basis, shown: `minutes of ${meeting.meeting_id}`, runId: meeting.run_id, channel: 'cli' }));
  const actions = await q.actionsOfMeeting(db, meeting.meeting_id).execute();
  const ids = [...new Set([...actions.map((a) => a.owner_worker_id), ...items.flatMap((i) => (i.recorded_by ? [i.recorded_by] : [])), ...(meeting.chair_worker_id ? [meeting.chair_worker_id] : [])])];
  const names = new Map((ids.length ? await q.staffNamesOf(db, ids).execute() : []).map((s) => [s.worker_id, s.display_name]));
  const nameOf = (w: string) => names.get(w) ?? w;
  const present = attendance.filter((a) => a.attendance === 'present');
  const agencyOf = (a: { agency: string | null }) => (a.agency ? a.agency.replace(/_/g, ' ') : 'agency not recorded');
  const agencies = [...new Set(present.map(agencyOf))].sort();
  const view: MinutesView = {
    meetingId: meeting.meeting_id,
    meetingDate: day(meeting.meeting_date),
    runId: meeting.run_id,
    status: meeting.status === 'closed' ? 'final' : 'draft (the meeting has not been closed)',
    chair: meeting.chair_worker_id ? nameOf(meeting.chair_worker_id) : null,
    attendeesByAgency: agencies.map((agency) => ({ agency, names: present.filter((a) => agencyOf(a) === agency).map((a) => a.display_name ?? a.worker_id) })),
    apologies: attendance.filter((a) => a.attendance === 'apologies').map((a) => `${a.display_name ?? a.worker_id} (${agencyOf(a)})`),
    notRecorded: attendance.filter((a) => a.attendance === 'invited').map((a) => `${a.display_name ?? a.worker_id} (${agencyOf(a)})`),
    confidentiality: MEETING_CONFIDENTIALITY,
    decisionSupport: DECISION_SUPPORT_STATEMENT,
    items: items.map((i) => ({
      number: i.position + 1,
      personId: i.person_id,
      section: SECTION_TITLES[i.section as AgendaSection] ?? i.section,
      band: (JSON.parse(i.detail) as { band?: string }).band ?? '',
      rag: i.rag,
      decision: i.decision ? (DECISION_WORDS[i.decision as Decision] ?? i.decision) : null,
      outcome: i.outcome ? (OUTCOME_WORDS[i.outcome as Outcome] ?? i.outcome) : null,
      leadAgency: i.lead_agency ? i.lead_agency.replace(/_/g, ' ') : null,
      nextReview: i.next_review ? day(i.next_review) : null,
      notes: i.notes,
      recordedBy: i.recorded_by ? nameOf(i.recorded_by) : null,
      recordedAt: i.recorded_at ? minute(i.recorded_at) : null,
      actions: actions.filter((a) => a.item_id === i.item_id).map((a) => ({ description: a.description, owner: nameOf(a.owner_worker_id), due: day(a.due_date), status: a.status })),
    })),
    producedAt: now.toISOString().slice(0, 16).replace('T', ' '),
    producedBy: `${caller.displayName} (${caller.workerId})`,
  };
  return { view, opened };
}
