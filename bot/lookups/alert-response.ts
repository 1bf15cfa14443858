import { randomUUID } from 'node:crypto';
import * as q from '../../db/queries/alert-queries.js';
import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import type { AlertAction, AlertRow } from '../../db/schema/database-schema.js';
import { ALERT_VERBS, type AlertChildView, type AlertResponseView } from '../../cards/alert-card.js';
import type { Notice } from '../../cards/views.js';
import { resolveCaller } from './resolve-caller.js';
import type { Caller } from '../../domain/roles.js';
import { actorOf, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';

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

/** An alert's child as its card shows them (what was decided at fan-out for this reader). */
export function alertChildView(alert: AlertRow): AlertChildView {
  const item = JSON.parse(alert.detail ?? '{}') as Omit<AlertChildView, 'alertId'>;
  return { ...item, alertId: alert.alert_id, reasonLines: item.reasonLines ?? [], agencies: item.agencies ?? [] };
}

/**
 * An answer on an alert card (Action.Execute): only the person the alert was
 * sent to may answer; the answer is kept as practitioner feedback with the run
 * and date, and audited; the outcome is the card to show in its place.
 */
export async function answerAlert(deps: LookupDeps, requester: Requester, verb: string, data: unknown): Promise<AlertAnswerOutcome> {
  const action = VERB_ACTIONS[verb];
  if (!action) return notice('Not recognised', `This card's button (${verb.slice(0, 60)}) is not one the bot knows.`);
  const { alertIds, note } = payloadOf(data);
  if (alertIds.length === 0) return notice('Not recognised', 'This card does not say which alert it answers.');
  if (action === 'not_a_concern' && !note) return notice('Say why', 'Please say briefly why this is not a concern, then record it again.');
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, null), action: 'alert-answer', personId: null, outcome: 'refused', basis: unknownCallerBasis(requester), shown: 'nothing', runId: null, channel: requester.channel }], deps.now());
    return notice('Not recognised', 'You are not in the staff list, so this answer was not recorded.');
  }
  const alerts = (await Promise.all(alertIds.map((id) => q.alertById(deps.db, id).executeTakeFirst()))).filter((a): a is AlertRow => a !== undefined);
  const own = alerts.filter((a) => a.worker_id === caller.workerId);
  if (own.length === 0 || own.length !== alertIds.length) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'alert-answer', personId: null, outcome: 'refused', basis: `alert(s) ${alertIds.join(', ').slice(0, 300)} not sent to this person`, shown: 'nothing', runId: alerts[0]?.run_id ?? null, channel: requester.channel }], deps.now());
    return notice('Not your alert', 'This alert was sent to someone else, so your answer was not recorded.');
  }
  const at = deps.now().toISOString().slice(0, 19);
  await deps.db.transaction().execute(async (trx) => {
    for (const a of own) await q.insertResponse(trx, { response_id: randomUUID(), alert_id: a.alert_id, run_id: a.run_id, worker_id: caller.workerId, person_id: a.person_id, action, note: note ?? null, responded_at: at }).execute();
    await appendAccessAudit(
      trx,
      own.map((a) => ({ actor: actorOf(requester, caller), action: 'alert-answer', personId: a.person_id, outcome: 'processed' as const, basis: `answer on the alert from run ${a.run_id}`, shown: action, runId: a.run_id, channel: requester.channel })),
      deps.now(),
    );
  });
  const responses = (await responseViews(deps, [own[0].alert_id], caller)).get(own[0].alert_id) ?? [];
  if (own.length === 1 && !Array.isArray((data as { alertIds?: unknown })?.alertIds)) return { kind: 'single', runId: own[0].run_id, child: alertChildView(own[0]), responses };
  return { kind: 'digest', runId: own[0].run_id, children: own.map(alertChildView), responses };
}

/** The answers given on alerts, as cards show them, by alert (one read for all of them). */
export async function responseViews(deps: LookupDeps, alertIds: string[], caller: Caller): Promise<Map<string, AlertResponseView[]>> {
  const out = new Map<string, AlertResponseView[]>();
  if (alertIds.length === 0) return out;
  for (const r of await q.responsesOf(deps.db, alertIds).execute()) {
    out.set(r.alert_id, [...(out.get(r.alert_id) ?? []), { by: r.worker_id === caller.workerId ? caller.displayName : r.worker_id, action: r.action, at: r.responded_at, note: r.note }]);
  }
  return out;
}

function payloadOf(data: unknown): { alertIds: string[]; note: string | null } {
  const d = (data && typeof data === 'object' ? data : {}) as { alertId?: unknown; alertIds?: unknown; note?: unknown };
  const ids = Array.isArray(d.alertIds) ? d.alertIds : [d.alertId];
  const alertIds = ids.filter((i): i is string => typeof i === 'string' && i.length > 0 && i.length <= 200).slice(0, 100);
  const note = typeof d.note === 'string' && d.note.trim() ? d.note.trim().slice(0, 500) : null;
  return { alertIds, note };
}
