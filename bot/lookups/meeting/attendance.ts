import { itemsOfMeeting, setAttendance } from '../../../db/repositories/meetings.js';
import type { LookupDeps, Requester } from '../lookup-deps.js';
import { headerView } from './agenda-pages.js';
import { CLOSED_NOTICE, meetingNotice, type CardOutcome } from './meeting-common.js';
import { chatStillAllows, memberOf } from './meeting-membership.js';
import { mentionThen } from '../notices.js';
import type { RosterRead } from '../chat-roster.js';
import { attendancePayload } from '../../../domain/meeting-forms.js';


/** "I am here" / "Send apologies" on the agenda's first card (it replaces the chat's card: the roster is checked again first). */
export async function markAttendance(deps: LookupDeps, requester: Requester, chatId: string, data: unknown, roster: RosterRead): Promise<CardOutcome> {
  const parsed = attendancePayload.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That button is out of date', `${mentionThen('meeting new')} in this chat to show the agenda again.`) };
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_attendance');
  if ('kind' in member) return member;
  const chat = await chatStillAllows(deps, requester, member.caller, member.meeting, roster, 'meeting_attendance');
  if ('kind' in chat) return chat;
  // Closed: the first card comes back as it stands, to the presser alone, saying nothing was recorded.
  if (member.meeting.status === 'closed') {
    const view = await headerView(deps, member.meeting, await itemsOfMeeting(deps.db, member.meeting.meetingId));
    return { kind: 'header', view: { ...view, banner: `Your attendance was not recorded: ${CLOSED_NOTICE(member.meeting).text}` }, activityId: null };
  }
  // The id of the meeting found, never the card's own text.
  await setAttendance(deps.db, member.meeting.meetingId, member.caller.workerId, member.caller.agency, parsed.data.attendance);
  const items = await itemsOfMeeting(deps.db, member.meeting.meetingId);
  return { kind: 'header', view: await headerView(deps, member.meeting, items), activityId: member.meeting.headerActivityId };
}
