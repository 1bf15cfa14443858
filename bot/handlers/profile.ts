import type { TurnContext } from 'botbuilder';
import { noticeCard, profileCard } from '../../cards/build-cards.js';
import { consultProfile } from '../lookups/profile-lookup.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';
import { requesterOf, sendCard } from './reply.js';

/** `profile <id>`: everything that decides what is shown lives in consultProfile. */
export async function handleProfile(context: TurnContext, deps: LookupDeps, argument: string): Promise<void> {
  const outcome = await consultProfile(deps, requesterOf(context), argument);
  if (outcome.kind === 'profile') await sendCard(context, profileCard(outcome.view), `Profile ${outcome.view.personId}`);
  else await sendCard(context, noticeCard(outcome.notice), outcome.notice.title);
}
