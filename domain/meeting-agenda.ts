import type { InvolvementLine } from './access-policy.js';
import type { AgendaSection, Decision } from './meeting.js';
import { AGENDA_SECTIONS } from './meeting.js';
import type { ReasonItem } from './reason-item.js';

/** A child as the run scored them: on the meeting's list, or carried over from the last meeting. */
export interface ScoredChild {
  readonly personId: string;
  readonly band: string;
  readonly finalScore: number;
  readonly probability: number | null;
  readonly onList: boolean;
  readonly reasonItems: readonly ReasonItem[];
}

export interface TrendPoint {
  readonly runId: string;
  readonly asOf: string;
  readonly band: string;
  readonly finalScore: number;
}

export interface OpenAction {
  readonly actionId: string;
  readonly description: string;
  readonly owner: string;
  readonly due: string;
  readonly status: string;
}

/** What the last meeting decided about a child (with the band the child had then). */
export interface LastDecision {
  readonly meetingId: string;
  readonly meetingDate: string;
  readonly decision: Decision | null;
  readonly rag: string | null;
  readonly leadAgency: string | null;
  readonly band: string;
  readonly openActions: readonly OpenAction[];
}

/** A lead professional's "request review at the next meeting" from an alert card. */
export interface ReviewRequest {
  readonly personId: string;
  readonly by: string;
  /** Who asked, so the card can name them by the reader's view (a police requester is the police's to partners); absent on items drawn before. */
  readonly byWorkerId?: string;
  readonly at: string;
}

export interface AgendaInput {
  /** Every child on this run's meeting list, and children the last meeting kept open who are not (their current score). */
  readonly children: readonly ScoredChild[];
  readonly previous: ReadonlyMap<string, LastDecision>;
  readonly requests: readonly ReviewRequest[];
  readonly trends: ReadonlyMap<string, readonly TrendPoint[]>;
  readonly involvements: ReadonlyMap<string, readonly InvolvementLine[]>;
}

/** One child on the agenda, as drawn: every reader's view is cut from it when shown. */
export interface AgendaItem {
  readonly personId: string;
  readonly section: AgendaSection;
  readonly band: string;
  readonly chanceIn100: number | null;
  readonly onList: boolean;
  readonly trend: readonly TrendPoint[];
  readonly reasonItems: readonly ReasonItem[];
  readonly involvements: readonly InvolvementLine[];
  readonly lastDecision: LastDecision | null;
  readonly requestedBy: readonly ReviewRequest[];
}

const BAND_ORDER: Readonly<Record<string, number>> = { none: 0, low: 1, medium: 2, high: 3 };

/** Decisions after which a child stays with the meeting until it closes them. */
const KEPT_OPEN: ReadonlySet<Decision | null> = new Set<Decision | null>(['remain', 'add', 'refer', null]);

function sectionOf(child: ScoredChild, last: LastDecision | undefined): AgendaSection {
  if (!last || !KEPT_OPEN.has(last.decision)) return 'new';
  if (!child.onList) return 'closure_proposed';
  return (BAND_ORDER[child.band] ?? 0) > (BAND_ORDER[last.band] ?? 0) ? 'escalated' : 'continuing';
}

/**
 * The meeting's agenda: children on the run's list (active Topaz victims
 * are on it by the list rule), children the last meeting kept open (proposed
 * for closure when they have left the list), and children a lead
 * professional asked to have reviewed. New, escalated, continuing, proposed
 * for closure; within each, highest chance first.
 */
export function assembleAgenda(input: AgendaInput): AgendaItem[] {
  const byPerson = new Map(input.children.map((c) => [c.personId, c]));
  const asked = new Map<string, ReviewRequest[]>();
  for (const r of input.requests) asked.set(r.personId, [...(asked.get(r.personId) ?? []), r]);
  const people = new Set<string>();
  for (const c of input.children) if (c.onList || KEPT_OPEN.has(input.previous.get(c.personId)?.decision ?? 'nfa') || asked.has(c.personId)) people.add(c.personId);
  const items: AgendaItem[] = [];
  for (const personId of people) {
    const child = byPerson.get(personId)!;
    const last = input.previous.get(personId);
    const requestedBy = asked.get(personId) ?? [];
    // A child off the list whom someone asked about is discussed as new, not proposed for closure.
    const section = requestedBy.length > 0 && !child.onList && !(last && KEPT_OPEN.has(last.decision)) ? 'new' : sectionOf(child, last);
    items.push({
      personId,
      section,
      band: child.band,
      chanceIn100: child.probability === null ? null : Math.round(child.probability * 100),
      onList: child.onList,
      trend: input.trends.get(personId) ?? [],
      reasonItems: child.reasonItems,
      involvements: input.involvements.get(personId) ?? [],
      lastDecision: last ?? null,
      requestedBy,
    });
  }
  const order = (s: AgendaSection) => AGENDA_SECTIONS.indexOf(s);
  const chance = (i: AgendaItem) => byPerson.get(i.personId)!.probability ?? -1;
  const score = (i: AgendaItem) => byPerson.get(i.personId)!.finalScore;
  return items.sort((a, b) => order(a.section) - order(b.section) || chance(b) - chance(a) || score(b) - score(a) || a.personId.localeCompare(b.personId));
}
