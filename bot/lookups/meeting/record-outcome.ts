import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import { itemById, itemsOfMeeting, recordItem, staffNames } from '../../../db/repositories/meetings.js';
import { readRecordForm, recordPayload } from '../../../domain/meeting-forms.js';
import { ITEMS_PER_PAGE } from '../../../cards/meeting-card.js';
import { actorOf, isoMinute, type LookupDeps, type Requester } from '../lookup-deps.js';
import { pageView } from './agenda-pages.js';
import { CLOSED_NOTICE, meetingNotice, OUT_OF_DATE, pageCount, pageOf, refuse, type CardOutcome } from './meeting-common.js';
import { chatStillAllows, memberOf } from './meeting-membership.js';
import { auditPageShown } from './meeting-audit.js';
import type { RosterRead } from '../chat-roster.js';

/**
 * Saves what the meeting decided about one child, from the item's card. The
 * save applies only at the version the recorder's card showed: if someone
 * recorded the item since, nothing is saved and the card returned shows
 * their entry with a banner asking to check and record again. Every field
 * is checked against what the card offered (domain/meeting-forms.ts). The
 * chat's roster is checked again first (the answer replaces the chat's card),
 * and every child on the card answered is audited as shown: to the chat, or,
 * with a banner (not saved, closed), to the presser alone.
 */
export async function recordOutcome(deps: LookupDeps, requester: Requester, chatId: string, data: unknown, roster: RosterRead): Promise<CardOutcome> {
  const parsed = recordPayload.safeParse(data);
  if (!parsed.success) return OUT_OF_DATE;
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_record');
  if ('kind' in member) return member;
  const { caller, meeting } = member;
  const item = await itemById(deps.db, parsed.data.itemId);
  if (!item || item.meetingId !== meeting.meetingId) {
    return refuse(deps, requester, caller, 'meeting_record', meetingNotice('No such item', 'This card refers to an item that is not on the meeting’s agenda.'), `Save named item ${parsed.data.itemId.slice(0, 64)}, which is not on the agenda of ${meeting.meetingId}${item ? ` (it is on ${item.meetingId})` : ''}`);
  }
  const chat = await chatStillAllows(deps, requester, caller, meeting, roster, 'meeting_record');
  if ('kind' in chat) return chat;
  const page = Math.floor(item.position / ITEMS_PER_PAGE) + 1;
  const n = item.position + 1;
  const answer = async (banner?: string): Promise<CardOutcome> => {
    const items = await itemsOfMeeting(deps.db, meeting.meetingId);
    const view = await pageView(deps, meeting, pageOf(items, page), page, pageCount(items.length), banner);
    await auditPageShown(deps, requester, caller, 'meeting_card_shown', meeting, view, banner ? { presserOnly: true } : { chatId, members: chat.members }, `answer to Save of item ${item.position + 1} (${banner ? 'not saved' : 'saved'}), card ${page} of ${meeting.meetingId}; ${chat.basis}`);
    return { kind: 'page', view, activityId: item.activityId };
  };
  const about = `Item ${n} was not saved`;
  const unchanged = `Nothing changed on ${item.personId}’s item.`;
  if (meeting.status === 'closed') return answer(`${about}: ${CLOSED_NOTICE(meeting).text} ${unchanged}`);
  // A version the bot never drew (a forged or garbled card): nothing to compare with, so nothing is saved.
  if (parsed.data.version > item.version) return answer(`${about}: your card does not match the agenda (it shows version ${parsed.data.version}; the item is at ${item.version}). ${unchanged} The card now shows the item as it stands; record again if needed.`);
  // The form is checked against what the presser's card offered: the members present as owners, the agencies of the page.
  const offered = await pageView(deps, meeting, pageOf(await itemsOfMeeting(deps.db, meeting.meetingId), page), page, 1);
  const carried = item.agenda.lastDecision?.openActions ?? [];
  const read = readRecordForm(parsed.data as Record<string, unknown>, n, { owners: new Set(offered.owners.map((o) => o.workerId)), agencies: offered.agencies, meetingDate: meeting.meetingDate, carriedCount: carried.length });
  if (!read.ok) return answer(`${about}: ${read.problems.join('; ')}. ${unchanged}`);
  const form = read.form;
  const now = deps.now();
  const saved = await recordItem(
    deps.db,
    {
      itemId: item.itemId,
      seenVersion: parsed.data.version,
      fields: { rag: form.rag, decision: form.decision, outcome: form.outcome, leadAgency: form.lead, nextReview: form.review, notes: form.notes },
      by: caller.workerId,
      carried: carried.flatMap((a, k) => {
        const status = form.carried[k];
        return status ? [{ actionId: a.actionId, status }] : [];
      }),
      newAction: form.action ? { meetingId: meeting.meetingId, personId: item.personId, description: form.action, owner: form.owner!, due: form.due! } : null,
    },
    now,
  );
  if (!saved) {
    const current = await itemById(deps.db, item.itemId);
    const byId = current?.recording?.by;
    if (!byId || !current?.recording?.at) return answer(`${about}: the item changed after your card was drawn. ${unchanged} The card now shows it as it stands; check it and record again if needed.`);
    const by = (await staffNames(deps.db, [byId])).get(byId) ?? byId;
    return answer(`${about}: ${by} recorded it at ${isoMinute(current.recording.at)} UTC after your card was drawn. ${unchanged} The card now shows their entry; check it and record again if needed.`);
  }
  await appendAccessAudit(
    deps.db,
    [{ actor: actorOf(requester, caller), action: 'meeting_record', personId: item.personId, outcome: 'processed', basis: `member of ${meeting.meetingId}`, shown: `decision ${form.decision}${form.outcome ? `; outcome ${form.outcome}` : ''}${form.action ? '; action added' : ''}`, runId: meeting.runId, channel: requester.channel }],
    now,
  );
  return answer();
}
