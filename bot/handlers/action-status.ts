import type { TurnContext } from 'botbuilder';
import { ACTION_VERBS, actionReminderCard, blockedInputId } from '../../cards/action-card.js';
import { noticeCard } from '../../cards/build-cards.js';
import type { AdaptiveCardJson } from '../../cards/expand-card.js';
import { answerAction } from '../lookups/action-status.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';
import { requesterOf } from './reply.js';

/** Done or Blocked on an action reminder (Action.Execute); the card returned replaces the reminder. */
export async function handleActionStatus(context: TurnContext, deps: LookupDeps, data: unknown): Promise<AdaptiveCardJson> {
  const verb = String((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '');
  const status = verb === ACTION_VERBS.done ? 'done' : 'blocked';
  const inputs = (data ?? {}) as Record<string, unknown>;
  const why = (actionId: string) => inputs[blockedInputId(actionId)];
  const outcome = await answerAction(deps, requesterOf(context), status, data, why);
  return outcome.kind === 'actions' ? actionReminderCard(outcome.actions, outcome.banner) : noticeCard(outcome.notice);
}
