import { randomUUID } from 'node:crypto';
import { alertsByIds, answersTo, recordAnswers, subjectsOf } from '../../db/repositories/alerts.js';
import { appendAccessAudit, type AuditEntry } from '../../db/repositories/access-audit.js';
import { subjectLinksOf } from '../../db/repositories/subject-links.js';
import { alertShownForAudit, alertsForReader, decideProfileAccess } from '../../domain/access-policy.js';
import type { Alert, AlertAction } from '../../domain/alert.js';
import { ALERT_VERBS, NO_LONGER_SHOWN, withheldView, type AlertChildView, type AlertResponseView } from '../../cards/alert-card.js';
import type { Notice } from '../../cards/views.js';
import { resolveCaller } from './resolve-caller.js';
import type { Caller } from '../../domain/roles.js';
import { actorOf, isPrivateChat, placeOf, today, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';

const VERB_ACTIONS: Record<string, AlertAction> = {
  [ALERT_VERBS.acknowledge]: 'acknowledged',
  [ALERT_VERBS.alreadyKnown]: 'already_known',
  [ALERT_VERBS.notAConcern]: 'not_a_concern',
  [ALERT_VERBS.review]: 'review_requested',
};

export type AlertAnswerOutcome =
  | { readonly kind: 'single'; readonly runId: string; readonly child: AlertChildView; readonly responses: readonly AlertResponseView[] }
  | { readonly kind: 'digest'; readonly runId: string; readonly children: readonly AlertChildView[]; readonly responses: readonly AlertResponseView[] }
  | { readonly kind: 'notice'; readonly notice: Notice };

const notice = (title: string, text: string): AlertAnswerOutcome => ({ kind: 'notice', notice: { title, text, tone: 'attention' } });

/** The alerts a card may carry: a digest lists at most a run's children for one person, far fewer than this. */
const MAX_ALERTS_PER_CARD = 500;

/**
 * An answer on an alert card (Action.Execute). Only the person the alert was
 * sent to may answer, and only for the alerts of the message the card came
 * in (a forged payload cannot answer another message's alerts, nor one alert
 * many times). The answer is kept as practitioner feedback with the run and
 * date and audited; the card returned in its place is rendered now, for the
 * caller's role now, and is itself a disclosure, audited as such.
 */
export async function answerAlert(deps: LookupDeps, requester: Requester, verb: string, data: unknown, cardActivityId: string | null = null): Promise<AlertAnswerOutcome> {
  const action = VERB_ACTIONS[verb];
  if (!action) return notice('Not recognised', `This card's button (${verb.slice(0, 60)}) is not one the bot knows.`);
  const { alertIds, note, digest } = payloadOf(data);
  if (alertIds.length === 0) return notice('Not recognised', 'This card does not say which alert it answers.');
  if (action === 'not_a_concern' && !note) return notice('Say why', 'Please say briefly why this is not a concern, then record it again.');
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, null), action: 'alert-answer', personId: null, outcome: 'refused', basis: unknownCallerBasis(requester), shown: 'nothing', runId: null, channel: requester.channel }], deps.now());
    return notice('Not recognised', 'You are not in the staff list, so this answer was not recorded.');
  }
  const alerts = await alertsByIds(deps.db, alertIds);
  const refusal = refusalOf(alerts, alertIds, caller, cardActivityId, requester);
  if (refusal) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'alert-answer', personId: null, outcome: 'refused', basis: `alert(s) ${alertIds.join(', ').slice(0, 300)}: ${refusal.basis}`, shown: 'nothing', runId: alerts[0]?.runId ?? null, channel: requester.channel }], deps.now());
    return notice(refusal.title, refusal.text);
  }
  const at = deps.now().toISOString().slice(0, 19);
  // The card returned shows the child again: decided now, by the profile's policy, for the reader as they are now
  // (a lead moved to another school, a role become admin, no longer consults the child, whatever they were sent).
  const links = await subjectLinksOf(deps.db, alerts.map((a) => a.personId), today(deps));
  const decisions = alerts.map((a) => decideProfileAccess(caller, links.get(a.personId) ?? { involvements: [], schoolIds: [], onList: null, areaId: null }));
  const rendered = alertsForReader(caller.role, alerts, await subjectsOf(deps.db, alerts));
  const shown = rendered.map((item, i) => (decisions[i].allowed ? item : withheldView(item.alertId, item.personId, item.change)));
  const audit: AuditEntry[] = [
    ...alerts.map((a) => ({ actor: actorOf(requester, caller), action: 'alert-answer', personId: a.personId, outcome: 'processed' as const, basis: `answer on the alert from run ${a.runId}`, shown: action, runId: a.runId, channel: requester.channel })),
    // The card returned in the old one's place shows the child's reasons again: what, to whom, on what basis.
    ...rendered.map((item, i) => {
      const decision = decisions[i];
      return {
        actor: actorOf(requester, caller),
        action: 'alert',
        personId: item.personId,
        outcome: decision.allowed ? ('allowed' as const) : ('refused' as const),
        basis: `the recipient's own alert from run ${alerts[i].runId}, shown again after their answer, for their role now (${caller.role}): ${decision.basis}`,
        shown: decision.allowed ? alertShownForAudit(item) : `nothing about the child: "${NO_LONGER_SHOWN}"`,
        runId: alerts[i].runId,
        channel: requester.channel,
      };
    }),
  ];
  await recordAnswers(deps.db, alerts.map((a) => ({ responseId: randomUUID(), alertId: a.alertId, runId: a.runId, workerId: caller.workerId, personId: a.personId, action, note, respondedAt: at })), audit, deps.now());
  const responses = (await responseViews(deps, [alerts[0].alertId], caller)).get(alerts[0].alertId) ?? [];
  if (alerts.length === 1 && !digest) return { kind: 'single', runId: alerts[0].runId, child: shown[0], responses };
  return { kind: 'digest', runId: alerts[0].runId, children: shown, responses };
}

