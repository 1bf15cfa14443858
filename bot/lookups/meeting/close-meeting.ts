import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import { closeMeeting, itemsOfMeeting, latestMeeting, reopenMeeting } from '../../../db/repositories/meetings.js';
import type { Meeting } from '../../../domain/meeting-record.js';
import type { Caller } from '../../../domain/roles.js';
import { actorOf, unknownCallerBasis, type LookupDeps, type Requester } from '../lookup-deps.js';
import { mentionThen, notices, type Notice } from '../notices.js';
import { resolveCaller } from '../resolve-caller.js';
import { CLOSED_NOTICE, meetingNotice, refuse } from './meeting-common.js';

type ChairCheck = { readonly caller: Caller; readonly meeting: Meeting } | { readonly notice: Notice };

/**
 * The latest meeting held in this chat, if the caller is its own chair (the
 * chair who drew it, or the one it was handed to): another chair in the chat
 * may not close or reopen it.
 */
async function asMeetingChair(deps: LookupDeps, requester: Requester, chatId: string, action: string, verb: string): Promise<ChairCheck> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return refuse(deps, requester, null, action, notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester));
  const meeting = await latestMeeting(deps.db, { conversationId: chatId }, deps.meetingDates);
  if (!meeting) return { notice: meetingNotice('No meeting in this chat', `${mentionThen('meeting new')} to draw an agenda first.`) };
  if (meeting.chairWorkerId !== caller.workerId) {
    return refuse(deps, requester, caller, action, meetingNotice(`Only this meeting’s chair can ${verb} it`, `The meeting of ${meeting.meetingDate} is chaired by its own chair; ask them to ${mentionThen(`meeting ${verb}`)} here. Nothing was changed.`), `${caller.workerId} (${caller.role}) is not the chair of ${meeting.meetingId}`);
  }
  return { caller, meeting };
}

/**
 * `meeting close` from the meeting's own chair in its chat: the latest
 * meeting held there stops taking recordings, attendance and updates, and its
 * minutes become final. Audited.
 */
export async function closeMeetingInChat(deps: LookupDeps, requester: Requester, chatId: string): Promise<Notice> {
  const checked = await asMeetingChair(deps, requester, chatId, 'meeting_close', 'close');
  if ('notice' in checked) return checked.notice;
  const { caller, meeting } = checked;
  if (meeting.status === 'closed') return CLOSED_NOTICE(meeting);
  await closeMeeting(deps.db, meeting.meetingId);
  const items = await itemsOfMeeting(deps.db, meeting.meetingId);
  const decided = items.filter((i) => i.recording?.decision).length;
  await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'meeting_close', personId: null, outcome: 'processed', basis: `chair of ${meeting.meetingId}`, shown: `${decided} of ${items.length} items decided`, runId: meeting.runId, channel: requester.channel }], deps.now());
  return meetingNotice(
    `The meeting of ${meeting.meetingDate} is closed`,
    `${decided} of ${items.length} children have a recorded decision. The minutes are final: ask your Think Family administrator or analyst for them (meeting ${meeting.meetingId}). Open actions are carried to the next meeting. To correct a recording, ${mentionThen('meeting reopen')}.`,
  );
}

/**
 * `meeting reopen` from the meeting's own chair: a closed meeting takes
 * recordings again (its minutes are a draft until it is closed again).
 * Audited, so a change after the close is never silent.
 */
export async function reopenMeetingInChat(deps: LookupDeps, requester: Requester, chatId: string): Promise<Notice> {
  const checked = await asMeetingChair(deps, requester, chatId, 'meeting_reopen', 'reopen');
  if ('notice' in checked) return checked.notice;
  const { caller, meeting } = checked;
  if (meeting.status !== 'closed') return meetingNotice(`The meeting of ${meeting.meetingDate} is open`, `It is taking recordings; ${mentionThen('meeting close')} when it ends.`);
  await reopenMeeting(deps.db, meeting.meetingId);
  await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'meeting_reopen', personId: null, outcome: 'processed', basis: `chair of ${meeting.meetingId}`, shown: 'meeting reopened: its minutes are a draft again', runId: meeting.runId, channel: requester.channel }], deps.now());
  return meetingNotice(`The meeting of ${meeting.meetingDate} is open again`, `Its cards take recordings and attendance again, and its minutes are a draft until you ${mentionThen('meeting close')}. Reopening was written to the access audit.`);
}
