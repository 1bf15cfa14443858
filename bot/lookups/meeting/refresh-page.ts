import { z } from 'zod';
import { itemsOfMeeting } from '../../../db/repositories/meetings.js';
import type { LookupDeps, Requester } from '../lookup-deps.js';
import { pageView } from './agenda-pages.js';
import { OUT_OF_DATE, pageCount, pageOf, type CardOutcome } from './meeting-common.js';
import { chatStillAllows, memberOf } from './meeting-membership.js';
import { auditPageShown } from './meeting-audit.js';
import type { RosterRead } from '../chat-roster.js';

export const pageData = z.object({ meetingId: z.string().min(1).max(64), page: z.coerce.number().int().min(1).max(1000) });

/**
 * "Refresh" on an agenda card: the page as it stands now (recordings,
 * updates), for a member of the meeting, after the chat's roster is checked
 * again; it replaces the chat's card, so each child is audited as shown to
 * the chat's members.
 */
export async function refreshPage(deps: LookupDeps, requester: Requester, chatId: string, data: unknown, roster: RosterRead): Promise<CardOutcome> {
  const parsed = pageData.safeParse(data);
  if (!parsed.success) return OUT_OF_DATE;
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_refresh');
  if ('kind' in member) return member;
  const items = await itemsOfMeeting(deps.db, member.meeting.meetingId);
  const pages = pageCount(items.length);
  const page = Math.min(parsed.data.page, pages);
  const chat = await chatStillAllows(deps, requester, member.caller, member.meeting, roster, 'meeting_refresh');
  if ('kind' in chat) return chat;
  const slice = pageOf(items, page);
  const view = await pageView(deps, member.meeting, slice, page, pages);
  await auditPageShown(deps, requester, member.caller, 'meeting_refresh', member.meeting, view, { chatId, members: chat.members }, `Refresh of card ${page} of ${member.meeting.meetingId}; ${chat.basis}`);
  return { kind: 'page', view, activityId: slice[0]?.activityId ?? null };
}
