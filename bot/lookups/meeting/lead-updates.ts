import { z } from 'zod';
import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import { answerUpdate, itemsOfMeeting, meetingById, updateRequestById } from '../../../db/repositories/meetings.js';
import type { UpdateRequestView } from '../../../cards/update-card.js';
import { actorOf, unknownCallerBasis, type LookupDeps, type Requester } from '../lookup-deps.js';
import { notices, type Notice } from '../notices.js';
import { resolveCaller } from '../resolve-caller.js';
import { meetingNotice, refuse } from './meeting-common.js';

const updatePayload = z.object({ meetingId: z.string().min(1).max(64), updateIds: z.array(z.string().min(1).max(300)).min(1).max(60) }).passthrough();

export type UpdateOutcome = { readonly kind: 'updates'; readonly view: UpdateRequestView } | { readonly kind: 'notice'; readonly notice: Notice };

/**
 * A lead professional's updates from their request card: only the person
 * asked may answer; each answer (at most 500 characters) is stored on the
 * item and audited; the card returns with what was sent.
 */
export async function recordUpdates(deps: LookupDeps, requester: Requester, data: unknown): Promise<UpdateOutcome> {
  const parsed = updatePayload.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That card is out of date', 'It does not say which updates it holds.') };
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return refuse(deps, requester, null, 'meeting_update', notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester));
  const meeting = await meetingById(deps.db, parsed.data.meetingId);
  const requests = () => Promise.all(parsed.data.updateIds.map((id) => updateRequestById(deps.db, id))).then((all) => all.filter((r) => r !== undefined));
  const rows = await requests();
  if (!meeting || rows.length === 0 || rows.some((r) => r.workerId !== caller.workerId)) return refuse(deps, requester, caller, 'meeting_update', meetingNotice('Not your request', 'This card asked someone else for updates. Nothing was recorded.'), `${caller.workerId} was not asked for these updates`);
  const inputs = parsed.data as Record<string, unknown>;
  const now = deps.now();
  const answered: { personId: string; text: string }[] = [];
  for (const [k, id] of parsed.data.updateIds.entries()) {
    const row = rows.find((r) => r.updateId === id);
    const text = inputs[`update_${k + 1}`];
    if (!row || row.status === 'answered' || typeof text !== 'string' || text.trim() === '') continue;
    await answerUpdate(deps.db, id, text.trim().slice(0, 500), now);
    answered.push({ personId: row.personId, text });
  }
  if (answered.length) await appendAccessAudit(deps.db, answered.map((a) => ({ actor: actorOf(requester, caller), action: 'meeting_update', personId: a.personId, outcome: 'processed' as const, basis: `asked for an update before ${meeting.meetingId}`, shown: 'update recorded', runId: meeting.runId, channel: requester.channel })), now);
  const current = await requests();
  const bands = new Map((await itemsOfMeeting(deps.db, meeting.meetingId)).map((i) => [i.itemId, i.agenda.band]));
  return {
    kind: 'updates',
    view: {
      meetingId: meeting.meetingId,
      meetingDate: meeting.meetingDate,
      items: current.map((r) => ({ updateId: r.updateId, personId: r.personId, band: bands.get(r.itemId) ?? '', answer: r.text })),
      banner: answered.length ? `Thank you: ${answered.length} update${answered.length === 1 ? '' : 's'} sent to the meeting.` : 'Nothing new to send: write an update in a box first.',
    },
  };
}
