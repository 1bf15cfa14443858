/**
 * What the delivery outbox holds, as the reconciler reads it: work that must
 * follow a publish or a new agenda, and alerts not yet known to be delivered.
 */

export type DeliveryIntentKind = 'alert-fanout' | 'meeting-update-requests';

/** An outbox row: written in the transaction that made the work due, done once the work is queued and finished. */
export interface DeliveryIntent {
  readonly kind: DeliveryIntentKind;
  /** The run (alert-fanout) or the meeting (meeting-update-requests). */
  readonly subjectId: string;
  /** When it was written: for an agenda, when it was drawn (the update-request job's id carries it). */
  readonly createdAt: string;
}

/** An alert still `pending` (never handed to Teams) or `sending` (handed over, no answer recorded). */
export interface UnsentAlert {
  readonly alertId: string;
  readonly runId: string;
  readonly workerId: string;
  readonly personId: string;
  readonly status: 'pending' | 'sending';
  /** A school lead's digest alert (one message for all of a lead's pupils), not a caseworker's. */
  readonly school: boolean;
  /** While `sending`: until when the delivery that marked it owns it (null: nobody does). */
  readonly leaseUntil: Date | null;
}

/** Every alert of one run for one recipient, as the fan-out grouped them into messages. */
export interface RecipientAlert {
  readonly alertId: string;
  readonly personId: string;
  readonly school: boolean;
}
