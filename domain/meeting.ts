import type { StaffRole } from './roles.js';

/** Roles that may sit in the multi-agency meeting's chat and record its outcomes (administrators may not). */
export const MEETING_ROLES: ReadonlySet<StaffRole> = new Set(['chair', 'caseworker', 'officer', 'analyst', 'school_safeguarding_lead']);

/** The agenda's sections, in the order they are discussed. */
export const AGENDA_SECTIONS = ['new', 'escalated', 'continuing', 'closure_proposed'] as const;
export type AgendaSection = (typeof AGENDA_SECTIONS)[number];
export const SECTION_TITLES: Readonly<Record<AgendaSection, string>> = {
  new: 'New since the last meeting',
  escalated: 'Escalated',
  continuing: 'Continuing',
  closure_proposed: 'Proposed for closure',
};

export const RAG_RATINGS = ['red', 'amber', 'green'] as const;
export type RagRating = (typeof RAG_RATINGS)[number];

export const DECISIONS = ['remain', 'add', 'refer', 'nfa', 'close'] as const;
export type Decision = (typeof DECISIONS)[number];
export const DECISION_WORDS: Readonly<Record<Decision, string>> = {
  remain: 'remain on the list',
  add: 'add to the list',
  refer: 'refer to the exploitation service',
  nfa: 'no further action',
  close: 'close',
};

/** What the meeting learned about a child, which the model reads as a label. */
export const OUTCOMES = ['referral_accepted', 'exploitation_confirmed'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  referral_accepted: 'referral accepted by the exploitation service',
  exploitation_confirmed: 'exploitation confirmed',
};

/** What the next meeting records about an action still open: done after all, circumstances changed, or not done. */
export const CARRIED_OUTCOMES = ['done', 'circumstances_changed', 'not_done'] as const;

export const ACTION_STATUSES = ['open', 'done', 'blocked', 'circumstances_changed', 'not_done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** The statement every agenda, card and set of minutes carries. */
export const MEETING_CONFIDENTIALITY =
  'OFFICIAL-SENSITIVE. Shared under the partnership’s information-sharing agreement for the purpose of safeguarding children only. Do not forward, copy or discuss outside the meeting’s members. The scores are decision support, not a finding about any child.';

/** What a meeting recorded about one child, as text for people (cards, minutes). */
export interface RecordedOutcome {
  readonly rag: string | null;
  readonly decision: string | null;
  readonly outcome: string | null;
  readonly leadAgency: string | null;
  readonly nextReview: string | null;
  readonly notes: string | null;
}

/** Item ids name the meeting and the child, so an agenda built twice never holds a child twice. */
export const meetingItemIdOf = (meetingId: string, personId: string) => `${meetingId}|${personId}`;

/**
 * What a recorded outcome teaches the model. A referral accepted or
 * exploitation confirmed: a positive example as of the meeting date. No
 * further action: a negative one. Closed: censored (closed for many reasons,
 * moving away or turning 18 among them, so not evidence of no exploitation):
 * never a comparison child from then on. "Not a concern" on an alert: a weak
 * negative (half the weight of a meeting's).
 */
export type LabelKind = 'positive' | 'negative' | 'weak_negative' | 'censored';
export const LABEL_KINDS: readonly LabelKind[] = ['positive', 'negative', 'weak_negative', 'censored'];
export const LABEL_WEIGHTS: Readonly<Record<Exclude<LabelKind, 'censored'>, number>> = { positive: 1, negative: 1, weak_negative: 0.5 };

export function labelOfOutcome(decision: string | null, outcome: string | null): LabelKind | null {
  if (outcome === 'referral_accepted' || outcome === 'exploitation_confirmed') return 'positive';
  if (decision === 'nfa') return 'negative';
  if (decision === 'close') return 'censored';
  return null;
}

/**
 * Work the meeting hands to the worker's queue (the bot side sees only this):
 * asking each lead professional for a short update before the meeting.
 */
export interface MeetingJobs {
  /** `drawnAt`: when the agenda was drawn (with the meeting id, it names this agenda). */
  requestUpdates(meetingId: string, drawnAt: string): Promise<void>;
}

/** When the partnership meets: every `everyDays` from `firstDate`, the agenda drawn `daysBefore` ahead. */
export interface MeetingSchedule {
  readonly firstDate: string;
  readonly everyDays: number;
  readonly daysBefore: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** The meeting whose agenda is due today under the schedule (its date), or null. */
export function agendaDueOn(schedule: MeetingSchedule, today: string): string | null {
  const meeting = dayNumber(today) + schedule.daysBefore;
  const since = meeting - dayNumber(schedule.firstDate);
  if (since < 0 || since % schedule.everyDays !== 0) return null;
  return new Date(meeting * DAY_MS).toISOString().slice(0, 10);
}
