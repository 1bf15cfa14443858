import type { TurnContext } from 'botbuilder';

export const DECISION_SUPPORT_NOTICE =
  'This service gives decision support, not findings: it shows where a child has the same characteristics as children who were exploited, so that a professional can look closer.';

/** What the bot can do today; grows as commands land. */
export const HELP_TEXT = [
  '**Think Family CSE insight**',
  DECISION_SUPPORT_NOTICE,
  '',
  'Commands:',
  '- `help`: this message',
].join('\n');

export async function handleHelp(context: TurnContext): Promise<void> {
  await context.sendActivity(HELP_TEXT);
}

export async function handleUnknown(context: TurnContext): Promise<void> {
  await context.sendActivity(`Sorry, I did not understand that. ${HELP_TEXT}`);
}
