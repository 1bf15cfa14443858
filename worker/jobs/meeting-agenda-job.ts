import type { TfdDb } from '../../db/database.js';
import { createMeeting, latestMeetingChat, latestMeetingInChat, MeetingDateOutsideWindowError, staffAreaOf } from '../../db/repositories/meetings.js';
import { agendaDueOn, type MeetingSchedule } from '../../domain/meeting.js';
import type { AlertSender } from '../../domain/alert-delivery.js';
import { runUpdateRequests } from './meeting-update-jobs.js';
import type { TeamsPace } from '../redis/teams-pace.js';
import { whenTeamsAllows } from './teams-pacing.js';

export const MEETING_AGENDA = 'meeting-agenda';

export type ScheduledAgenda =
  | { readonly drawn: false; readonly why: string }
  | { readonly drawn: true; readonly meetingId: string; readonly children: number; readonly asked: number; readonly held: number; readonly chatTold: boolean };

/**
 * On the day the schedule says (`daysBefore` each meeting), draws the
 * agenda from the latest published run for the chat the meeting is held in
 * and its chair, asks lead professionals for updates, and tells the chat the
 * agenda is ready, naming no child: the chair's `meeting new` shows it after
 * the roster check. A day with nothing due, or an agenda already drawn,
 * changes nothing.
 */
export async function runScheduledAgenda(deps: { readonly db: TfdDb; readonly sender: AlertSender; readonly now?: () => Date; readonly pace?: TeamsPace }, schedule: MeetingSchedule, today?: string): Promise<ScheduledAgenda> {
  const now = deps.now ?? (() => new Date());
  const date = agendaDueOn(schedule, today ?? now().toISOString().slice(0, 10));
  if (!date) return { drawn: false, why: 'no meeting is due on this day' };
  const chat = await latestMeetingChat(deps.db);
  if (!chat) return { drawn: false, why: 'no chair has drawn an agenda in a meeting chat yet (@mention the app there and type `meeting new` once)' };
  // The chat's place in Teams' limits is taken before anything is drawn, so a job sent back to wait has changed nothing.
  if (deps.sender.notifyChat) await whenTeamsAllows(deps.pace, chat.tenantId, chat.conversationId);
  // The chat's area: its chair's, or (a force-wide chair) the area of the last meeting held there.
  const chairArea = await staffAreaOf(deps.db, chat.chairWorkerId);
  const areaId = chairArea ?? (await latestMeetingInChat(deps.db, chat.conversationId))?.areaId ?? null;
  if (!areaId) return { drawn: false, why: `no area is known for the meeting chat ${chat.conversationId} (its chair works for every area and no meeting of an area was held there yet)` };
  // A schedule running past the window around the latest run (no new data for months) draws nothing, every day, and says why.
  const drawn = await createMeeting(deps.db, { meetingDate: date, areaId, createdBy: 'scheduled agenda', chairWorkerId: chat.chairWorkerId, conversationId: chat.conversationId, now: now() }).catch((error: unknown) => {
    if (error instanceof MeetingDateOutsideWindowError) return { why: error.message };
    throw error;
  });
  if ('why' in drawn) return { drawn: false, why: drawn.why };
  if (!drawn.created) {
    // A retried job (an ask that had to wait for Teams, or failed) finishes the asks; those already made are not repeated.
    if (drawn.meeting.createdBy === 'scheduled agenda') await runUpdateRequests(deps, drawn.meeting.meetingId);
    return { drawn: false, why: `the agenda of ${drawn.meeting.meetingId} was already drawn` };
  }
  let chatTold = false;
  if (deps.sender.notifyChat) {
    await deps.sender.notifyChat(chat.reference, `The agenda for the victim-list meeting on ${date} is drawn: ${drawn.items.length} children. Lead professionals are being asked for updates. The chair @mentions the app here and types “meeting new ${date}${chairArea === null ? ` ${areaId}` : ''}” to show it (after checking who is in this chat).`);
    chatTold = true;
  }
  const { asked, held } = await runUpdateRequests(deps, drawn.meeting.meetingId);
  return { drawn: true, meetingId: drawn.meeting.meetingId, children: drawn.items.length, asked, held, chatTold };
}
