import { TurnContext } from 'botbuilder';
import { forgetConversation, rememberConversation } from '../lookups/conversations.js';
import type { LookupDeps } from '../lookups/lookup-deps.js';

/** Said once, in the 1:1 chat, when someone installs the app: plain text, so the chat preview reads as it does here. */
export const WELCOME_TEXT = [
  'Hello. This is Think Family CSE insight: it helps staff in the safeguarding partnership see which children may be at risk of child sexual exploitation, and why, from the records the partners share.',
  'It is decision support for professionals, not a finding: it never says that anyone has been exploited or has done wrong, and it shows you only people your role allows. Every lookup is recorded for data protection.',
  'Type "help" to see what you can ask (for example "list", or "profile" and a person id).',
].join('\n\n');

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
  // Teams sends both an installationUpdate and a conversationUpdate on install: welcome on the first only.
  if (activity.type === 'installationUpdate' && String(activity.action ?? '') === 'add') {
    await context.sendActivity({ type: 'message', text: WELCOME_TEXT, textFormat: 'plain' });
  }
}
