import { actionsOfMeeting, actionStatuses, answeredUpdatesOf, attendanceOf, staffByWorkerIds, staffNames, topazMarkersOn } from '../../../db/repositories/meetings.js';
import { GROUP_CHAT_VIEW, involvementForReader, isPoliceAuthor, reasonsForReader, seesPoliceOnly, updateForReader } from '../../../domain/access-policy.js';
import { AGENDA_SECTIONS, DECISION_WORDS, type AgendaSection } from '../../../domain/meeting.js';
import type { Attendee, Meeting, MeetingItem } from '../../../domain/meeting-record.js';
import type { StaffRole } from '../../../domain/roles.js';
import type { MeetingHeaderView, MeetingItemView, MeetingPageView } from '../../../cards/meeting-card.js';
import { isoMinute, type LookupDeps } from '../lookup-deps.js';
import { agencyWords, pageCount } from './meeting-common.js';

const named = (a: Attendee) => `${a.displayName ?? a.workerId}${a.agency ? ` (${agencyWords(a.agency)})` : ''}`;

/** The agenda's first card: counts per section and who came. */
export async function headerView(deps: LookupDeps, meeting: Meeting, items: readonly MeetingItem[]): Promise<MeetingHeaderView> {
  const counts = Object.fromEntries(AGENDA_SECTIONS.map((s) => [s, items.filter((i) => i.section === s).length])) as Record<AgendaSection, number>;
  const attendance = await attendanceOf(deps.db, meeting.meetingId);
  const chair = meeting.chairWorkerId ? ((await staffNames(deps.db, [meeting.chairWorkerId])).get(meeting.chairWorkerId) ?? meeting.chairWorkerId) : null;
  return {
    meetingId: meeting.meetingId,
    meetingDate: meeting.meetingDate,
    runId: meeting.runId,
    chair,
    counts,
    pages: pageCount(items.length),
    present: attendance.filter((a) => a.attendance === 'present').map(named),
    apologies: attendance.filter((a) => a.attendance === 'apologies').map(named),
  };
}

/** One agenda card as the chat may see it: the group-chat view of reasons and involvements (police-only facts neutralised). */
export async function pageView(deps: LookupDeps, meeting: Meeting, items: readonly MeetingItem[], page: number, pages: number, banner?: string, reader: StaffRole = GROUP_CHAT_VIEW): Promise<MeetingPageView> {
  const attendance = await attendanceOf(deps.db, meeting.meetingId);
  const actions = await actionsOfMeeting(deps.db, meeting.meetingId);
  const names = await staffNames(deps.db, [...actions.map((a) => a.ownerWorkerId), ...items.flatMap((i) => (i.recording ? [i.recording.by] : [])), ...items.flatMap((i) => i.agenda.lastDecision?.openActions.map((a) => a.owner) ?? [])]);
  const nameOf = (w: string) => names.get(w) ?? w;
  const updates = await answeredUpdatesOf(deps.db, items.map((i) => i.itemId));
  // Who asked for a review: a police requester reads to partners as the police, unnamed.
  const requesters = await staffByWorkerIds(deps.db, items.flatMap((i) => i.agenda.requestedBy.flatMap((r) => (r.byWorkerId ? [r.byWorkerId] : []))));
  const requesterOf = (r: { by: string; byWorkerId?: string }) => {
    const s = r.byWorkerId ? requesters.get(r.byWorkerId) : undefined;
    return s && !seesPoliceOnly(reader) && isPoliceAuthor({ agency: s.agency, authorRole: s.role }) ? 'the police (through the exploitation team)' : r.by;
  };
  // Police roles, privately: the active Topaz markers on the meeting date too.
  const police = new Map<string, string[]>();
  if (seesPoliceOnly(reader)) {
    for (const item of items) {
      const markers = await topazMarkersOn(deps.db, item.personId, meeting.meetingDate);
      if (markers.length) police.set(item.personId, markers.map((m) => `Op Topaz ${m.marker} marker since ${m.startDate}${m.note ? `: ${m.note}` : ''}`));
    }
  }
  // Carried actions as they stand now (the agenda kept them as they were when it was drawn).
  const currentStatus = await actionStatuses(deps.db, items.flatMap((i) => i.agenda.lastDecision?.openActions.map((a) => a.actionId) ?? []));
  const views: MeetingItemView[] = items.map((row) => {
    const item = row.agenda;
    const last = item.lastDecision;
    const rec = row.recording;
    return {
      itemId: row.itemId,
      personId: row.personId,
      number: row.position + 1,
      section: row.section,
      version: row.version,
      band: item.band,
      chanceIn100: item.chanceIn100,
      trend: item.trend.length ? item.trend.map((t) => `${Math.round(t.finalScore)} (${t.band})`).join(' → ') : 'first run',
      reasonLines: [...reasonsForReader(reader, item.reasonItems).lines, ...(police.get(row.personId) ?? [])],
      agencies: item.involvements.map((i) => involvementForReader(reader, i)).map((i) => [agencyWords(i.agency), i.role, i.worker].filter(Boolean).join(': ')),
      lastDecision: last ? `${last.meetingDate}: ${last.decision ? DECISION_WORDS[last.decision] : 'no decision recorded'}${last.rag ? `; RAG ${last.rag}` : ''}${last.leadAgency ? `; lead ${agencyWords(last.leadAgency)}` : ''}` : null,
      carriedActions: last?.openActions.map((a) => ({ actionId: a.actionId, text: `${a.description} (${nameOf(a.owner)}, due ${a.due}, ${currentStatus.get(a.actionId) ?? a.status})` })) ?? [],
      requestedBy: item.requestedBy.map((r) => `${requesterOf(r)} (${isoMinute(r.at)})`),
      recorded: rec ? { rag: rec.rag, decision: rec.decision, outcome: rec.outcome, leadAgency: rec.leadAgency, nextReview: rec.nextReview, notes: rec.notes, by: nameOf(rec.by), at: isoMinute(rec.at) } : null,
      actions: actions.filter((a) => a.itemId === row.itemId).map((a) => `${a.description} (${nameOf(a.ownerWorkerId)}, due ${a.dueDate}, ${a.status})`),
      // A police author's update: named, and read at all, by the reader's view (domain/access-policy).
      updates: updates
        .filter((u) => u.itemId === row.itemId)
        .flatMap((u) => updateForReader(reader, { author: u.displayName ?? u.workerId, agency: u.agency, authorRole: u.role, at: isoMinute(u.answeredAt), text: u.text, shareable: u.shareable }) ?? []),
    };
  });
  const present = attendance.filter((a) => a.attendance !== 'apologies');
  const agencies = [...new Set([...present.flatMap((a) => (a.agency ? [a.agency] : [])), ...items.flatMap((row) => row.agenda.involvements.map((i) => i.agency))])].sort();
  return {
    meetingId: meeting.meetingId,
    meetingDate: meeting.meetingDate,
    page,
    pages,
    items: views,
    owners: present.map((a) => ({ workerId: a.workerId, name: named(a) })),
    agencies,
    ...(banner ? { banner } : {}),
  };
}
