import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import { createMeeting, findArea, inviteToMeeting, MeetingDateOutsideWindowError, setMeetingChat, staffAreaOf, type Area } from '../../../db/repositories/meetings.js';
import { plainText } from '../../../cards/plain-text.js';
import { GROUP_CHAT_VIEW, reasonsForReader } from '../../../domain/access-policy.js';
import type { MeetingHeaderView, MeetingPageView } from '../../../cards/meeting-card.js';
import { actorOf, today, unknownCallerBasis, type LookupDeps, type Requester } from '../lookup-deps.js';
import { mentionThen, notices, type Notice } from '../notices.js';
import { resolveCaller } from '../resolve-caller.js';
import { headerView, pageView } from './agenda-pages.js';
import { meetingNotice, pageCount, pageOf, refuse, validDay, type MeetingChat } from './meeting-common.js';
import type { RosterMember, RosterRead } from '../chat-roster.js';
import { checkRoster } from './meeting-membership.js';

export type AgendaOutcome =
  | { readonly kind: 'notice'; readonly notice: Notice }
  | { readonly kind: 'agenda'; readonly meetingId: string; readonly created: boolean; readonly drawnAt: string; readonly chairWorkerId: string; readonly header: MeetingHeaderView; readonly pages: readonly { readonly view: MeetingPageView; readonly itemIds: readonly string[] }[] };

/**
 * `meeting new [date]` from a chair in the meeting's group chat: every chat
 * member must be registered staff with a meeting role before any child is
 * named (domain/access-policy decides); then the agenda is drawn (or the
 * one already drawn for that date is shown again) and each child shown is
 * audited against the chat. The meeting is one area's: the chair's, or, for
 * a force-wide chair, the area they name (`meeting new 2026-01-28 Somerset`).
 */
