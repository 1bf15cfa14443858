import { z } from 'zod';

/**
 * The one codec of a stored Teams conversation reference (the `reference`
 * column of `conversation_reference` and of `meeting_chat`): kept whole, as
 * Teams gave it, since a send hands it back to Teams unchanged; only the
 * conversation's tenant is read here. A stored reference that is not one is
 * a fault named with where it was kept.
 */
const teamsReference = z.object({ conversation: z.object({ id: z.string().optional(), tenantId: z.string().optional() }).passthrough().optional() }).passthrough();

export type TeamsReference = z.infer<typeof teamsReference>;

export class StoredTeamsReferenceError extends Error {
  constructor(where: string, cause: unknown) {
    super(`the Teams conversation reference kept for ${where} cannot be read: ${cause instanceof Error ? cause.message.slice(0, 300) : String(cause)}`, { cause });
  }
}

export const encodeTeamsReference = (reference: object): string => JSON.stringify(reference);

export function decodeTeamsReference(where: string, stored: string): TeamsReference {
  try {
    return teamsReference.parse(JSON.parse(stored));
  } catch (error) {
    throw new StoredTeamsReferenceError(where, error);
  }
}
