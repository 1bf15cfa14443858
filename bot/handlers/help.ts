import type { TurnContext } from 'botbuilder';
import { DECISION_SUPPORT_STATEMENT } from '../../domain/decision-support.js';
import { MENTION_THE_APP } from '../lookups/notices.js';

export { DECISION_SUPPORT_STATEMENT };

/**
 * Plain text, no Markdown: Teams shows a message's text as it is in chat
 * previews and notifications, where `**` and backticks would read as noise.
 */
export const HELP_TEXT = [
  'Think Family CSE insight',
  '',
  'Commands:',
  '- "profile" and a person id (for example "profile P00012345"): a person’s scores, the reasons behind them, and the agencies involved (people you work with; officers and analysts: everyone). In your 1:1 chat with the app only.',
  '- "list": your own view: your caseload, your school’s pupils on the weekly list, the list your meeting reviews, or (officers and analysts) the weekly lists. In your 1:1 chat with the app only.',
  '- "model": (officers and analysts) how the current run’s model is doing, with a link to its model card',
  '- "alerts": the alerts you were sent when CSE risk emerged in your caseload, and your answers',
  '- "meeting new" (optionally a date, for example "meeting new 2026-12-14"): (chairs, in the meeting’s group chat) the victim-list meeting’s agenda, once every member of the chat is confirmed as staff with a meeting role; members record outcomes on its cards; its own chair ends it with "meeting close" (and "meeting reopen" to correct a recording, audited)',
  '- "help": this message',
  '',
  `In a group chat or channel, ${MENTION_THE_APP}: Teams passes the app only the messages that mention it.`,
  '',
  'Every lookup is recorded for data protection.',
  '',
  DECISION_SUPPORT_STATEMENT,
].join('\n');

export async function handleHelp(context: TurnContext): Promise<void> {
  await context.sendActivity({ type: 'message', text: HELP_TEXT, textFormat: 'plain' });
}

export async function handleUnknown(context: TurnContext): Promise<void> {
  await context.sendActivity({ type: 'message', text: `Sorry, I did not understand that.\n\n${HELP_TEXT}`, textFormat: 'plain' });
}
