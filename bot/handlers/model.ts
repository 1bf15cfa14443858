import type { TurnContext } from 'botbuilder';
import { modelCard, noticeCard } from '../../cards/build-cards.js';
import { consultModel } from '../lookups/model-lookup.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';
import { requesterOf, sendCard } from './reply.js';

/** `model`: the current run's model summary, decided in consultModel. */
export async function handleModel(context: TurnContext, deps: LookupDeps & { readonly link: (path: string) => string }): Promise<void> {
  const outcome = await consultModel(deps, requesterOf(context));
  if (outcome.kind === 'model') await sendCard(context, modelCard(outcome.view), `Model card of run ${outcome.view.runId}`);
  else await sendCard(context, noticeCard(outcome.notice), outcome.notice.title);
}