export async function drawAgenda(deps: LookupDeps, requester: Requester, chat: MeetingChat, roster: RosterRead, dateArg: string): Promise<AgendaOutcome> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return refuse(deps, requester, null, 'meeting_agenda', notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester));
  if (caller.role !== 'chair') return refuse(deps, requester, caller, 'meeting_agenda', meetingNotice('Only a meeting chair can draw the agenda', `Ask the chair of the victim-list meeting to ${mentionThen('meeting new')} in the meeting’s chat.`), `${caller.role} may not draw an agenda`);
  if (chat.type === 'personal') return refuse(deps, requester, caller, 'meeting_agenda', meetingNotice('Use the meeting’s chat', `In the group chat (or channel) where the meeting is held, with the app added, ${mentionThen('meeting new')}, so the agenda goes to its members.`), 'asked in a personal chat');
  // `meeting new [date] [area]`: a first word that looks like a date is the date; the rest names the area.
  const words = dateArg.trim().split(/\s+/).filter(Boolean);
  const dated = words.length > 0 && /^\d/.test(words[0]);
  const date = dated ? words[0] : today(deps);
  const areaWords = (dated ? words.slice(1) : words).join(' ');
  // The chair's text is echoed as plain text: it is shown in the chat as typed, never as Markdown.
  if (!validDay(date)) return { kind: 'notice', notice: meetingNotice('Which date?', `“${plainText(words[0].slice(0, 40))}” is not a date. ${mentionThen('meeting new')} for today, or \`meeting new 2026-12-14\`.`) };
  const area = await meetingArea(deps, caller.workerId, areaWords);
  if ('notice' in area) return refuse(deps, requester, caller, 'meeting_agenda', area.notice, area.basis);
  if (!Array.isArray(roster) || roster.length === 0) {
    const why = Array.isArray(roster) ? 'Teams listed no members' : `reading it failed: ${(roster as { error: string }).error}`;
    return refuse(deps, requester, caller, 'meeting_agenda', meetingNotice('I could not read who is in this chat', 'The agenda names children, so I show it only after checking every member of the chat. Teams did not give me the list of members; try again in a minute. No child was named.', 'attention'), `the chat roster could not be read (${why})`);
  }
  const decision = await checkRoster(deps, roster as readonly RosterMember[], area);
  if (!decision.allowed) {
    return refuse(
      deps,
      requester,
      caller,
      'meeting_agenda',
      meetingNotice('I cannot show the agenda in this chat', `Everything posted here is seen by every member, so the agenda names children only when every member is registered staff with a meeting role, working for ${area.name} or every area. Not so here: ${decision.blockers.map(plainText).join('; ')}. Remove them from the chat, or ask your Think Family administrator to register them, then ${mentionThen('meeting new')} again. No child was named.`, 'attention'),
      decision.basis,
    );
  }
  let drawn: Awaited<ReturnType<typeof createMeeting>>;
  try {
    drawn = await createMeeting(deps.db, { meetingDate: date, areaId: area.areaId, createdBy: caller.workerId, chairWorkerId: caller.workerId, conversationId: chat.id, now: deps.now(), window: deps.meetingDates });
  } catch (error) {
    if (error instanceof MeetingDateOutsideWindowError) return { kind: 'notice', notice: meetingNotice('Which date?', `No agenda for ${date}: ${error.reason}. ${mentionThen('meeting new')} for today, or a date in that range.`) };
    throw error;
  }
  if (drawn.meeting.conversationId && drawn.meeting.conversationId !== chat.id) {
    return refuse(deps, requester, caller, 'meeting_agenda', meetingNotice('This meeting is held in another chat', `The agenda of ${area.name}’s meeting on ${date} was posted in another chat; its cards and minutes stay there.`), `meeting ${drawn.meeting.meetingId} belongs to another chat`);
  }
  if (!drawn.meeting.conversationId) await setMeetingChat(deps.db, drawn.meeting.meetingId, chat.id);
  // Every member is invited; an earlier "present" or "apologies" is kept. A closed meeting's minutes are final: nobody joins them.
  if (drawn.meeting.status !== 'closed') await inviteToMeeting(deps.db, drawn.meeting.meetingId, decision.staff);
  const meeting = { ...drawn.meeting, conversationId: chat.id };
  const items = drawn.items;
  await appendAccessAudit(
    deps.db,
    items.map((i) => ({
      actor: actorOf(requester, caller),
      action: 'meeting_agenda',
      personId: i.personId,
      outcome: 'allowed' as const,
      basis: `on the agenda of ${meeting.meetingId}; ${decision.basis}`,
      shown: [`band ${i.agenda.band}`, ...reasonsForReader(GROUP_CHAT_VIEW, i.agenda.reasonItems).shownCodes].join('; '),
      runId: meeting.runId,
      channel: requester.channel,
    })),
    deps.now(),
  );
  const pages = pageCount(items.length);
  const views = [];
  for (let p = 1; p <= pages; p++) {
    const slice = pageOf(items, p);
    views.push({ view: await pageView(deps, meeting, slice, p, pages), itemIds: slice.map((i) => i.itemId) });
  }
  return { kind: 'agenda', meetingId: meeting.meetingId, created: drawn.created, drawnAt: meeting.createdAt, chairWorkerId: caller.workerId, header: await headerView(deps, meeting, items), pages: views };
}

/**
 * The area a chair's meeting is for: a chair who works for one area holds
 * that area's meeting; a force-wide chair names the area (by id or name),
 * unless the partnership has only one.
 */
async function meetingArea(deps: LookupDeps, chairWorkerId: string, words: string): Promise<Area | { readonly notice: Notice; readonly basis: string }> {
  const own = await staffAreaOf(deps.db, chairWorkerId);
  const { found, all } = await findArea(deps.db, words);
  if (own !== null) {
    const name = all.find((a) => a.areaId === own)?.name ?? own;
    if (words && found?.areaId !== own) return { notice: meetingNotice(`You chair ${name}’s meeting`, `Your staff record says you work for ${name}, so your meeting’s agenda holds ${name}’s children only. ${mentionThen('meeting new')} with a date and no area. No child was named.`), basis: `chair of ${own} asked for the area “${words.slice(0, 60)}”` };
    return { areaId: own, name };
  }
  if (found) return found;
  if (!words && all.length === 1) return all[0];
  return {
    notice: meetingNotice('Which area’s meeting?', `You work for every area, so name the area whose children the agenda holds, e.g. \`meeting new 2026-12-14 ${all[0]?.name ?? 'Somerset'}\`.${words ? ` “${plainText(words.slice(0, 60))}” is not an area.` : ''} Areas: ${all.map((a) => `${a.name} (${a.areaId})`).join(', ')}. No child was named.`),
    basis: words ? `force-wide chair named an unknown area “${words.slice(0, 60)}”` : 'force-wide chair named no area',
  };
}
