import { z } from 'zod';
import { itemsOfMeeting, setAttendance } from '../../../db/repositories/meetings.js';
import type { LookupDeps, Requester } from '../lookup-deps.js';
import { headerView } from './agenda-pages.js';
import { CLOSED_NOTICE, meetingNotice, type CardOutcome } from './meeting-common.js';
import { memberOf } from './meeting-membership.js';

const attendanceData = z.object({ meetingId: z.string().min(1).max(64), attendance: z.enum(['present', 'apologies']) });

/** "I am here" / "Send apologies" on the agenda's first card. */
export async function markAttendance(deps: LookupDeps, requester: Requester, chatId: string, data: unknown): Promise<CardOutcome> {
  const parsed = attendanceData.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That button is out of date', 'Type `meeting new` in this chat to show the agenda again.') };
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_attendance');
  if ('kind' in member) return member;
  if (member.meeting.status === 'closed') return { kind: 'notice', notice: CLOSED_NOTICE(member.meeting) };
  await setAttendance(deps.db, parsed.data.meetingId, member.caller.workerId, member.caller.agency, parsed.data.attendance);
  const items = await itemsOfMeeting(deps.db, member.meeting.meetingId);
  return { kind: 'header', view: await headerView(deps, member.meeting, items), activityId: member.meeting.headerActivityId };
}
