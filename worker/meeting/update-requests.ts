import type { UpdateRequest } from '../../domain/alert-delivery.js';
import { MEETING_ROLES } from '../../domain/meeting.js';
import { isStaffRole } from '../../domain/roles.js';
import { isPoliceAuthor } from '../../domain/access-policy.js';

export interface AgendaChild {
  readonly itemId: string;
  readonly personId: string;
  readonly band: string;
}

export interface LeadProfessional {
  readonly personId: string;
  readonly workerId: string;
  readonly staffRole: string;
  /** The agency of their involvement (police: they write as the police). */
  readonly agency?: string | null;
}

/**
 * Whom to ask for an update before a meeting: every member of staff with a
 * meeting role and an open involvement with a child on the agenda, once per
 * child, in one request per person (pure). Already asked: left out.
 */
export function updateRequests(meeting: { readonly meetingId: string; readonly meetingDate: string }, children: readonly AgendaChild[], leads: readonly LeadProfessional[], alreadyAsked: ReadonlySet<string>): UpdateRequest[] {
  const byWorker = new Map<string, UpdateRequest['items'][number][]>();
  const byPerson = new Map(children.map((c) => [c.personId, c]));
  for (const lead of leads) {
    const child = byPerson.get(lead.personId);
    if (!child || !isStaffRole(lead.staffRole) || !MEETING_ROLES.has(lead.staffRole)) continue;
    const updateId = `${child.itemId}|${lead.workerId}`;
    const items = byWorker.get(lead.workerId) ?? [];
    if (alreadyAsked.has(updateId) || items.some((i) => i.updateId === updateId)) continue;
    byWorker.set(lead.workerId, [...items, { updateId, personId: child.personId, band: child.band }]);
  }
  return [...byWorker.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([workerId, items]) => {
      const theirs = leads.filter((l) => l.workerId === workerId);
      return { workerId, meetingId: meeting.meetingId, meetingDate: meeting.meetingDate, items, policeAuthor: theirs.some((l) => isPoliceAuthor({ agency: l.agency ?? null, authorRole: l.staffRole })) };
    });
}
