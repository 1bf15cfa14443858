import type { ReasonItem } from './reason-item.js';

/**
 * The alert aggregate: what happened to a child in a run, for one member of
 * staff. It holds facts only; what a reader is shown is rendered from them
 * when it is shown, for the reader's role then (domain/access-policy.ts
 * `alertForReader`).
 */

/**
 * Why the alert was made. `joined_list`: onto the meeting's list;
 * `entered_watch`: into the watch band; `new_reason`: already in one of them,
 * with a reason the run before did not give; `on_list`: a school
 * safeguarding lead's weekly digest of their pupils on the list.
 */
export type AlertChange = 'joined_list' | 'entered_watch' | 'new_reason' | 'on_list' | 'band_up';

/** `band_up` (any move up a band) is how alerts were made before the rule above; such alerts are kept and shown as they were. */
export const ALERT_CHANGES: readonly AlertChange[] = ['joined_list', 'entered_watch', 'new_reason', 'on_list', 'band_up'];

/**
 * `sending`: handed to Teams, answer not yet recorded (a worker that dies here leaves it so, and the retry says it is sent again).
 * `failed`: Teams refused it for good (400, 401); never queued again.
 */
export type AlertStatus = 'pending' | 'sending' | 'sent' | 'held' | 'stale' | 'failed';

export interface AlertFacts {
  readonly alertId: string;
  readonly runId: string;
  readonly workerId: string;
  readonly personId: string;
  readonly change: AlertChange;
  readonly previousBand: string | null;
  readonly band: string | null;
  /** Reason codes this run gave the child that the run before did not. */
  readonly newReasonCodes: readonly string[];
  /** The multi-agency meeting closed this child on this date; their risk has risen since. */
  readonly closedOn: string | null;
}

export interface Alert extends AlertFacts {
  readonly status: AlertStatus;
  readonly activityId: string | null;
  readonly sentAt: string | null;
}

export type AlertAction = 'acknowledged' | 'already_known' | 'not_a_concern' | 'review_requested';

/** What a practitioner answered on an alert card. */
export interface AlertAnswer {
  readonly alertId: string;
  readonly runId: string;
  readonly workerId: string;
  readonly personId: string;
  readonly action: AlertAction;
  readonly note: string | null;
  readonly respondedAt: string;
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

/** What the run knows about the alert's child, read when the alert is shown: everything any reader's view is cut from. */
export interface AlertSubject {
  /** The calibrated chance of acceptance within the horizon (0–1), where the run has one. */
  readonly probability: number | null;
  readonly reasonItems: readonly ReasonItem[];
  /** Open involvements on the run's date. */
  readonly involvements: readonly Involvement[];
}

/** What the fan-out reads from the runs and the meeting (worker/alerts decides from it). */

/** Where a child stood in a run, as the emerging-risk rule reads it. */
export interface Standing {
  readonly personId: string;
  readonly band: string | null;
  readonly onList: boolean;
  /** Null for runs scored before reasons were stored as items: nothing to compare against. */
  readonly reasonItems: readonly ReasonItem[] | null;
}

/** The run before this one, as far as the rule needs it (null: this is the first published run). */
export interface RunBefore {
  /** Its as-of date (YYYY-MM-DD). */
  readonly asOf: string;
  readonly standings: ReadonlyMap<string, Standing>;
}

/** The meeting's latest decision about a child, when it closed them (decision close or no further action). */
export interface MeetingClosure {
  readonly personId: string;
  readonly meetingDate: string;
  /** The child's band on that meeting's agenda. */
  readonly band: string;
}

/** A child on the run's list who is enrolled at a school on the day. */
export interface PupilOnList {
  readonly personId: string;
  readonly schoolId: string;
  readonly band: string | null;
}

/** The alert's key: one per run, recipient and child. */
export const alertIdOf = (runId: string, workerId: string, personId: string) => `${runId}|${workerId}|${personId}`;
