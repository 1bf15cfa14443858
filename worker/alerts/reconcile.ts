import type { DeliveryIntent, RecipientAlert, UnsentAlert } from '../../domain/delivery.js';

/** Work the reconciler puts back on the alert queue (each under the job id the first queuing used, so twice is once). */
export type DueWork =
  | { readonly kind: 'alert-fanout'; readonly runId: string }
  | { readonly kind: 'meeting-update-requests'; readonly meetingId: string; readonly drawnAt: string }
  | {
      readonly kind: 'alert-deliver';
      readonly runId: string;
      readonly workerId: string;
      /** The fan-out's message key: a child's id, `digest` or `school`. */
      readonly key: string;
      readonly alertIds: readonly string[];
      readonly school: boolean;
      /** Alerts of this message still leased to a delivery that may be alive: not before the lease ends. */
      readonly delayMs: number;
    };

/** The fan-out's grouping (worker/jobs/alert-jobs.ts messagesFor), passed in so both use one rule. */
export type MessagesFor = (items: readonly { alertId: string; personId: string }[]) => { key: string; alertIds: string[] }[];

/**
 * What is due (pure): every intent not done, and every message holding an
 * alert not yet delivered, rebuilt as the fan-out grouped it from all of that
 * recipient's alerts of the run (`recipients`, keyed `run|worker`), so its
 * job id is the fan-out's. A message with an alert still `sending` under a
 * live lease is due when the lease ends.
 */
export function dueWork(intents: readonly DeliveryIntent[], unsent: readonly UnsentAlert[], recipients: ReadonlyMap<string, readonly RecipientAlert[]>, messagesFor: MessagesFor, now: Date): DueWork[] {
  const work: DueWork[] = intents.map((i) => (i.kind === 'alert-fanout' ? { kind: 'alert-fanout', runId: i.subjectId } : { kind: 'meeting-update-requests', meetingId: i.subjectId, drawnAt: i.createdAt }));
  const byId = new Map(unsent.map((a) => [a.alertId, a]));
  const pairs = [...new Set(unsent.map((a) => recipientKey(a.runId, a.workerId)))];
  for (const pair of pairs) {
    const first = unsent.find((a) => recipientKey(a.runId, a.workerId) === pair)!;
    const all = recipients.get(pair) ?? [];
    const school = all.filter((a) => a.school);
    const messages = [...messagesFor(all.filter((a) => !a.school)).map((m) => ({ ...m, school: false })), ...(school.length ? [{ key: 'school', alertIds: school.map((a) => a.alertId), school: true }] : [])];
    for (const m of messages) {
      const waiting = m.alertIds.map((id) => byId.get(id)).filter((a): a is UnsentAlert => a !== undefined);
      if (waiting.length === 0) continue;
      const delayMs = Math.max(0, ...waiting.map((a) => (a.status === 'sending' && a.leaseUntil ? a.leaseUntil.getTime() - now.getTime() : 0)));
      work.push({ kind: 'alert-deliver', runId: first.runId, workerId: first.workerId, key: m.key, alertIds: m.alertIds, school: m.school, delayMs });
    }
  }
  return work;
}

export const recipientKey = (runId: string, workerId: string) => `${runId}|${workerId}`;
