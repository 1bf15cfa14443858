import { recentAlertsOf, subjectsOf } from '../../db/repositories/alerts.js';
import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import { alertsForReader } from '../../domain/access-policy.js';
import type { AlertChildView, AlertResponseView } from '../../cards/alert-card.js';
import type { Notice } from '../../cards/views.js';
import { responseViews } from './alert-response.js';
import { resolveCaller } from './resolve-caller.js';
import { actorOf, isPrivateChat, placeOf, sharedChatBasis, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';
import { notices } from './notices.js';

/** How many of a person's latest alerts `alerts` shows. */
export const ALERTS_SHOWN = 20;

export interface AlertsView {
  readonly title: string;
  readonly alerts: readonly { readonly child: AlertChildView; readonly runId: string; readonly status: string; readonly responses: readonly AlertResponseView[] }[];
}

export type AlertsOutcome = { readonly kind: 'alerts'; readonly view: AlertsView } | { readonly kind: 'notice'; readonly notice: Notice };

/**
 * `alerts`: the caller's own latest alerts (what they were sent, and what
 * they answered), each rendered now for the caller's role now. Showing them
 * again is a disclosure, so it is audited again, with what the list shows.
 */
export async function consultAlerts(deps: LookupDeps, requester: Requester): Promise<AlertsOutcome> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, null), action: 'alerts', personId: null, outcome: 'refused', basis: unknownCallerBasis(requester), shown: 'nothing', runId: null, channel: requester.channel }], deps.now());
    return { kind: 'notice', notice: { title: 'Not recognised', text: 'You are not in the staff list, so there are no alerts to show.', tone: 'attention' } };
  }
  // The list names the caller's alerted children: in a group chat or channel every member would read it.
  if (!isPrivateChat(requester)) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'alerts', personId: null, outcome: 'refused', basis: sharedChatBasis('alerts', requester), shown: '', runId: null, channel: requester.channel }], deps.now());
    return { kind: 'notice', notice: notices.onlyInPersonalChat('alerts', placeOf(requester)) };
  }
  const recent = await recentAlertsOf(deps.db, caller.workerId, ALERTS_SHOWN);
  if (recent.length === 0) return { kind: 'notice', notice: { title: 'No alerts', text: 'No child in your caseload has had CSE risk emerge since you installed the app.', tone: 'default' } };
  const responses = await responseViews(deps, recent.map((a) => a.alertId), caller);
  const shown = alertsForReader(caller.role, recent, await subjectsOf(deps.db, recent));
  const alerts = recent.map((a, i) => ({ child: shown[i], runId: a.runId, status: a.status, responses: responses.get(a.alertId) ?? [] }));
  await appendAccessAudit(
    deps.db,
    recent.map((a) => ({
      actor: actorOf(requester, caller),
      action: 'alerts',
      personId: a.personId,
      outcome: 'allowed' as const,
      basis: `the caller’s own alert, shown for their role now (${caller.role})`,
      // The list names the child, what changed and the band, and the answers; no reasons.
      shown: `${a.change}; band ${a.band ?? '—'}; status ${a.status}`,
      runId: a.runId,
      channel: requester.channel,
    })),
    deps.now(),
  );
  return { kind: 'alerts', view: { title: `Your alerts (latest ${recent.length})`, alerts } };
}
