import type { TurnContext } from 'botbuilder';
import { alertCard, alertDigestCard } from '../../cards/alert-card.js';
import { noticeCard } from '../../cards/build-cards.js';
import type { AdaptiveCardJson } from '../../cards/expand-card.js';
import { answerAlert } from '../lookups/alert-response.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';
import { requesterOf } from './reply.js';

/** An Action.Execute on an alert card: the answer is recorded, and the card returned replaces the old one. */
export async function handleAlertAction(context: TurnContext, deps: LookupDeps, data: unknown): Promise<AdaptiveCardJson> {
  const verb = String((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '');
  // Teams names the message the card came in: only that message's alerts may be answered from it.
  const outcome = await answerAlert(deps, requesterOf(context), verb, data, context.activity.replyToId ?? null);
  if (outcome.kind === 'single') return alertCard(outcome.child, outcome.responses, outcome.runId);
  if (outcome.kind === 'digest') return alertDigestCard(outcome.children, outcome.runId, outcome.responses);
  return noticeCard(outcome.notice);
}
