import { z } from 'zod';
import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import { attendanceOf, itemById, itemsOfMeeting, recordItem, staffNames } from '../../../db/repositories/meetings.js';
import { CARRIED_OUTCOMES, DECISIONS, OUTCOMES, RAG_RATINGS } from '../../../domain/meeting.js';
import { ITEMS_PER_PAGE } from '../../../cards/meeting-card.js';
import { actorOf, isoMinute, type LookupDeps, type Requester } from '../lookup-deps.js';
import { pageView } from './agenda-pages.js';
import { CLOSED_NOTICE, meetingNotice, OUT_OF_DATE, pageCount, pageOf, validDay, type CardOutcome } from './meeting-common.js';
import { chatStillAllows, memberOf } from './meeting-membership.js';
import { auditPageShown } from './meeting-audit.js';
import type { RosterRead } from '../chat-roster.js';

const recordData = z.object({ meetingId: z.string().min(1).max(64), itemId: z.string().min(1).max(200), version: z.coerce.number().int().min(1) }).passthrough();

/** Reads the record form of item `n` from the action's data (Teams merges the card's inputs into it). */
function formOf(data: Record<string, unknown>, n: number) {
  const field = (name: string) => {
    const v = data[`${name}_${n}`];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  };
  const carried = (k: number) => {
    const v = data[`carried_${n}_${k}`];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  };
  return { rag: field('rag'), decision: field('decision'), outcome: field('outcome'), lead: field('lead'), action: field('action'), owner: field('owner'), due: field('due'), review: field('review'), notes: field('notes'), carried };
}

/** What is wrong with a record form, in words the recorder can act on (empty: nothing). */
function formProblems(form: ReturnType<typeof formOf>, owners: ReadonlySet<string>, carriedCount: number): string[] {
  const problems: string[] = [];
  for (let k = 1; k <= carriedCount; k++) {
    const v = form.carried(k);
    if (v && !(CARRIED_OUTCOMES as readonly string[]).includes(v)) problems.push(`open action ${k}: choose done, circumstances changed or not done`);
  }
  if (!form.decision || !(DECISIONS as readonly string[]).includes(form.decision)) problems.push('choose a decision');
  if (form.rag && !(RAG_RATINGS as readonly string[]).includes(form.rag)) problems.push('the RAG rating must be red, amber or green');
  if (form.outcome && !(OUTCOMES as readonly string[]).includes(form.outcome)) problems.push('the outcome is not one the card offers');
  if (form.lead && form.lead.length > 100) problems.push('the lead agency is longer than 100 characters');
  if (form.review && !validDay(form.review)) problems.push('the next review is not a date');
  if (form.notes && form.notes.length > 1000) problems.push('the notes are longer than 1,000 characters');
  if (form.action) {
    if (!form.owner || !owners.has(form.owner)) problems.push('an action needs an owner from the meeting’s members');
    if (!form.due || !validDay(form.due)) problems.push('an action needs a due date');
  }
  return problems;
}

/**
 * Saves what the meeting decided about one child, from the item's card. The
 * save applies only at the version the recorder's card showed: if someone
 * recorded the item since, nothing is saved and the card returned shows
 * their entry with a banner asking to check and record again. The chat's
 * roster is checked again first (the answer replaces the chat's card), and
 * every child on the card answered is audited as shown to the chat.
 */
export async function recordOutcome(deps: LookupDeps, requester: Requester, chatId: string, data: unknown, roster: RosterRead): Promise<CardOutcome> {
  const parsed = recordData.safeParse(data);
  if (!parsed.success) return OUT_OF_DATE;
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_record');
  if ('kind' in member) return member;
  if (member.meeting.status === 'closed') return { kind: 'notice', notice: CLOSED_NOTICE(member.meeting) };
  const { caller, meeting } = member;
  const item = await itemById(deps.db, parsed.data.itemId);
  if (!item || item.meetingId !== meeting.meetingId) return { kind: 'notice', notice: meetingNotice('No such item', 'This card refers to an item that is not on the meeting’s agenda.') };
  const chat = await chatStillAllows(deps, requester, caller, meeting, roster, 'meeting_record');
  if ('kind' in chat) return chat;
  const page = Math.floor(item.position / ITEMS_PER_PAGE) + 1;
  const answer = async (banner?: string): Promise<CardOutcome> => {
    const items = await itemsOfMeeting(deps.db, meeting.meetingId);
    const view = await pageView(deps, meeting, pageOf(items, page), page, pageCount(items.length), banner);
    await auditPageShown(deps, requester, caller, 'meeting_card_shown', meeting, view, { chatId, members: chat.members }, `answer to Save of item ${item.position + 1} (${banner ? 'not saved' : 'saved'}), card ${page} of ${meeting.meetingId}; ${chat.basis}`);
    return { kind: 'page', view, activityId: item.activityId };
  };
  const owners = new Set((await attendanceOf(deps.db, meeting.meetingId)).filter((a) => a.attendance !== 'apologies').map((a) => a.workerId));
  const form = formOf(parsed.data as Record<string, unknown>, item.position + 1);
  const carried = item.agenda.lastDecision?.openActions ?? [];
  const problems = formProblems(form, owners, carried.length);
  if (problems.length) return answer(`Item ${item.position + 1} was not saved: ${problems.join('; ')}.`);
  const now = deps.now();
  const saved = await recordItem(
    deps.db,
    {
      itemId: item.itemId,
      seenVersion: parsed.data.version,
      fields: { rag: form.rag, decision: form.decision, outcome: form.outcome, leadAgency: form.lead, nextReview: form.review, notes: form.notes },
      by: caller.workerId,
      carried: carried.flatMap((a, k) => {
        const status = form.carried(k + 1);
        return status ? [{ actionId: a.actionId, status }] : [];
      }),
      newAction: form.action ? { meetingId: meeting.meetingId, personId: item.personId, description: form.action, owner: form.owner!, due: form.due! } : null,
    },
    now,
  );
  if (!saved) {
    const current = await itemById(deps.db, item.itemId);
    const byId = current?.recording?.by;
    const by = byId ? ((await staffNames(deps.db, [byId])).get(byId) ?? byId) : 'someone';
    return answer(`Item ${item.position + 1} was not saved: ${by} recorded it at ${isoMinute(current?.recording?.at)} UTC after your card was drawn. The card now shows their entry; check it and record again if needed.`);
  }
  await appendAccessAudit(
    deps.db,
    [{ actor: actorOf(requester, caller), action: 'meeting_record', personId: item.personId, outcome: 'processed', basis: `member of ${meeting.meetingId}`, shown: `decision ${form.decision}${form.outcome ? `; outcome ${form.outcome}` : ''}${form.action ? '; action added' : ''}`, runId: meeting.runId, channel: requester.channel }],
    now,
  );
  return answer();
}
