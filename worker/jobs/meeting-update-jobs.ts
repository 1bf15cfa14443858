import { UnrecoverableError, type Job } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/database-schema.js';
import * as m from '../../db/queries/meeting-queries.js';
import { leadProfessionalsOf } from '../../db/queries/alert-queries.js';
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

const day = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v ?? '')).slice(0, 10);

/**
 * Asks each lead professional of the children on a meeting's agenda for a
 * short update (one message each, through the alert sender; audited first,
 * as it names children). Each ask is recorded once, as requested or, with
 * no Teams chat with the bot (and none the bot may open: no tenant), held.
 */
export async function runUpdateRequests(deps: { readonly db: Kysely<Database>; readonly sender: AlertSender; readonly now?: () => Date; readonly pace?: TeamsPace }, meetingId: string): Promise<{ asked: number; held: number }> {
  const now = deps.now ?? (() => new Date());
  const meeting = await m.meetingById(deps.db, meetingId).executeTakeFirst();
  if (!meeting) {
    // Nothing can ever be asked for a meeting that is not there: its intent is closed, not re-queued for ever.
    await markIntentDone(deps.db, 'meeting-update-requests', meetingId, now());
    throw new UnrecoverableError(`${MEETING_UPDATE_REQUESTS}: no meeting "${meetingId}"`);
  }
  const items = await m.itemsOfMeeting(deps.db, meetingId).execute();
  if (items.length === 0) {
    await markIntentDone(deps.db, 'meeting-update-requests', meetingId, now());
    return { asked: 0, held: 0 };
  }
  const meetingDate = day(meeting.meeting_date);
  const ids = items.map((i) => i.person_id);
  const leads = [];
  for (let i = 0; i < ids.length; i += 500) leads.push(...(await leadProfessionalsOf(deps.db, ids.slice(i, i + 500), meetingDate).execute()));
  // Lead professionals stay in the meeting's area: staff of another area are not asked (their update would be posted to this area's chat).
  if (meeting.area_id) {
    const areas = new Map<string, string | null>();
    const workers = [...new Set(leads.map((l) => l.worker_id))];
    for (let i = 0; i < workers.length; i += 500) for (const s of await m.staffAreasOf(deps.db, workers.slice(i, i + 500)).execute()) areas.set(s.worker_id, s.area_id);
    leads.splice(0, leads.length, ...leads.filter((l) => (areas.get(l.worker_id) ?? null) === null || areas.get(l.worker_id) === meeting.area_id));
  }
  const asked = new Set((await m.updatesOfMeeting(deps.db, meetingId).execute()).map((u) => u.update_id));
  const requests = updateRequests(
    { meetingId, meetingDate },
    items.map((i) => ({ itemId: i.item_id, personId: i.person_id, band: (JSON.parse(i.detail) as { band?: string }).band ?? '' })),
    leads.map((l) => ({ personId: l.person_id, workerId: l.worker_id, staffRole: l.role, agency: l.agency })),
    asked,
  );
  const stamp = () => now().toISOString().slice(0, 19);
  const record = (request: (typeof requests)[number], status: 'requested' | 'held') =>
    m
      .insertUpdateRequests(
        deps.db,
        request.items.map((i) => ({ update_id: i.updateId, meeting_id: meetingId, item_id: i.updateId.slice(0, i.updateId.lastIndexOf('|')), person_id: i.personId, worker_id: request.workerId, status, requested_at: stamp(), text: null, answered_at: null, shareable: 0 })),
      )
      .execute();
  let sent = 0;
  let held = 0;
  for (const request of requests) {
    const outcome = await messageStaff(
      { ...deps, now },
      request.workerId,
      (reference) => request.items.map((i) => ({ actor: { aadObjectId: reference.aad_object_id, workerId: request.workerId, role: null }, action: 'meeting_update_request', personId: i.personId, outcome: 'allowed' as const, basis: `open involvement with a child on the agenda of ${meetingId}`, shown: `band ${i.band}`, runId: meeting.run_id, channel: `teams-alert:${reference.conversation_id}` })),
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
