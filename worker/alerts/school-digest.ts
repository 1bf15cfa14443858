import { reasonsForReader } from '../../domain/access-policy.js';
import type { AlertItem } from '../../domain/alert-delivery.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { agencyLine, type Involvement } from './emerging-risk.js';

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
  const involved = new Map<string, Involvement[]>();
  for (const i of involvements) involved.set(i.personId, [...(involved.get(i.personId) ?? []), i]);
  return leads
    .map((lead) => ({
      workerId: lead.workerId,
      items: pupils
        .filter((p) => p.schoolId === lead.schoolId)
        .map((p) => {
          const reasons = reasonsForReader('school_safeguarding_lead', p.reasonItems);
          const agencies = (involved.get(p.personId) ?? []).map((i) => agencyLine('school_safeguarding_lead', i));
          return {
            personId: p.personId,
            change: 'on_list' as const,
            previousBand: null,
            band: p.band,
            chanceIn100: p.probability === null ? null : Math.round(p.probability * 100),
            reasonLines: reasons.lines,
            shownCodes: reasons.shownCodes,
            policeHoldMore: reasons.policeHoldMore,
            agencies: [...new Set(agencies)],
          };
        }),
    }))
    .filter((d) => d.items.length > 0);
}
