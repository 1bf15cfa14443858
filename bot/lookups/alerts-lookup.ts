import * as q from '../../db/queries/alert-queries.js';
import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import type { AlertChildView, AlertResponseView } from '../../cards/alert-card.js';
import type { Notice } from '../../cards/views.js';
import { alertChildView, responseViews } from './alert-response.js';
import { resolveCaller } from './resolve-caller.js';
import { actorOf, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';

/** How many of a person's latest alerts `alerts` shows. */
export const ALERTS_SHOWN = 20;

export interface AlertsView {
  readonly title: string;
  readonly alerts: readonly { readonly child: AlertChildView; readonly runId: string; readonly status: string; readonly responses: readonly AlertResponseView[] }[];
}

export type AlertsOutcome = { readonly kind: 'alerts'; readonly view: AlertsView } | { readonly kind: 'notice'; readonly notice: Notice };

/**
 * `alerts`: the caller's own latest alerts (what they were sent, and what
 * they answered). What each alert shows was decided for this reader when it
 * was made; showing it again is a disclosure, so it is audited again.
 */
export async function consultAlerts(deps: LookupDeps, requester: Requester): Promise<AlertsOutcome> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, null), action: 'alerts', personId: null, outcome: 'refused', basis: unknownCallerBasis(requester), shown: 'nothing', runId: null, channel: requester.channel }], deps.now());
    return { kind: 'notice', notice: { title: 'Not recognised', text: 'You are not in the staff list, so there are no alerts to show.', tone: 'attention' } };
  }
  const rows = (await q.recentAlertsOfWorker(deps.db, caller.workerId).execute()).slice(0, ALERTS_SHOWN);
  if (rows.length === 0) return { kind: 'notice', notice: { title: 'No alerts', text: 'No child in your caseload has had CSE risk emerge since you installed the app.', tone: 'default' } };
  const responses = await responseViews(deps, rows.map((a) => a.alert_id), caller);
  const alerts = rows.map((a) => ({ child: alertChildView(a), runId: a.run_id, status: a.status, responses: responses.get(a.alert_id) ?? [] }));
  await appendAccessAudit(
    deps.db,
    rows.map((a) => ({ actor: actorOf(requester, caller), action: 'alerts', personId: a.person_id, outcome: 'allowed' as const, basis: 'the caller’s own alert', shown: 'alert as sent', runId: a.run_id, channel: requester.channel })),
    deps.now(),
  );
  return { kind: 'alerts', view: { title: `Your alerts (latest ${rows.length})`, alerts } };
}
