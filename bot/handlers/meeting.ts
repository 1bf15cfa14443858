import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import { ChatRosterCache } from '../lookups/chat-roster.js';
import { readChatRoster } from './chat-roster.js';
import { rememberAgendaActivities, rememberMeetingChat } from '../../db/repositories/meetings.js';
import { meetingHeaderCard, meetingNoticeCard, meetingPageCard, MEETING_VERBS } from '../../cards/meeting-card.js';
import { noticeCard } from '../../cards/build-cards.js';
import type { AdaptiveCardJson } from '../../cards/expand-card.js';
import { markAttendance } from '../lookups/meeting/attendance.js';
import { closeMeetingInChat, reopenMeetingInChat } from '../lookups/meeting/close-meeting.js';
import { newCorrelation, turnFailureNotice } from '../http-errors.js';
import { plainText } from '../../cards/plain-text.js';
import { drawAgenda } from '../lookups/meeting/draw-agenda.js';
import { recordUpdates } from '../lookups/meeting/lead-updates.js';
import { refuse, type CardOutcome } from '../lookups/meeting/meeting-common.js';
import { policePage } from '../lookups/meeting/police-view.js';
import { recordOutcome } from '../lookups/meeting/record-outcome.js';
import { refreshPage } from '../lookups/meeting/refresh-page.js';
import { UPDATE_VERB, updateRequestCard } from '../../cards/update-card.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';
import { mentionThen } from '../lookups/notices.js';
import { requesterOf, sendCard } from './reply.js';
import { resolveCaller } from '../lookups/resolve-caller.js';

/** Gap between the agenda's cards: Teams allows a bot 8 messages per 2 s in one conversation. */
const PACE_MS = 300;

const card = (content: AdaptiveCardJson, summary: string) => {
  const message = MessageFactory.attachment(CardFactory.adaptiveCard(content));
  message.summary = summary;
  return message;
};

/** `meeting new [date]`: the chair draws the agenda in the meeting's chat, after the roster check. */
export async function handleMeetingNew(context: TurnContext, deps: LookupDeps, dateArg: string): Promise<void> {
  const conversation = context.activity.conversation;
  const outcome = await drawAgenda(deps, requesterOf(context), { id: conversation.id, type: conversation.conversationType ?? 'personal' }, await readChatRoster(context, deps.rosters ?? new ChatRosterCache()), dateArg);
  if (outcome.kind === 'notice') {
    await sendCard(context, noticeCard(outcome.notice), outcome.notice.title);
    return;
  }
  const header = await context.sendActivity(card(meetingHeaderCard(outcome.header), `Victim-list meeting ${outcome.header.meetingDate}: agenda`));
  const posted: { itemIds: readonly string[]; activityId: string | null }[] = [];
  for (const page of outcome.pages) {
    await new Promise((r) => setTimeout(r, PACE_MS));
    const sent = await context.sendActivity(card(meetingPageCard(page.view), `Agenda card ${page.view.page} of ${page.view.pages}`));
    posted.push({ itemIds: page.itemIds, activityId: sent?.id ?? null });
  }
  await rememberAgendaActivities(deps.db, outcome.meetingId, header?.id ?? null, posted);
  // The chat is remembered so the scheduled agenda job can say here when the next agenda is ready.
  await rememberMeetingChat(deps.db, conversation.id, TurnContext.getConversationReference(context.activity) as unknown as Record<string, unknown>, outcome.chairWorkerId, deps.now());
  // A new agenda: its children's lead professionals are asked for an update, through the alert queue.
  if (outcome.created && deps.meetingJobs) {
    await deps.meetingJobs.requestUpdates(outcome.meetingId, outcome.drawnAt).catch(async (error: unknown) => {
      // The agenda stands; the chair is told the lead professionals were not asked, and why.
      await context.sendActivity(`The agenda is posted, but I could not ask the lead professionals for their updates: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}.`);
    });
  }
}

/** `meeting close`: the chair ends the meeting in its chat; its minutes become final. */
export async function handleMeetingClose(context: TurnContext, deps: LookupDeps): Promise<void> {
  const notice = await closeMeetingInChat(deps, requesterOf(context), context.activity.conversation.id);
  await sendCard(context, noticeCard(notice), notice.title);
}

