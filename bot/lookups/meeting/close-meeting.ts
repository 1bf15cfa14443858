import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import { closeMeeting, itemsOfMeeting, latestMeetingInChat } from '../../../db/repositories/meetings.js';
import { actorOf, unknownCallerBasis, type LookupDeps, type Requester } from '../lookup-deps.js';
import { notices, type Notice } from '../notices.js';
import { resolveCaller } from '../resolve-caller.js';
import { CLOSED_NOTICE, meetingNotice, refuse } from './meeting-common.js';

/**
 * `meeting close` from the chair in the meeting's chat: the latest meeting
 * held there stops taking recordings and its minutes become final. Audited.
 */
export async function closeMeetingInChat(deps: LookupDeps, requester: Requester, chatId: string): Promise<Notice> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return (await refuse(deps, requester, null, 'meeting_close', notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester))).notice;
  if (caller.role !== 'chair') return (await refuse(deps, requester, caller, 'meeting_close', meetingNotice('Only a meeting chair can close the meeting', 'Ask the chair to type `meeting close` when the meeting ends.'), `${caller.role} may not close a meeting`)).notice;
  const meeting = await latestMeetingInChat(deps.db, chatId);
  if (!meeting) return meetingNotice('No meeting in this chat', 'Type `meeting new` to draw an agenda first.');
  if (meeting.status === 'closed') return CLOSED_NOTICE(meeting);
  await closeMeeting(deps.db, meeting.meetingId);
  const items = await itemsOfMeeting(deps.db, meeting.meetingId);
  const decided = items.filter((i) => i.recording?.decision).length;
  await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'meeting_close', personId: null, outcome: 'processed', basis: `chair of ${meeting.meetingId}`, shown: `${decided} of ${items.length} items decided`, runId: meeting.runId, channel: requester.channel }], deps.now());
  return meetingNotice(`The meeting of ${meeting.meetingDate} is closed`, `${decided} of ${items.length} children have a recorded decision. The minutes are final: \`npm run cli -- meeting minutes --meeting ${meeting.meetingId} --as <worker id> --out minutes/\`. Open actions are carried to the next meeting.`);
}
