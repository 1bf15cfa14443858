import { z } from 'zod';
import { itemsOfMeeting } from '../../../db/repositories/meetings.js';
import type { LookupDeps, Requester } from '../lookup-deps.js';
import { pageView } from './agenda-pages.js';
import { OUT_OF_DATE, pageCount, pageOf, type CardOutcome } from './meeting-common.js';
import { memberOf } from './meeting-membership.js';

export const pageData = z.object({ meetingId: z.string().min(1).max(64), page: z.coerce.number().int().min(1).max(1000) });

/** "Refresh" on an agenda card: the page as it stands now (recordings, updates), for a member of the meeting. */
export async function refreshPage(deps: LookupDeps, requester: Requester, chatId: string, data: unknown): Promise<CardOutcome> {
  const parsed = pageData.safeParse(data);
  if (!parsed.success) return OUT_OF_DATE;
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_refresh');
  if ('kind' in member) return member;
  const items = await itemsOfMeeting(deps.db, member.meeting.meetingId);
  const pages = pageCount(items.length);
  const page = Math.min(parsed.data.page, pages);
  const slice = pageOf(items, page);
  return { kind: 'page', view: await pageView(deps, member.meeting, slice, page, pages), activityId: slice[0]?.activityId ?? null };
}
