import { itemsOfMeeting } from '../../../db/repositories/meetings.js';
import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import { seesPoliceOnly } from '../../../domain/access-policy.js';
import { actorOf, type LookupDeps, type Requester } from '../lookup-deps.js';
import { auditPageShown } from './meeting-audit.js';
import { pageView } from './agenda-pages.js';
import { OUT_OF_DATE, pageCount, pageOf, type CardOutcome } from './meeting-common.js';
import { memberOf } from './meeting-membership.js';
import { pageData } from './refresh-page.js';

/**
 * "Police view (only you)" on an agenda card: for police roles only, the page
 * with every reason (police-only ones included), officers' involvements and
 * active Topaz markers, returned to the presser alone (no update of the chat's
 * card) and audited per child.
 */
export async function policePage(deps: LookupDeps, requester: Requester, chatId: string, data: unknown): Promise<CardOutcome> {
  const parsed = pageData.safeParse(data);
  if (!parsed.success) return OUT_OF_DATE;
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_police_view');
  if ('kind' in member) return member;
  const items = await itemsOfMeeting(deps.db, member.meeting.meetingId);
  const pages = pageCount(items.length);
  const page = Math.min(parsed.data.page, pages);
  const slice = pageOf(items, page);
  if (!seesPoliceOnly(member.caller.role)) {
    // Refused, the presser keeps the page they pressed on (the chat's own view of it), saying so: never a dead end.
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, member.caller), action: 'meeting_police_view', personId: null, outcome: 'refused', basis: `${member.caller.role} may not see police-only information`, shown: `police-only facts withheld; the chat’s view of agenda card ${page} returned`, runId: member.meeting.runId, channel: requester.channel }], deps.now());
    const view = await pageView(deps, member.meeting, slice, page, pages, 'For police roles only: police-only information is shown only to officers and analysts, privately. Nothing more was shown; this is the chat’s own view of the page.');
    await auditPageShown(deps, requester, member.caller, 'meeting_page', member.meeting, view, { presserOnly: true }, `member of ${member.meeting.meetingId}: the chat’s view, returned with a refused police view`);
    return { kind: 'page', view, activityId: null };
  }
  const view = await pageView(deps, member.meeting, slice, page, pages, 'Police view, shown to you only: police-only reasons and Op Topaz markers included.', member.caller.role);
  // What the officer saw: police-only reasons, Topaz markers and officers' names, to them alone.
  await auditPageShown(deps, requester, member.caller, 'meeting_police_view', member.meeting, view, { presserOnly: true }, `${member.caller.role} in ${member.meeting.meetingId}`);
  // Private: no activity to replace for everyone.
  return { kind: 'page', view, activityId: null };
}
