import type { AlertItem } from '../../domain/alert-delivery.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { alertItemFor, involvementsByChild, type Involvement } from './emerging-risk.js';

/** A child on the run's list who is enrolled at a school on the day. */
export interface PupilOnList {
  readonly personId: string;
  readonly schoolId: string;
  readonly band: string | null;
  readonly probability: number | null;
  readonly reasonItems: readonly ReasonItem[];
}

/**
 * Each school safeguarding lead's digest: their own school's pupils on the
 * list, with what a school lead may see of the reasons, and the other
 * agencies involved (police ones neutralised). Never another school's pupils.
 */
export function schoolDigests(pupils: readonly PupilOnList[], leads: readonly { workerId: string; schoolId: string }[], involvements: readonly Involvement[]): { workerId: string; items: AlertItem[] }[] {
  const involved = involvementsByChild(involvements);
  return leads
    .map((lead) => ({
      workerId: lead.workerId,
      items: pupils
        .filter((p) => p.schoolId === lead.schoolId)
        .map((p) => alertItemFor('school_safeguarding_lead', { ...p, change: 'on_list', previousBand: null }, involved.get(p.personId) ?? [])),
    }))
    .filter((d) => d.items.length > 0);
}
