import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import { actionById, dueActions, setActionStatus } from '../../db/repositories/meetings.js';
import type { DueAction } from '../../domain/alert-delivery.js';
import { actorOf, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';
import { notices, type Notice } from './notices.js';
import { resolveCaller } from './resolve-caller.js';
import { actionPayload as payload, blockedReason } from '../../domain/meeting-forms.js';

export type ActionStatusOutcome = { readonly kind: 'actions'; readonly actions: readonly DueAction[]; readonly banner?: string } | { readonly kind: 'notice'; readonly notice: Notice };


/**
 * Done or Blocked on an action reminder: only the action's owner may answer;
 * a block needs its reason (kept in the audit, which the next meeting's chair
 * can read); the answer is audited and the reminder card returned with the
 * new statuses.
 */
export async function answerAction(deps: LookupDeps, requester: Requester, status: 'done' | 'blocked', data: unknown, blockedWhy: (actionId: string) => unknown): Promise<ActionStatusOutcome> {
  const parsed = payload.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: { title: 'Not recognised', text: 'This card does not say which action it answers.', tone: 'attention' } };
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, null), action: 'meeting_action', personId: null, outcome: 'refused', basis: unknownCallerBasis(requester), shown: 'nothing', runId: null, channel: requester.channel }], deps.now());
    return { kind: 'notice', notice: notices.unknownCaller(requester.aadObjectId) };
  }
  const action = await actionById(deps.db, parsed.data.actionId);
  if (!action || action.ownerWorkerId !== caller.workerId) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'meeting_action', personId: action?.personId ?? null, outcome: 'refused', basis: action ? `${caller.workerId} is not the owner of action ${action.actionId}` : `no action ${parsed.data.actionId}`, shown: 'nothing', runId: null, channel: requester.channel }], deps.now());
    return { kind: 'notice', notice: { title: 'Not your action', text: 'Only the action’s owner can mark it done or blocked. Nothing was recorded.', tone: 'attention' } };
  }
  const reason = status === 'blocked' ? blockedReason.safeParse(blockedWhy(action.actionId)) : null;
  const why = reason?.success ? (reason.data ?? null) : null;
  const shownIds = [...new Set([...(parsed.data.shown ?? []), action.actionId])];
  const reread = async (banner?: string): Promise<ActionStatusOutcome> => ({
    kind: 'actions',
    actions: (await dueActions(deps.db, shownIds)).filter((a) => a.ownerWorkerId === caller.workerId).map(({ ownerWorkerId: _owner, ...a }) => a),
    ...(banner ? { banner } : {}),
  });
  if (reason && !reason.success) return reread(`${reason.error.issues[0].message} (“${action.description.slice(0, 80)}”), then record it again. Nothing was recorded.`);
  const now = deps.now();
  await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'meeting_action', personId: action.personId, outcome: 'processed', basis: `owner of action ${action.actionId}`, shown: `${status}${why ? `: ${why}` : ''}`, runId: null, channel: requester.channel }], now);
  await setActionStatus(deps.db, action.actionId, status, caller.workerId, now);
  return reread();
}
