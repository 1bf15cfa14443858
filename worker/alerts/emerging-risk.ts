import { involvementForReader, reasonsForReader } from '../../domain/access-policy.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { isStaffRole, type StaffRole } from '../../domain/roles.js';
import type { AlertItem } from '../../domain/alert-delivery.js';

/** A child whose risk emerged in a run: joined the meeting's list, or moved up a band. */
export interface EmergingChild {
  readonly personId: string;
  readonly change: 'joined_list' | 'band_up';
  readonly previousBand: string | null;
  readonly band: string | null;
  /** The calibrated chance of acceptance within the horizon (0–1), where the run has one. */
  readonly probability: number | null;
  readonly reasonItems: readonly ReasonItem[];
  /** The meeting closed this child on this date; their risk has risen since. */
  readonly closedOn?: string;
}

/** An open agency involvement with a child, and the member of staff it names. */
export interface Involvement {
  readonly personId: string;
  readonly agency: string;
  readonly involvementRole: string | null;
  readonly workerId: string;
  readonly displayName: string;
  readonly staffRole: string;
}

export interface RecipientAlerts {
  readonly workerId: string;
  readonly role: StaffRole;
  readonly items: readonly AlertItem[];
}

/** The meeting's latest decision about a child, when it closed them (decision close or no further action). */
export interface MeetingClosure {
  readonly personId: string;
  readonly meetingDate: string;
  /** The child's band on that meeting's agenda. */
  readonly band: string;
}

const BAND_ORDER: Readonly<Record<string, number>> = { none: 0, low: 1, medium: 2, high: 3 };

/**
 * A child the meeting closed (or took no further action on) is alerted again
 * only if their risk rises above where it stood when they were closed:
 * joining the list again at the same band is what the meeting already
 * weighed. The item says when the meeting closed them.
 */
export function afterMeetingClosures(children: readonly EmergingChild[], closures: ReadonlyMap<string, MeetingClosure>): EmergingChild[] {
  return children.flatMap((c) => {
    const closed = closures.get(c.personId);
    if (!closed) return [c];
    return (BAND_ORDER[c.band ?? 'none'] ?? 0) > (BAND_ORDER[closed.band] ?? 0) ? [{ ...c, closedOn: closed.meetingDate }] : [];
  });
}

/** School safeguarding leads get a weekly digest of their pupils instead (school-digest.ts). */
const ALERTED_ROLES: ReadonlySet<StaffRole> = new Set(['caseworker', 'chair', 'officer', 'analyst', 'admin']);

/**
 * Who is told what after a run: each member of staff with an open
 * involvement in a child whose risk emerged gets that child, with only the
 * reasons and agencies their role may see (the same decision as the profile
 * card). Nobody is told about a child they are not involved with.
 */
export function alertsForRun(children: readonly EmergingChild[], involvements: readonly Involvement[]): RecipientAlerts[] {
  const byChild = involvementsByChild(involvements);
  const byRecipient = new Map<string, { role: StaffRole; items: AlertItem[] }>();
  for (const child of children) {
    const involved = byChild.get(child.personId) ?? [];
    const told = new Set<string>();
    for (const lead of involved) {
      if (!isStaffRole(lead.staffRole) || !ALERTED_ROLES.has(lead.staffRole) || told.has(lead.workerId)) continue;
      told.add(lead.workerId);
      const entry = byRecipient.get(lead.workerId) ?? { role: lead.staffRole, items: [] };
      entry.items.push(alertItemFor(lead.staffRole, child, involved));
      byRecipient.set(lead.workerId, entry);
    }
  }
  return [...byRecipient.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([workerId, r]) => ({ workerId, role: r.role, items: r.items }));
}

/** A child's open involvements, by child. */
export function involvementsByChild(involvements: readonly Involvement[]): Map<string, Involvement[]> {
  const byChild = new Map<string, Involvement[]>();
  for (const i of involvements) byChild.set(i.personId, [...(byChild.get(i.personId) ?? []), i]);
  return byChild;
}

/** What a reader in `role` may be told about a child: the reasons and the agencies involved as the access policy allows. */
export function alertItemFor(role: StaffRole, child: Omit<EmergingChild, 'change'> & { readonly change: AlertItem['change'] }, involved: readonly Involvement[]): AlertItem {
  const reasons = reasonsForReader(role, child.reasonItems);
  return {
    personId: child.personId,
    change: child.change,
    previousBand: child.previousBand,
    band: child.band,
    chanceIn100: child.probability === null ? null : Math.round(child.probability * 100),
    reasonLines: reasons.lines,
    shownCodes: reasons.shownCodes,
    policeHoldMore: reasons.policeHoldMore,
    agencies: [...new Set(involved.map((i) => agencyLine(role, i)))],
    ...(child.closedOn ? { closedOn: child.closedOn } : {}),
  };
}

/** An involvement as a reader may see it, in one line ("police: through the exploitation team" for partners). */
function agencyLine(role: StaffRole, i: Involvement): string {
  const seen = involvementForReader(role, { agency: i.agency, role: i.involvementRole ?? '', worker: i.displayName });
  return [seen.agency, seen.role ? `(${seen.role})` : '', seen.worker ? `: ${seen.worker}` : ''].join(' ').replace(/ +/g, ' ').replace(' :', ':').trim();
}

/** The alert's key: one per run, recipient and child. */
export const alertIdOf = (runId: string, workerId: string, personId: string) => `${runId}|${workerId}|${personId}`;
