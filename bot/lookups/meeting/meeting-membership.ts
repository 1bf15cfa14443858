import { attendanceOf, meetingById } from '../../../db/repositories/meetings.js';
import { decideMeetingDisclosure } from '../../../domain/access-policy.js';
import { MEETING_ROLES } from '../../../domain/meeting.js';
import type { Meeting, StaffMember } from '../../../domain/meeting-record.js';
import type { Caller } from '../../../domain/roles.js';
import { matchRoster, type RosterMember } from '../chat-roster.js';
import { unknownCallerBasis, type LookupDeps, type Requester } from '../lookup-deps.js';
import { notices, type Notice } from '../notices.js';
import { resolveCaller } from '../resolve-caller.js';
import { meetingNotice, refuse } from './meeting-common.js';

export interface RosterCheck {
  readonly allowed: boolean;
  readonly basis: string;
  readonly blockers: readonly string[];
  /** The chat's members who are registered staff. */
  readonly staff: readonly StaffMember[];
}

/** Matches the chat's members against the staff list; domain/access-policy decides whether children may be named there. */
export async function checkRoster(deps: LookupDeps, members: readonly RosterMember[]): Promise<RosterCheck> {
  const matched = await matchRoster(deps.db, members);
  const decision = decideMeetingDisclosure(matched.map((m) => ({ name: m.name, role: m.role })));
  return { ...decision, staff: matched.flatMap((m) => (m.staff ? [m.staff] : [])) };
}

/** The caller, if they may act on this meeting from this chat (a meeting role, invited, in the meeting's own chat). */
export async function memberOf(deps: LookupDeps, requester: Requester, chatId: string, meetingId: string, action: string): Promise<{ caller: Caller; meeting: Meeting } | { kind: 'notice'; notice: Notice }> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return refuse(deps, requester, null, action, notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester));
  const meeting = await meetingById(deps.db, meetingId);
  if (!meeting || meeting.conversationId !== chatId) return refuse(deps, requester, caller, action, meetingNotice('Not this chat’s meeting', 'This card belongs to a meeting held in another chat.'), `meeting ${meetingId} is not held in this chat`);
  const invited = (await attendanceOf(deps.db, meetingId)).some((a) => a.workerId === caller.workerId);
  if (!MEETING_ROLES.has(caller.role) || !invited) return refuse(deps, requester, caller, action, meetingNotice('Not a member of this meeting', 'Only the meeting’s members (staff with a meeting role in the chat when the agenda was drawn) can record here.'), `${caller.workerId} is not a member of ${meetingId}`);
  return { caller, meeting };
}
