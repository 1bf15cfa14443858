import type { TfdDb } from '../../db/database.js';
import { appendAccessAudit, type AuditEntry } from '../../db/repositories/access-audit.js';
import { actionsOfMeeting, attendanceOf, itemsOfMeeting, latestMeeting, meetingById, staffNames } from '../../db/repositories/meetings.js';
import { staffByWorkerId } from '../../db/repositories/staff.js';
import type { Meeting } from '../../domain/meeting-record.js';
import type { MeetingDateWindow } from '../../domain/meeting-dates.js';
import { decideMinutesAccess } from '../../domain/access-policy.js';
import { DECISION_WORDS, MEETING_CONFIDENTIALITY, OUTCOME_WORDS, SECTION_TITLES, type AgendaSection, type Decision, type Outcome, type RecordedOutcome } from '../../domain/meeting.js';
import { DECISION_SUPPORT_STATEMENT } from '../../domain/decision-support.js';
import { UserFacingError } from '../../domain/errors.js';

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

/** A stored moment (`YYYY-MM-DDTHH:MM:SS`) to the minute, as the minutes print it. */
const minute = (at: string) => at.slice(0, 16).replace('T', ' ');

/**
 * The minutes of one meeting (or the latest), for a named member of staff:
 * refused (and the refusal audited) unless the access policy allows. The
 * audit rows of every child in them are returned, to be written once the
 * minutes are in place (write-minutes.ts): an audit says what was opened.
 */
export async function minutesFor(db: TfdDb, who: { readonly workerId: string }, which: WhichMinutes, now: Date): Promise<{ readonly view: MinutesView; readonly opened: readonly AuditEntry[] }> {
  const meetingId = which.meetingId ?? (await latestMeeting(db, {}, which.window))?.meetingId;
  const meeting: Meeting | undefined = meetingId ? await meetingById(db, meetingId) : undefined;
  if (!meeting) throw new MinutesNotFoundError(which.meetingId ? `there is no meeting "${which.meetingId}"; list them with \`npm run cli -- meeting list\`` : 'no meeting has been held yet: a chair types `meeting new` in the meeting’s chat');
  const caller = await staffByWorkerId(db, who.workerId);
  if (!caller) throw new MinutesRefusedError(`"${who.workerId}" is not in the staff list: say who is opening the minutes with --as <worker id>`);
  const attendance = await attendanceOf(db, meeting.meetingId);
  const decision = decideMinutesAccess(caller, attendance.some((a) => a.workerId === caller.workerId) || meeting.chairWorkerId === caller.workerId);
  const items = await itemsOfMeeting(db, meeting.meetingId);
  const actor = { aadObjectId: caller.entraId, workerId: caller.workerId, role: caller.role };
  if (!decision.allowed) {
    await appendAccessAudit(db, [{ actor, action: 'meeting_minutes', personId: null, outcome: 'refused', basis: decision.basis, shown: 'nothing', runId: meeting.runId, channel: 'cli' }], now);
    throw new MinutesRefusedError(`${caller.displayName} may not open the minutes of ${meeting.meetingId}: ${decision.basis}`);
  }
  const opened = items.map((i) => ({ actor, action: 'meeting_minutes', personId: i.personId, outcome: 'allowed' as const, basis: decision.basis, shown: `minutes of ${meeting.meetingId}`, runId: meeting.runId, channel: 'cli' }));
  const actions = await actionsOfMeeting(db, meeting.meetingId);
  const names = await staffNames(db, [...actions.map((a) => a.ownerWorkerId), ...items.flatMap((i) => (i.recording ? [i.recording.by] : [])), ...(meeting.chairWorkerId ? [meeting.chairWorkerId] : [])]);
  const nameOf = (w: string) => names.get(w) ?? w;
  const present = attendance.filter((a) => a.attendance === 'present');
  const agencyOf = (a: { agency: string | null }) => (a.agency ? a.agency.replace(/_/g, ' ') : 'agency not recorded');
  const agencies = [...new Set(present.map(agencyOf))].sort();
  const view: MinutesView = {
    meetingId: meeting.meetingId,
    meetingDate: meeting.meetingDate,
    runId: meeting.runId,
    status: meeting.status === 'closed' ? 'final' : 'draft (the meeting has not been closed)',
    chair: meeting.chairWorkerId ? nameOf(meeting.chairWorkerId) : null,
    attendeesByAgency: agencies.map((agency) => ({ agency, names: present.filter((a) => agencyOf(a) === agency).map((a) => a.displayName ?? a.workerId) })),
    apologies: attendance.filter((a) => a.attendance === 'apologies').map((a) => `${a.displayName ?? a.workerId} (${agencyOf(a)})`),
    notRecorded: attendance.filter((a) => a.attendance === 'invited').map((a) => `${a.displayName ?? a.workerId} (${agencyOf(a)})`),
    confidentiality: MEETING_CONFIDENTIALITY,
    decisionSupport: DECISION_SUPPORT_STATEMENT,
    items: items.map((i) => {
      const r = i.recording;
      return {
        number: i.position + 1,
        personId: i.personId,
        section: SECTION_TITLES[i.section as AgendaSection] ?? i.section,
        band: i.agenda.band,
        rag: r?.rag ?? null,
        decision: r?.decision ? (DECISION_WORDS[r.decision as Decision] ?? r.decision) : null,
        outcome: r?.outcome ? (OUTCOME_WORDS[r.outcome as Outcome] ?? r.outcome) : null,
        leadAgency: r?.leadAgency ? r.leadAgency.replace(/_/g, ' ') : null,
        nextReview: r?.nextReview ?? null,
        notes: r?.notes ?? null,
        recordedBy: r ? nameOf(r.by) : null,
        recordedAt: r?.at ? minute(r.at) : null,
        actions: actions.filter((a) => a.itemId === i.itemId).map((a) => ({ description: a.description, owner: nameOf(a.ownerWorkerId), due: a.dueDate, status: a.status })),
      };
    }),
    producedAt: now.toISOString().slice(0, 16).replace('T', ' '),
    producedBy: `${caller.displayName} (${caller.workerId})`,
  };
  return { view, opened };
}
