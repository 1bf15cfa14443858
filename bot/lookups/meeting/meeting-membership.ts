import { plainText } from '../../../cards/plain-text.js';
import { attendanceOf, findArea, meetingById } from '../../../db/repositories/meetings.js';
import { decideMeetingDisclosure } from '../../../domain/access-policy.js';
import { MEETING_ROLES } from '../../../domain/meeting.js';
import type { Meeting, StaffMember } from '../../../domain/meeting-record.js';
import type { Caller } from '../../../domain/roles.js';
import { matchRoster, type RosterMember, type RosterRead } from '../chat-roster.js';
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
export async function checkRoster(deps: LookupDeps, members: readonly RosterMember[], area: { readonly areaId: string; readonly name: string } | undefined): Promise<RosterCheck> {
  const matched = await matchRoster(deps.db, members);
  const decision = decideMeetingDisclosure(matched.map((m) => ({ name: m.name, role: m.role, areaId: m.staff?.areaId ?? null })), area);
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

/**
 * Before a card with children replaces the chat's card or is answered to it:
 * the chat's members are checked again (a guest added after the agenda was
 * posted would read it). The roster is the bot's cached read (60 s, forgotten
 * on a member change). Refused: a notice naming no child, audited.
 */
export async function chatStillAllows(deps: LookupDeps, requester: Requester, caller: Caller, meeting: Meeting, roster: RosterRead, action: string): Promise<{ readonly members: readonly string[]; readonly basis: string } | { kind: 'notice'; notice: Notice }> {
  const area = meeting.areaId ? { areaId: meeting.areaId, name: (await findArea(deps.db, meeting.areaId)).found?.name ?? meeting.areaId } : undefined;
  const decision = Array.isArray(roster) && roster.length ? await checkRoster(deps, roster as readonly RosterMember[], area) : { allowed: false, basis: `the chat roster could not be read (${Array.isArray(roster) ? 'Teams listed no members' : (roster as { error: string }).error})`, blockers: ['I could not read who is in this chat'] };
  if (decision.allowed) return { members: (roster as readonly RosterMember[]).map((m) => m.name), basis: decision.basis };
  return refuse(
    deps,
    requester,
    caller,
    action,
    meetingNotice('The agenda is not shown in this chat now', `Everything posted here is seen by every member, and this chat has changed since the agenda was posted: ${decision.blockers.map(plainText).join('; ')}. Nothing was saved or shown, and the chat’s cards were not changed. Remove them from the chat (or ask your Think Family administrator to register them) and try again.`, 'attention'),
    `roster checked again before showing ${meeting.meetingId}: ${decision.basis}`,
  );
}
