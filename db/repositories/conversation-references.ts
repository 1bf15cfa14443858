import type { Kysely } from 'kysely';
import { activeReferenceOfWorker, deactivateReference, insertReference, updateReference } from '../queries/alert-queries.js';
import type { ConversationReferenceRow, Database } from '../schema/database-schema.js';
import { decodeTeamsReference, encodeTeamsReference } from './teams-reference-codec.js';

/** The parts of a Teams conversation reference kept beside the whole. */
export interface ConversationReferenceLike {
  readonly serviceUrl?: string;
  readonly conversation?: { readonly id?: string; readonly tenantId?: string };
  readonly bot?: { readonly id?: string };
}

/** A member of staff's 1:1 chat with the bot, as a send needs it. */
export interface StaffChat {
  readonly aadObjectId: string;
  readonly workerId: string | null;
  readonly conversationId: string;
  readonly tenantId: string | null;
  /** The whole Teams conversation reference, as Teams gave it. */
  readonly reference: Record<string, unknown>;
}

const chatOf = (row: ConversationReferenceRow): StaffChat => ({
  aadObjectId: row.aad_object_id,
  workerId: row.worker_id,
  conversationId: row.conversation_id,
  tenantId: row.tenant_id,
  reference: decodeTeamsReference(`the 1:1 chat of ${row.aad_object_id}`, row.reference),
});

/** The chat a member of staff last installed the app in (or the bot opened), while Teams has not said it is gone. */
export async function activeChatOf(db: Kysely<Database>, workerId: string): Promise<StaffChat | null> {
  const row = await activeReferenceOfWorker(db, workerId).executeTakeFirst();
  return row ? chatOf(row) : null;
}

/**
 * Stores a member of staff's 1:1 conversation reference, whole, as active
 * (replacing an earlier one for the same Entra id), whether Teams gave it on
 * install or the bot opened the chat itself. Fields are bounded to the columns.
 */
export async function storeConversationReference(db: Kysely<Database>, aadObjectId: string, workerId: string, reference: ConversationReferenceLike, now: Date): Promise<StaffChat> {
  const row: ConversationReferenceRow = {
    aad_object_id: aadObjectId.slice(0, 64),
    worker_id: workerId,
    conversation_id: String(reference.conversation?.id ?? '').slice(0, 400),
    service_url: String(reference.serviceUrl ?? '').slice(0, 400),
    tenant_id: reference.conversation?.tenantId?.slice(0, 400) ?? null,
    bot_id: reference.bot?.id?.slice(0, 400) || null,
    reference: encodeTeamsReference(reference),
    active: 1,
    updated_at: now.toISOString().slice(0, 19),
  };
  await db.transaction().execute(async (trx) => {
    const updated = await updateReference(trx, row).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await insertReference(trx, row).execute();
  });
  return chatOf(row);
}

/** Teams says the chat is gone (403: blocked, uninstalled, not in the roster; 404): no more sends to it until a new install. */
export async function retireConversationReference(db: Kysely<Database>, aadObjectId: string, now: Date): Promise<void> {
  await deactivateReference(db, aadObjectId, now.toISOString().slice(0, 19)).execute();
}