/**
 * Why an answer may not be recorded, if it may not: an alert that does not
 * exist or was sent to someone else, or alerts from more than one message, or
 * from another message than the card pressed (Teams names the card's message
 * in the invoke's `replyToId`).
 */
function refusalOf(alerts: readonly Alert[], alertIds: readonly string[], caller: Caller, cardActivityId: string | null, requester: Requester): { title: string; text: string; basis: string } | null {
  // An alert goes to its recipient's 1:1 chat; answered anywhere else (a card forwarded or forged into a group chat), the returned card would reach everyone there.
  if (!isPrivateChat(requester))
    return { title: 'Answer in your 1:1 chat', text: `Everyone in this ${placeOf(requester)} would read the card returned, so an alert is answered only on the card in your own 1:1 chat with the app. Nothing was recorded or shown here.`, basis: `answered from a ${placeOf(requester)}, not the recipient's 1:1 chat the alert was sent to; nothing shown to the chat` };
  if (alerts.length !== alertIds.length || alerts.some((a) => a.workerId !== caller.workerId)) return { title: 'Not your alert', text: 'This alert was sent to someone else, so your answer was not recorded.', basis: 'not sent to this person' };
  const messages = new Set(alerts.map((a) => `${a.runId}|${a.activityId ?? ''}`));
  const mismatch = cardActivityId !== null && alerts.some((a) => a.activityId !== null && a.activityId !== cardActivityId);
  if (messages.size > 1 || mismatch) return { title: 'Not this card’s alerts', text: 'This answer names alerts that were not sent on this card, so it was not recorded. Answer on the card itself.', basis: 'not the alerts of the message answered' };
  return null;
}

/** The answers given on alerts, as cards show them, by alert (one read for all of them). */
export async function responseViews(deps: LookupDeps, alertIds: string[], caller: Caller): Promise<Map<string, AlertResponseView[]>> {
  const out = new Map<string, AlertResponseView[]>();
  for (const r of await answersTo(deps.db, alertIds)) {
    out.set(r.alertId, [...(out.get(r.alertId) ?? []), { by: r.workerId === caller.workerId ? caller.displayName : r.workerId, action: r.action, at: r.respondedAt, note: r.note }]);
  }
  return out;
}

function payloadOf(data: unknown): { alertIds: string[]; note: string | null; digest: boolean } {
  const d = (data && typeof data === 'object' ? data : {}) as { alertId?: unknown; alertIds?: unknown; note?: unknown };
  const ids = Array.isArray(d.alertIds) ? d.alertIds.slice(0, MAX_ALERTS_PER_CARD) : [d.alertId];
  // Each alert once, however often a payload names it.
  const alertIds = [...new Set(ids.filter((i): i is string => typeof i === 'string' && i.length > 0 && i.length <= 200))];
  const note = typeof d.note === 'string' && d.note.trim() ? d.note.trim().slice(0, 500) : null;
  return { alertIds, note, digest: Array.isArray(d.alertIds) };
}
