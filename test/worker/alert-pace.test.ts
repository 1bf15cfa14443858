import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standaloneAlertSender } from '../../bot/server.js';
import { createDb } from '../../db/database.js';
import { startAlertWorker } from '../../worker/alert-worker.js';
import { fastestSchedule, mostInAnyWindow, TEAMS_CONVERSATION_LIMITS } from '../../worker/alerts/teams-limits.js';
import { ALERT_DELIVER, deliverJobId, messagesFor } from '../../worker/jobs/alert-jobs.js';
import { openTeamsPace } from '../../worker/redis/teams-pace.js';
import { startConnectorStandIn } from '../helpers/connector-stand-in.js';
import { testRedisUrl, uniquePrefix } from '../helpers/queue.js';

/** The alert id each card answers for. */
const alertIdOn = (body: { attachments?: unknown[] }) =>
  (body.attachments as { content: { actions?: { data?: { alertId?: string } }[] } }[])[0].content.actions?.find((a) => a.data?.alertId)?.data?.alertId ?? '';

describe('alert delivery keeps to Teams’ per-conversation limits (real worker, real Redis, real SQLite, Bot Connector stand-in)', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof createDb>>;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  const sender = standaloneAlertSender({ appId: '', appPassword: '', tenantId: '' });

  /** One caseworker with a chat, and `n` alerts for them in run `runId` (each its own card: no digest). */
  async function alertsFor(runId: string, workerId: string, n: number) {
    const conversation = `a:${workerId}`;
    await db.db.insertInto('staff').values({ worker_id: workerId, display_name: workerId, email: null, aad_object_id: `aad-${workerId}`, agency: 'social_care', role: 'caseworker', school_id: null }).execute();
    await db.db
      .insertInto('conversation_reference')
      .values({ aad_object_id: `aad-${workerId}`, worker_id: workerId, conversation_id: conversation, service_url: connector.url, tenant_id: 'tenant-1', bot_id: '28:bot', active: 1, updated_at: '2026-12-05T00:00:00', reference: JSON.stringify({ serviceUrl: connector.url, channelId: 'msteams', conversation: { id: conversation, conversationType: 'personal', tenantId: 'tenant-1' }, bot: { id: '28:bot' }, user: { id: `29:aad-${workerId}`, aadObjectId: `aad-${workerId}` } }) })
      .execute();
    const alerts = Array.from({ length: n }, (_, i) => ({ alert_id: `${runId}|${workerId}|P${i}`, run_id: runId, worker_id: workerId, person_id: `P${i}`, change: 'joined_list', status: 'pending' as const, activity_id: null, sent_at: null, detail: null, previous_band: 'none', band: 'high', new_reasons: '[]' }));
    await db.db.insertInto('alert').values(alerts).execute();
    const jobs = messagesFor(alerts.map((a) => ({ alertId: a.alert_id, personId: a.person_id })), Number.MAX_SAFE_INTEGER).map((m) => ({ name: ALERT_DELIVER, data: { runId, workerId, alertIds: m.alertIds }, opts: { jobId: deliverJobId(runId, workerId, m.key), attempts: 2 } }));
    return { conversation, alerts, jobs };
  }

  async function deliveredTo(conversation: string, n: number, ms: number) {
    const end = Date.now() + ms;
    const mine = () => connector.sent.filter((s) => s.path.includes(encodeURIComponent(conversation)) || s.path.includes(conversation));
    while (mine().length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // anything extra would arrive now
    return mine();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-alert-pace-'));
    db = await createDb({ databaseUrl: `sqlite:${join(dir, 'tfd.sqlite')}` });
    connector = await startConnectorStandIn({ keep: true });
  });
  afterAll(async () => {
    await connector?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('12 cards for one caseworker in one run: never more than 7 in a second or 8 in two, each card once', async () => {
    const { conversation, alerts, jobs } = await alertsFor('run-pace', 'W-busy', 12);
    const worker = startAlertWorker({ redisUrl: testRedisUrl(), prefix: uniquePrefix() }, { db: db.db, sender, log: () => undefined });
    try {
      await worker.queue.addBulk(jobs);
      const sent = await deliveredTo(conversation, 12, 20_000);
      expect(sent.map((s) => alertIdOn(s.body)).sort()).toEqual(alerts.map((a) => a.alert_id).sort());
      const times = sent.map((s) => s.at).sort((a, b) => a - b);
      expect(mostInAnyWindow(times, 1000)).toBeLessThanOrEqual(TEAMS_CONVERSATION_LIMITS[0].max);
      expect(mostInAnyWindow(times, 2000)).toBeLessThanOrEqual(TEAMS_CONVERSATION_LIMITS[1].max);
      expect(mostInAnyWindow(times, 30_000)).toBeLessThanOrEqual(TEAMS_CONVERSATION_LIMITS[2].max);
      // Paced, not stalled: about as fast as Teams' windows allow (12 in 2 s), plus the margin.
      expect(times[11] - times[0]).toBeGreaterThanOrEqual(fastestSchedule(12, TEAMS_CONVERSATION_LIMITS)[11] - 100);
      expect(times[11] - times[0]).toBeLessThan(fastestSchedule(12, TEAMS_CONVERSATION_LIMITS)[11] + 2000);
    } finally {
      await worker.close();
    }
  }, 40_000);

  it('a chat whose limit is used up for longer than a job should wait goes back on the queue and is delivered when the window opens, without using an attempt', async () => {
    const prefix = uniquePrefix();
    // A stand-in limit of 2 per 6 s: the third card must wait longer than a job waits in place (5 s).
    const pace = openTeamsPace(testRedisUrl(), { prefix, conversation: [{ max: 2, ms: 6000 }] });
    const { conversation, jobs } = await alertsFor('run-pace-long', 'W-long', 3);
    const worker = startAlertWorker({ redisUrl: testRedisUrl(), prefix }, { db: db.db, sender, pace, log: () => undefined });
    try {
      await worker.queue.addBulk(jobs);
      const sent = await deliveredTo(conversation, 3, 20_000);
      expect(sent).toHaveLength(3);
      const times = sent.map((s) => s.at).sort((a, b) => a - b);
      expect(times[2] - times[0]).toBeGreaterThanOrEqual(6000);
      const states = await Promise.all(jobs.map(async (j) => worker.queue.getJob(j.opts.jobId)));
      // The waiting one was moved to delayed (a DelayedError), not failed: no attempt used, no error recorded.
      for (const job of states) expect(job?.attemptsMade ?? 0).toBeLessThanOrEqual(1);
      expect(states.some((job) => (job?.opts.delay ?? 0) > 0 || (job?.delay ?? 0) > 0 || (job?.stacktrace?.length ?? 0) === 0)).toBe(true);
      expect(states.every((job) => (job?.stacktrace?.length ?? 0) === 0)).toBe(true);
    } finally {
      await worker.close();
      await pace.close();
    }
  }, 40_000);
});
