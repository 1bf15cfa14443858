import type { Kysely } from 'kysely';
import type { ConversationReferenceRow, Database } from '../../db/schema/database-schema.js';
import { activeReferenceOfWorker, staffRoleOf } from '../../db/queries/alert-queries.js';
import { retireConversationReference, storeConversationReference, type ConversationReferenceLike } from '../../db/repositories/conversation-references.js';
import { appendAccessAudit, type AuditEntry } from '../../db/repositories/access-audit.js';
import { SendRejectedError, type AlertSender } from '../../domain/alert-delivery.js';
import type { TeamsPace } from '../redis/teams-pace.js';
import { whenTeamsAllows } from './teams-pacing.js';

interface ChatDeps {
  readonly db: Kysely<Database>;
  readonly sender: AlertSender;
  readonly pace?: TeamsPace;
}

/**
 * The member of staff's 1:1 chat with the bot: the one stored when they
 * installed the app, or, for someone who never did, one the bot opens when
 * the sender can (a tenant is configured), stored like an installed one.
 * No chat, no tenant, or Teams refuses (403: the app is blocked for them):
 * null, and whatever was for them is held.
 */
export async function chatWith(deps: ChatDeps, workerId: string, now: () => Date): Promise<ConversationReferenceRow | null> {
  const installed = await activeReferenceOfWorker(deps.db, workerId).executeTakeFirst();
  if (installed) return installed;
  if (!deps.sender.openConversation) return null;
  const aadObjectId = (await staffRoleOf(deps.db, workerId).executeTakeFirst())?.aad_object_id;
  if (!aadObjectId) return null;
  let reference: ConversationReferenceLike;
  await whenTeamsAllows(deps.pace, deps.sender.tenantId ?? null, null);
  try {
    reference = await deps.sender.openConversation(aadObjectId);
  } catch (error) {
    if (error instanceof SendRejectedError && !error.retryable) return null;
    throw error;
  }
  return storeConversationReference(deps.db, aadObjectId, workerId, reference, now());
}

/**
 * One message to a member of staff, as reminders and update requests send
 * them: their chat (opened if need be), the audit of what it names, its place
 * in Teams' limits just before the send (so it reaches Teams inside the window
 * it was counted in), then the send. `held` when there is no sender, no chat,
 * or a chat Teams says is gone (403/404: the chat is retired, as an alert's is,
 * and the message waits for a new install).
 */
export async function messageStaff(
  deps: ChatDeps & { readonly now: () => Date },
  workerId: string,
  audit: (reference: ConversationReferenceRow) => readonly AuditEntry[],
  send: ((reference: Record<string, unknown>) => Promise<unknown>) | undefined,
): Promise<'sent' | 'held'> {
  const reference = send ? await chatWith(deps, workerId, deps.now) : null;
  if (!reference || !send) return 'held';
  await appendAccessAudit(deps.db, audit(reference), deps.now());
  await whenTeamsAllows(deps.pace, reference.tenant_id, reference.conversation_id);
  try {
    await send(JSON.parse(reference.reference) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof SendRejectedError && error.stale) {
      // Retired as an alert's chat is on the same answer, so nothing else is sent into a chat Teams says is gone.
      await retireConversationReference(deps.db, reference.aad_object_id, deps.now());
      return 'held';
    }
    throw error;
  }
  return 'sent';
}
