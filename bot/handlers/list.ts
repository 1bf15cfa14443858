import type { TurnContext } from 'botbuilder';
import { listCard, noticeCard } from '../../cards/build-cards.js';
import { consultList } from '../lookups/list-lookup.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';
import { requesterOf, sendCard } from './reply.js';

/** `list`: the caller's own view, decided in consultList. */
export async function handleList(context: TurnContext, deps: LookupDeps): Promise<void> {
  const outcome = await consultList(deps, requesterOf(context));
  if (outcome.kind === 'list') await sendCard(context, listCard(outcome.view), outcome.view.title);
  else await sendCard(context, noticeCard(outcome.notice), outcome.notice.title);
}
