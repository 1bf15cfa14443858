import * as q from '../../db/queries/alert-queries.js';
import { resolveCaller } from './resolve-caller.js';
import type { LookupDeps } from './lookup-deps.js';

/** The parts of a Teams conversation reference the bot keeps beside the whole. */
export interface ConversationReferenceLike {
  readonly serviceUrl?: string;
  readonly conversation?: { readonly id?: string; readonly tenantId?: string };
  readonly bot?: { readonly id?: string };
}

/**
 * Remembers a member of staff's 1:1 chat with the bot (on install, or any
 * personal conversation update), whole, so alerts can reach them later. People
 * not in the staff list are not remembered: nothing would ever be sent to them.
 */
export async function rememberConversation(deps: LookupDeps, aadObjectId: string, reference: ConversationReferenceLike): Promise<'stored' | 'not staff' | 'incomplete'> {
  const caller = await resolveCaller(deps.db, aadObjectId);
  if (!caller) return 'not staff';
  if (!reference.serviceUrl || !reference.conversation?.id) return 'incomplete';
  const row = {
    aad_object_id: aadObjectId.slice(0, 64),
    worker_id: caller.workerId,
    conversation_id: reference.conversation.id.slice(0, 400),
    service_url: reference.serviceUrl.slice(0, 400),
    tenant_id: reference.conversation.tenantId?.slice(0, 400) ?? null,
    bot_id: reference.bot?.id?.slice(0, 400) ?? null,
    reference: JSON.stringify(reference),
    active: 1,
    updated_at: deps.now().toISOString().slice(0, 19),
  };
  await deps.db.transaction().execute(async (trx) => {
    const updated = await q.updateReference(trx, row).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await q.insertReference(trx, row).execute();
  });
  return 'stored';
}

/** An uninstall is final: no more alerts to that chat (Teams may still accept sends for a while). */
export async function forgetConversation(deps: LookupDeps, aadObjectId: string): Promise<void> {
  await q.deactivateReference(deps.db, aadObjectId.slice(0, 64), deps.now().toISOString().slice(0, 19)).execute();
}
