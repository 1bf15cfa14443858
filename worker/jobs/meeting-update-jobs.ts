import { UnrecoverableError, type Job } from 'bullmq';
import type { TfdDb } from '../../db/database.js';
import { itemsOfMeeting, meetingById, recordUpdateRequests, staffAreasOf, updateRequestsOfMeeting } from '../../db/repositories/meetings.js';
import { involvementsOn } from '../../db/repositories/alerts.js';
import type { AlertSender } from '../../domain/alert-delivery.js';
import type { TeamsPace } from '../redis/teams-pace.js';
import { messageStaff } from './teams-chat.js';
import { updateRequests } from '../meeting/update-requests.js';
import { markIntentDone } from '../../db/repositories/delivery-outbox.js';

export const MEETING_UPDATE_REQUESTS = 'meeting-update-requests';

/**
 * The job id is the agenda's (the meeting and when it was drawn), so queuing
 * twice for one agenda asks once, while a meeting drawn afresh (a new
 * database) is not mistaken for an old one that Redis still remembers. Each
 * ask is also recorded, so a retried job never asks twice.
 */
export const updateRequestsJobId = (meetingId: string, drawnAt: string) => `updates-${meetingId}-${drawnAt}`.replace(/[^A-Za-z0-9_.-]/g, '_');
export const updateRequestsJobOptions = (meetingId: string, drawnAt: string) => ({ jobId: updateRequestsJobId(meetingId, drawnAt), attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 });

/**
 * Asks each lead professional of the children on a meeting's agenda for a
 * short update (one message each, through the alert sender; audited first,
 * as it names children). Each ask is recorded once, as requested or, with
 * no Teams chat with the bot (and none the bot may open: no tenant), held.
 */
export async function runUpdateRequests(deps: { readonly db: TfdDb; readonly sender: AlertSender; readonly now?: () => Date; readonly pace?: TeamsPace }, meetingId: string): Promise<{ asked: number; held: number }> {
  const now = deps.now ?? (() => new Date());
  const meeting = await meetingById(deps.db, meetingId);
  if (!meeting) {
    // Nothing can ever be asked for a meeting that is not there: its intent is closed, not re-queued for ever.
    await markIntentDone(deps.db, 'meeting-update-requests', meetingId, now());
    throw new UnrecoverableError(`${MEETING_UPDATE_REQUESTS}: no meeting "${meetingId}"`);
  }
  const items = await itemsOfMeeting(deps.db, meetingId);
  if (items.length === 0) {
    await markIntentDone(deps.db, 'meeting-update-requests', meetingId, now());
    return { asked: 0, held: 0 };
  }
  const { meetingDate, areaId } = meeting;
  let leads = await involvementsOn(deps.db, items.map((i) => i.personId), meetingDate);
  // Lead professionals stay in the meeting's area: staff of another area are not asked (their update would be posted to this area's chat).
  if (areaId) {
    const areas = await staffAreasOf(deps.db, leads.map((l) => l.workerId));
    leads = leads.filter((l) => (areas.get(l.workerId) ?? null) === null || areas.get(l.workerId) === areaId);
  }
  const asked = new Set((await updateRequestsOfMeeting(deps.db, meetingId)).map((u) => u.updateId));
  const requests = updateRequests(
    { meetingId, meetingDate },
    items.map((i) => ({ itemId: i.itemId, personId: i.personId, band: i.agenda.band })),
    leads.map((l) => ({ personId: l.personId, workerId: l.workerId, staffRole: l.staffRole, agency: l.agency })),
    asked,
  );
  const record = (request: (typeof requests)[number], status: 'requested' | 'held') =>
    recordUpdateRequests(
      deps.db,
      meetingId,
      request.workerId,
      request.items.map((i) => ({ updateId: i.updateId, itemId: i.updateId.slice(0, i.updateId.lastIndexOf('|')), personId: i.personId })),
      status,
      now(),
    );
  let sent = 0;
  let held = 0;
  for (const request of requests) {
    const outcome = await messageStaff(
      { ...deps, now },
      request.workerId,
      (chat) => request.items.map((i) => ({ actor: { aadObjectId: chat.aadObjectId, workerId: request.workerId, role: null }, action: 'meeting_update_request', personId: i.personId, outcome: 'allowed' as const, basis: `open involvement with a child on the agenda of ${meetingId}`, shown: `band ${i.band}`, runId: meeting.runId, channel: `teams-alert:${chat.conversationId}` })),
      deps.sender.requestUpdates && ((reference) => deps.sender.requestUpdates!(reference, request)),
    );
    await record(request, outcome === 'sent' ? 'requested' : 'held');
    if (outcome === 'sent') sent += request.items.length;
    else held += request.items.length;
  }
  // Every lead professional asked or held: the agenda's intent is done (until then the reconciler queues this job again).
  await markIntentDone(deps.db, 'meeting-update-requests', meetingId, now());
  return { asked: sent, held };
}

export const runUpdateRequestsJob = (job: Job, deps: Parameters<typeof runUpdateRequests>[0]) => {
  const meetingId = (job.data as { meetingId?: unknown }).meetingId;
  if (typeof meetingId !== 'string' || meetingId.length === 0 || meetingId.length > 64) throw new UnrecoverableError(`${MEETING_UPDATE_REQUESTS} job ${job.id}: no meetingId`);
  return runUpdateRequests(deps, meetingId);
};
