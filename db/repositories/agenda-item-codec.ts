import { z } from 'zod';
import { AGENDA_SECTIONS, DECISIONS } from '../../domain/meeting.js';
import type { AgendaItem } from '../../domain/meeting-agenda.js';

/**
 * The one codec of `meeting_item.detail`: the item as the agenda drew it.
 * Written and read only through here, so every reader gets an `AgendaItem`
 * and a stored item that is not one is a fault named with its id.
 */
const reasonItem = z.object({
  code: z.string(),
  kind: z.enum(['because', 'family', 'missing_person', 'conduct', 'over_18']),
  text: z.string(),
  evidenceDate: z.string().nullable(),
  source: z.string(),
  audience: z.enum(['everyone', 'police']),
});

const agendaItem = z.object({
  personId: z.string(),
  section: z.enum(AGENDA_SECTIONS),
  band: z.string(),
  chanceIn100: z.number().nullable(),
  onList: z.boolean(),
  trend: z.array(z.object({ runId: z.string(), asOf: z.string(), band: z.string(), finalScore: z.number() })),
  reasonItems: z.array(reasonItem),
  involvements: z.array(z.object({ agency: z.string(), role: z.string(), worker: z.string() })),
  lastDecision: z
    .object({
      meetingId: z.string(),
      meetingDate: z.string(),
      decision: z.enum(DECISIONS).nullable(),
      rag: z.string().nullable(),
      leadAgency: z.string().nullable(),
      band: z.string(),
      openActions: z.array(z.object({ actionId: z.string(), description: z.string(), owner: z.string(), due: z.string(), status: z.string() })),
    })
    .nullable(),
  requestedBy: z.array(z.object({ personId: z.string(), by: z.string(), byWorkerId: z.string().optional(), at: z.string() })),
});

export class StoredAgendaItemError extends Error {
  constructor(itemId: string, cause: unknown) {
    super(`meeting item ${itemId} holds an agenda item that cannot be read: ${cause instanceof Error ? cause.message.slice(0, 300) : String(cause)}`, { cause });
  }
}

export const encodeAgendaItem = (item: AgendaItem): string => JSON.stringify(agendaItem.parse(item));

export function decodeAgendaItem(itemId: string, detail: string): AgendaItem {
  try {
    return agendaItem.parse(JSON.parse(detail));
  } catch (error) {
    throw new StoredAgendaItemError(itemId, error);
  }
}
