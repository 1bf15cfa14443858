import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import { answerUpdate, itemsOfMeeting, meetingById, updateRequestById } from '../../../db/repositories/meetings.js';
import type { UpdateRequestView } from '../../../cards/update-card.js';
import { isPoliceAuthor } from '../../../domain/access-policy.js';
import { actorOf, unknownCallerBasis, type LookupDeps, type Requester } from '../lookup-deps.js';
import { notices, type Notice } from '../notices.js';
import { resolveCaller } from '../resolve-caller.js';
import { CLOSED_NOTICE, meetingNotice, refuse } from './meeting-common.js';
import { updateAnswer, updatePayload } from '../../../domain/meeting-forms.js';


export type UpdateOutcome = { readonly kind: 'updates'; readonly view: UpdateRequestView } | { readonly kind: 'notice'; readonly notice: Notice };

/**
 * A lead professional's updates from their request card: only the person
 * asked may answer; each answer (at most FORM_LIMITS.update characters:
 * longer, nothing is sent) is stored on the item and audited; the card returns
 * with what was sent. The meeting is the one the requests were made for, as
 * stored (never the card's own text): once it is closed, nothing is sent.
 * A police author's update is shared with the partners only if they ticked so on the card.
 */
export async function recordUpdates(deps: LookupDeps, requester: Requester, data: unknown): Promise<UpdateOutcome> {
  const parsed = updatePayload.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That card is out of date', 'It does not say which updates it holds.') };
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return refuse(deps, requester, null, 'meeting_update', notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester));
  const requests = () => Promise.all([...new Set(parsed.data.updateIds)].map((id) => updateRequestById(deps.db, id))).then((all) => all.filter((r) => r !== undefined));
  const rows = await requests();
  const meetingIds = new Set(rows.map((r) => r.meetingId));
  const meeting = meetingIds.size === 1 ? await meetingById(deps.db, rows[0].meetingId) : undefined;
  if (!meeting || rows.length === 0 || rows.some((r) => r.workerId !== caller.workerId)) return refuse(deps, requester, caller, 'meeting_update', meetingNotice('Not your request', 'This card asked someone else for updates. Nothing was recorded.'), `${caller.workerId} was not asked for these updates`);
  const inputs = parsed.data as Record<string, unknown>;
  const now = deps.now();
  const police = isPoliceAuthor({ agency: caller.agency, authorRole: caller.role });
  const answered: { personId: string; text: string; shared: boolean }[] = [];
  const sent = new Set<string>();
  const bands = new Map((await itemsOfMeeting(deps.db, meeting.meetingId)).map((i) => [i.itemId, i.agenda.band]));
  const viewOf = async (banner: string): Promise<UpdateOutcome> => ({
    kind: 'updates',
    view: { meetingId: meeting.meetingId, meetingDate: meeting.meetingDate, items: (await requests()).map((r) => ({ updateId: r.updateId, personId: r.personId, band: bands.get(r.itemId) ?? '', answer: r.text, shared: r.shareable })), policeAuthor: police, banner },
  });
  if (meeting.status === 'closed') return viewOf(`Nothing was sent: ${CLOSED_NOTICE(meeting).text}`);
  const texts = parsed.data.updateIds.map((_, k) => updateAnswer.safeParse(inputs[`update_${k + 1}`]));
  const tooLong = texts.flatMap((t, k) => (t.success ? [] : [`${rows.find((r) => r.updateId === parsed.data.updateIds[k])?.personId ?? `box ${k + 1}`}: ${t.error.issues[0].message}`]));
  if (tooLong.length) return viewOf(`Nothing was sent: ${tooLong.join('; ')}. Shorten it and send again.`);
  for (const [k, id] of parsed.data.updateIds.entries()) {
    const row = rows.find((r) => r.updateId === id);
    const text = texts[k].success ? texts[k].data : undefined;
    if (!row || row.status === 'answered' || sent.has(id) || text === undefined) continue;
    const shared = police && inputs[`share_${k + 1}`] === 'true';
    await answerUpdate(deps.db, id, text, shared, now);
    sent.add(id);
    answered.push({ personId: row.personId, text, shared });
  }
  if (answered.length) await appendAccessAudit(deps.db, answered.map((a) => ({ actor: actorOf(requester, caller), action: 'meeting_update', personId: a.personId, outcome: 'processed' as const, basis: `asked for an update before ${meeting.meetingId}`, shown: police ? (a.shared ? 'update recorded; police author; partners may read it, without the author’s name' : 'update recorded; police author; Police view only') : 'update recorded', runId: meeting.runId, channel: requester.channel })), now);
  return viewOf(answered.length ? `Thank you: ${answered.length} update${answered.length === 1 ? '' : 's'} sent to the meeting.` : 'Nothing new to send: write an update in a box first.');
}
