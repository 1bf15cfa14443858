import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../../cards/expand-card.js';
import type { Requester } from '../lookups/lookup-deps.js';

/** Who is asking, as Teams presents it: the Entra object id and the conversation. */
export function requesterOf(context: TurnContext): Requester {
  const conversation = context.activity.conversation;
  return {
    aadObjectId: context.activity.from?.aadObjectId ?? null,
    channel: `${context.activity.channelId ?? 'unknown'}:${conversation?.conversationType ?? 'unknown'}:${conversation?.id ?? ''}`,
    conversationType: conversation?.conversationType ?? 'unknown',
  };
}

export async function sendCard(context: TurnContext, card: AdaptiveCardJson, summary: string): Promise<void> {
  const message = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // Shown in notifications and by clients that cannot render cards.
  message.summary = summary;
  await context.sendActivity(message);
}
