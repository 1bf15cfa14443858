import { retireConversationReference, storeConversationReference, type ConversationReferenceLike } from '../../db/repositories/conversation-references.js';
import { resolveCaller } from './resolve-caller.js';
import type { LookupDeps } from './lookup-deps.js';

/**
 * Remembers a member of staff's 1:1 chat with the bot (on install, or any
 * personal conversation update), whole, so alerts can reach them later. People
 * not in the staff list are not remembered: nothing would ever be sent to them.
 */
export async function rememberConversation(deps: LookupDeps, aadObjectId: string, reference: ConversationReferenceLike): Promise<'stored' | 'not staff' | 'incomplete'> {
  const caller = await resolveCaller(deps.db, aadObjectId);
  if (!caller) return 'not staff';
  if (!reference.serviceUrl || !reference.conversation?.id) return 'incomplete';
  await storeConversationReference(deps.db, aadObjectId, caller.workerId, reference, deps.now());
  return 'stored';
}

/** An uninstall is final: no more alerts to that chat (Teams may still accept sends for a while). */
export async function forgetConversation(deps: LookupDeps, aadObjectId: string): Promise<void> {
  await retireConversationReference(deps.db, aadObjectId.slice(0, 64), deps.now());
}