/** `meeting reopen`: the meeting's chair lets a closed meeting take recordings again (audited). */
export async function handleMeetingReopen(context: TurnContext, deps: LookupDeps): Promise<void> {
  const notice = await reopenMeetingInChat(deps, requesterOf(context), context.activity.conversation.id);
  await sendCard(context, noticeCard(notice), notice.title);
}

/** Where a card whose action failed leads back to: its agenda card, or the same button again. */
function wayBack(verb: string, data: unknown): { readonly title: string; readonly verb: string; readonly data: Record<string, unknown> } | null {
  const d = (data ?? {}) as Record<string, unknown>;
  if (typeof d.meetingId !== 'string') return null;
  if (verb === MEETING_VERBS.attendance && (d.attendance === 'present' || d.attendance === 'apologies')) return { title: 'Try again', verb, data: { meetingId: d.meetingId, attendance: d.attendance } };
  const page = Number(d.page);
  if (Number.isInteger(page) && page >= 1) return { title: 'Back to the agenda card', verb: MEETING_VERBS.refresh, data: { meetingId: d.meetingId, page } };
  return null;
}

/**
 * An Action.Execute on a meeting card. The card returned replaces the
 * presser's; when it is what the chat should see (nothing refused, nothing
 * failed: no banner) the chat's message is also replaced (updateActivity), so
 * every member sees what was recorded. A card with a banner is the presser's
 * alone. Any failure is answered to the presser in the invoke, never posted to
 * the chat, with a way back to the agenda.
 */
export async function handleMeetingAction(context: TurnContext, deps: LookupDeps, data: unknown): Promise<AdaptiveCardJson> {
  const verb = String((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '');
  try {
    return await answerMeetingAction(context, deps, verb, data);
  } catch (error) {
    const correlation = newCorrelation();
    (deps.log ?? console.error)(`bot: card action ${verb.slice(0, 40)} failed [${correlation}]: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return meetingNoticeCard({ ...turnFailureNotice(error, correlation), text: `${turnFailureNotice(error, correlation).text} Nothing you sent was recorded.` }, wayBack(verb, data));
  }
}

async function answerMeetingAction(context: TurnContext, deps: LookupDeps, verb: string, data: unknown): Promise<AdaptiveCardJson> {
  const chatId = context.activity.conversation.id;
  const requester = requesterOf(context);
  let outcome: CardOutcome;
  // Cards that replace the chat's: its roster is checked again (the bot's cached read).
  const roster = () => readChatRoster(context, deps.rosters ?? new ChatRosterCache());
  if (verb === MEETING_VERBS.record) outcome = await recordOutcome(deps, requester, chatId, data, await roster());
  else if (verb === MEETING_VERBS.attendance) outcome = await markAttendance(deps, requester, chatId, data, await roster());
  else if (verb === MEETING_VERBS.refresh) outcome = await refreshPage(deps, requester, chatId, data, await roster());
  else if (verb === MEETING_VERBS.policeView) outcome = await policePage(deps, requester, chatId, data);
  else if (verb === UPDATE_VERB) {
    const answered = await recordUpdates(deps, requester, data);
    return answered.kind === 'updates' ? updateRequestCard(answered.view) : noticeCard(answered.notice);
  }
  else {
    const unknown = await refuse(deps, requester, await resolveCaller(deps.db, requester.aadObjectId), 'meeting_action_unknown', { title: 'Unknown action', text: `This card sent “${plainText(verb.slice(0, 60))}”, which this version of the bot does not know. ${mentionThen('meeting new')} to show the agenda again.`, tone: 'default' }, `a card sent the unknown verb ${JSON.stringify(verb.slice(0, 60))}`);
    return noticeCard(unknown.notice);
  }
  if (outcome.kind === 'notice') return noticeCard(outcome.notice);
  const content = outcome.kind === 'header' ? meetingHeaderCard(outcome.view) : meetingPageCard(outcome.view);
  if (outcome.activityId && !outcome.view.banner) await context.updateActivity({ ...card(content, 'Agenda updated'), id: outcome.activityId, conversation: context.activity.conversation });
  return content;
}
