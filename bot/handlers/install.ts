import { TurnContext } from 'botbuilder';
import { forgetConversation, rememberConversation } from '../lookups/conversations.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';

/** installationUpdate and conversationUpdate in a 1:1 chat: keep (or, on uninstall, retire) the conversation reference. */
export async function handleInstall(context: TurnContext, deps: LookupDeps): Promise<void> {
  const activity = context.activity;
  const aad = activity.from?.aadObjectId;
  if (activity.conversation?.conversationType !== 'personal' || !aad) return;
  if (activity.type === 'installationUpdate' && String(activity.action ?? '').startsWith('remove')) {
    await forgetConversation(deps, aad);
    return;
  }
  await rememberConversation(deps, aad, TurnContext.getConversationReference(activity));
}
