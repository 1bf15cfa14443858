import type { TfdDb } from '../../db/database.js';
import { activeChatOf, retireConversationReference, storeConversationReference, type ConversationReferenceLike, type StaffChat } from '../../db/repositories/conversation-references.js';
import { entraIdOfStaff } from '../../db/repositories/staff.js';
import { appendAccessAudit, type AuditEntry } from '../../db/repositories/access-audit.js';
import { SendRejectedError, type AlertSender } from '../../domain/alert-delivery.js';
import type { TeamsPace } from '../redis/teams-pace.js';
import { whenTeamsAllows } from './teams-pacing.js';

interface ChatDeps {
  readonly db: TfdDb;
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
export async function chatWith(deps: ChatDeps, workerId: string, now: () => Date): Promise<StaffChat | null> {
  const installed = await activeChatOf(deps.db, workerId);
  if (installed) return installed;
  if (!deps.sender.openConversation) return null;
  const aadObjectId = await entraIdOfStaff(deps.db, workerId);
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
  audit: (chat: StaffChat) => readonly AuditEntry[],
  send: ((reference: Record<string, unknown>) => Promise<unknown>) | undefined,
): Promise<'sent' | 'held'> {
  const chat = send ? await chatWith(deps, workerId, deps.now) : null;
  if (!chat || !send) return 'held';
  await appendAccessAudit(deps.db, audit(chat), deps.now());
  await whenTeamsAllows(deps.pace, chat.tenantId, chat.conversationId);
  try {
    await send(chat.reference);
  } catch (error) {
    if (error instanceof SendRejectedError && error.stale) {
      // Retired as an alert's chat is on the same answer, so nothing else is sent into a chat Teams says is gone.
      await retireConversationReference(deps.db, chat.aadObjectId, deps.now());
      return 'held';
    }
    throw error;
  }
  return 'sent';
}
