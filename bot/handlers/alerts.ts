import type { TurnContext } from 'botbuilder';
import { alertsListCard } from '../../cards/alert-card.js';
import { noticeCard } from '../../cards/build-cards.js';
import { consultAlerts } from '../lookups/alerts-lookup.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';
import { requesterOf, sendCard } from './reply.js';

/** `alerts`: the caller's own latest alerts, decided in consultAlerts. */
export async function handleAlerts(context: TurnContext, deps: LookupDeps): Promise<void> {
  const outcome = await consultAlerts(deps, requesterOf(context));
  if (outcome.kind === 'alerts') await sendCard(context, alertsListCard(outcome.view.title, outcome.view.alerts), outcome.view.title);
  else await sendCard(context, noticeCard(outcome.notice), outcome.notice.title);
}
