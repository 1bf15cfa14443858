import { seesPoliceOnly } from '../../domain/access-policy.js';
import { alertIdOf, type AlertFacts, type Involvement, type MeetingClosure, type RunBefore, type Standing } from '../../domain/alert.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { isStaffRole, type StaffRole } from '../../domain/roles.js';

/** A child whose risk emerged in a run (see `emergingChildren`). */
export interface EmergingChild {
  readonly personId: string;
  readonly change: 'joined_list' | 'entered_watch' | 'new_reason';
  readonly previousBand: string | null;
  readonly band: string | null;
  /** The reasons this run gave that the run before did not (which reader may see which is decided per recipient). */
  readonly newReasons: readonly ReasonItem[];
  /** The meeting closed this child on this date; their risk has risen since. */
  readonly closedOn?: string;
}

/** The watch band: below the meeting's list, shown to lead professionals (worker/scoring/list-rule.ts). */
const inWatch = (s: Standing) => !s.onList && s.band === 'medium';

/**
 * A reason the run before did not give that is a new risk, not a new ranking.
 * Index rules, family context, Missing Person and Conduct risk hold or do not
 * on the data; a model reason (`feature:`) names one of the model's largest
 * contributions, so a retrain alone can move one in or out of the top few.
 * Such a reason is new only when the record it rests on is dated after the
 * run before's as-of date, which a retrain cannot do.
 */
function newRisks(now: readonly ReasonItem[], before: readonly ReasonItem[], beforeAsOf: string): ReasonItem[] {
  const had = new Set(before.map((i) => i.code));
  return now.filter((i) => !had.has(i.code) && (!i.code.startsWith('feature:') || (i.evidenceDate !== null && i.evidenceDate > beforeAsOf)));
}

/**
 * Whose CSE risk emerged in a run, against the run before: a child who
 * crossed onto the meeting's list (`joined_list`) or into the watch band
 * (`entered_watch`), or who was already in one of them and whose reasons
 * gained a new risk (`new_reason`). Nothing else alerts: a band moving below
 * the watch band (none → low), a child moving within or down the bands, or a
 * retrain that reorders the model's reasons. In the first published run every
 * child on the list or in the watch band has crossed into it.
 */
export function emergingChildren(now: readonly Standing[], before: RunBefore | null): EmergingChild[] {
  const out: EmergingChild[] = [];
  for (const child of now) {
    if (!child.onList && !inWatch(child)) continue;
    const was = before?.standings.get(child.personId);
    const base = { personId: child.personId, previousBand: was?.band ?? null, band: child.band };
    const fresh = before && was?.reasonItems && child.reasonItems ? newRisks(child.reasonItems, was.reasonItems, before.asOf) : [];
    if (child.onList && !was?.onList) out.push({ ...base, change: 'joined_list', newReasons: fresh });
    else if (inWatch(child) && !(was && (was.onList || inWatch(was)))) out.push({ ...base, change: 'entered_watch', newReasons: fresh });
    else if (fresh.length > 0) out.push({ ...base, change: 'new_reason', newReasons: fresh });
  }
  return out.sort((a, b) => a.personId.localeCompare(b.personId));
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

export interface RecipientAlerts {
  readonly workerId: string;
  readonly alerts: readonly AlertFacts[];
}

/**
 * Who is told about which child after a run: each member of staff with an
 * open involvement in a child whose risk emerged. Nobody is told about a
 * child they are not involved with, and nobody is told that a child gained
 * a new reason they may not see (a partner alerted for a new police-only
 * reason would learn that police hold something new). What each alert shows
 * is decided when it is shown, for the reader's role then.
 */
export function alertsForRun(runId: string, children: readonly EmergingChild[], involvements: readonly Involvement[]): RecipientAlerts[] {
  const byChild = involvementsByChild(involvements);
  const byRecipient = new Map<string, AlertFacts[]>();
  for (const child of children) {
    const told = new Set<string>();
    for (const lead of byChild.get(child.personId) ?? []) {
      if (!isStaffRole(lead.staffRole) || !ALERTED_ROLES.has(lead.staffRole) || told.has(lead.workerId)) continue;
      if (child.change === 'new_reason' && !seesPoliceOnly(lead.staffRole) && !child.newReasons.some((r) => r.audience === 'everyone')) continue;
      told.add(lead.workerId);
      byRecipient.set(lead.workerId, [...(byRecipient.get(lead.workerId) ?? []), factsOf(runId, lead.workerId, child)]);
    }
  }
  return [...byRecipient.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([workerId, alerts]) => ({ workerId, alerts }));
}

const factsOf = (runId: string, workerId: string, child: EmergingChild): AlertFacts => ({
  alertId: alertIdOf(runId, workerId, child.personId),
  runId,
  workerId,
  personId: child.personId,
  change: child.change,
  previousBand: child.previousBand,
  band: child.band,
  newReasonCodes: child.newReasons.map((r) => r.code),
  closedOn: child.closedOn ?? null,
});

/** A child's open involvements, by child. */
export function involvementsByChild(involvements: readonly Involvement[]): Map<string, Involvement[]> {
  const byChild = new Map<string, Involvement[]>();
  for (const i of involvements) byChild.set(i.personId, [...(byChild.get(i.personId) ?? []), i]);
  return byChild;
}
