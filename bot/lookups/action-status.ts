import * as q from '../../db/queries/meeting-queries.js';
import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import type { DueAction } from '../../domain/alert-delivery.js';
import { actorOf, isoDay, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';
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
  const action = await q.actionById(deps.db, parsed.data.actionId).executeTakeFirst();
  if (!action || action.owner_worker_id !== caller.workerId) {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'meeting_action', personId: action?.person_id ?? null, outcome: 'refused', basis: action ? `${caller.workerId} is not the owner of action ${action.action_id}` : `no action ${parsed.data.actionId}`, shown: 'nothing', runId: null, channel: requester.channel }], deps.now());
    return { kind: 'notice', notice: { title: 'Not your action', text: 'Only the action’s owner can mark it done or blocked. Nothing was recorded.', tone: 'attention' } };
  }
  const reason = status === 'blocked' ? blockedReason.safeParse(blockedWhy(action.action_id)) : null;
  const why = reason?.success ? (reason.data ?? null) : null;
  const shownIds = [...new Set([...(parsed.data.shown ?? []), action.action_id])];
  const reread = async (banner?: string): Promise<ActionStatusOutcome> => ({
    kind: 'actions',
    actions: (await q.actionsWithMeeting(deps.db, shownIds).execute())
      .filter((a) => a.owner_worker_id === caller.workerId)
      .map((a) => ({ actionId: a.action_id, personId: a.person_id, description: a.description, due: isoDay(a.due_date), status: a.status, meetingDate: isoDay(a.meeting_date) })),
    ...(banner ? { banner } : {}),
  });
  if (reason && !reason.success) return reread(`${reason.error.issues[0].message} (“${action.description.slice(0, 80)}”), then record it again. Nothing was recorded.`);
  const now = deps.now();
  await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'meeting_action', personId: action.person_id, outcome: 'processed', basis: `owner of action ${action.action_id}`, shown: `${status}${why ? `: ${why}` : ''}`, runId: null, channel: requester.channel }], now);
  await q.setActionStatus(deps.db, action.action_id, status, caller.workerId, now.toISOString().slice(0, 19)).execute();
  return reread();
}
