import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import { ChatRosterCache } from '../lookups/chat-roster.js';
import { readChatRoster } from './chat-roster.js';
import { rememberAgendaActivities, rememberMeetingChat } from '../../db/repositories/meetings.js';
import { meetingHeaderCard, meetingPageCard, MEETING_VERBS } from '../../cards/meeting-card.js';
import { noticeCard } from '../../cards/build-cards.js';
import type { AdaptiveCardJson } from '../../cards/expand-card.js';
import { markAttendance } from '../lookups/meeting/attendance.js';
import { closeMeetingInChat } from '../lookups/meeting/close-meeting.js';
import { drawAgenda } from '../lookups/meeting/draw-agenda.js';
import { recordUpdates } from '../lookups/meeting/lead-updates.js';
import type { CardOutcome } from '../lookups/meeting/meeting-common.js';
import { policePage } from '../lookups/meeting/police-view.js';
import { recordOutcome } from '../lookups/meeting/record-outcome.js';
import { refreshPage } from '../lookups/meeting/refresh-page.js';
import { UPDATE_VERB, updateRequestCard } from '../../cards/update-card.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';
import { requesterOf, sendCard } from './reply.js';

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

/**
 * An Action.Execute on a meeting card. The card returned replaces the
 * presser's; the chat's message is also replaced (updateActivity), so every
 * member sees what was recorded.
 */
export async function handleMeetingAction(context: TurnContext, deps: LookupDeps, data: unknown): Promise<AdaptiveCardJson> {
  const verb = String((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '');
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
  else return noticeCard({ title: 'Unknown action', text: `This card sent “${verb}”, which this version of the bot does not know. Type \`meeting new\` to show the agenda again.`, tone: 'default' });
  if (outcome.kind === 'notice') return noticeCard(outcome.notice);
  const content = outcome.kind === 'header' ? meetingHeaderCard(outcome.view) : meetingPageCard(outcome.view);
  // Everyone sees the saved state; a banner (not saved) is for the presser only.
  const forEveryone = outcome.kind === 'page' && outcome.view.banner ? meetingPageCard({ ...outcome.view, banner: undefined }) : content;
  if (outcome.activityId) await context.updateActivity({ ...card(forEveryone, 'Agenda updated'), id: outcome.activityId, conversation: context.activity.conversation });
  return content;
}
