/**
 * Alert delivery benchmark: N alerts (four children per caseworker, a card
 * each) through the `tfd-alerts` queue on real Redis, the real delivery job
 * (SQLite reads, access audit, marking sent) and botbuilder's
 * continueConversation to a loopback Bot Connector stand-in, with the
 * pace at Teams' limits (50 requests a second per tenant; 7/1 s, 8/2 s,
 * 60/30 s, 1,800/h per conversation). Prints
 * the achieved send rate against the permitted one and counts duplicates
 * (every card names its alert id; each must arrive exactly once). In the
 * same run, the peer: the same sender called directly in a loop with no
 * queue or limiter, the pipeline's own ceiling.
 *
 *   npm run bench:alerts [-- --alerts 10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalConnector } from '../bot/local/local-connector.js';
import { standaloneAlertSender } from '../bot/server.js';
import { createDb } from '../db/database.js';
import { startAlertWorker } from '../worker/alert-worker.js';
import { fastestSchedule, mostInAnyWindow, TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS } from '../worker/alerts/teams-limits.js';
import { ALERT_DELIVER, deliverJobId, messagesFor } from '../worker/jobs/alert-jobs.js';
import { ensureRedis } from '../worker/redis/ensure-redis.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const total = Number(arg('alerts') ?? 10_000);
const busy = Number(arg('busy') ?? 40);

const PER_CASEWORKER = 4;
const recipients = Math.ceil(total / PER_CASEWORKER);
const work = mkdtempSync(join(tmpdir(), 'tfd-bench-alerts-'));
const redis = await ensureRedis({});
const db = await createDb({ databaseUrl: `sqlite:${join(work, 'tfd.sqlite')}` });
const connector = await startLocalConnector({ keep: true });
const teams = standaloneAlertSender({ appId: '', appPassword: '', tenantId: '' });
/** When each send was accepted (ms), to measure the rate Teams would see. */
const sentAt: number[] = [];
const sender: typeof teams = { send: async (ref, delivery) => {
  const result = await teams.send(ref, delivery);
  sentAt.push(performance.now());
  return result;
} };
const runId = 'run-bench';
const now = '2026-12-04T00:00:00';
try {
  const staff = Array.from({ length: recipients }, (_, r) => ({ worker_id: `W${r}`, display_name: `Worker ${r}`, email: null, aad_object_id: `aad-${r}`, agency: 'social_care', role: 'caseworker', school_id: null }));
  const alerts = Array.from({ length: total }, (_, i) => {
    const r = Math.floor(i / PER_CASEWORKER);
    const personId = `P${String(i).padStart(8, '0')}`;
    return { alert_id: `${runId}|W${r}|${personId}`, run_id: runId, worker_id: `W${r}`, person_id: personId, change: 'joined_list', status: 'pending' as const, activity_id: null, sent_at: null, detail: null, previous_band: 'none', band: 'high', new_reasons: '[]', closed_on: null };
  });
  const refs = staff.map((s) => ({
    aad_object_id: s.aad_object_id,
    worker_id: s.worker_id,
    conversation_id: `a:${s.worker_id}`,
    service_url: connector.url,
    tenant_id: 'tenant-1',
    bot_id: '28:bot',
    reference: JSON.stringify({ serviceUrl: connector.url, channelId: 'msteams', conversation: { id: `a:${s.worker_id}`, conversationType: 'personal', tenantId: 'tenant-1' }, bot: { id: '28:bot' }, user: { id: `29:${s.aad_object_id}`, aadObjectId: s.aad_object_id } }),
    active: 1,
    updated_at: now,
  }));
  for (let i = 0; i < staff.length; i += 200) await db.db.insertInto('staff').values(staff.slice(i, i + 200)).execute();
  for (let i = 0; i < refs.length; i += 100) await db.db.insertInto('conversation_reference').values(refs.slice(i, i + 100)).execute();
  for (let i = 0; i < alerts.length; i += 100) await db.db.insertInto('alert').values(alerts.slice(i, i + 100)).execute();

  // The peer: the sender alone, no queue, no limiter, no database.
  const peerSends = 500;
  // The card as the worker renders it at send time (what the bench measures is the sender, not the rendering).
  const peerItem = (personId: string) => ({ personId, change: 'joined_list' as const, previousBand: 'none', band: 'high', chanceIn100: 5, reasonLines: ['They have been reported missing 3 times in the last 12 months.'], newReasonLines: [], shownCodes: ['feature:missing_episode'], policeHoldMore: false, agencies: ['social care'] });
  const peerStarted = performance.now();
  for (let i = 0; i < peerSends; i++) {
    await sender.send(JSON.parse(refs[i % refs.length].reference), { runId, workerId: staff[i % staff.length].worker_id, items: [{ ...peerItem(alerts[i].person_id), alertId: `peer-${i}` }], digest: false });
  }
  const peerRate = peerSends / ((performance.now() - peerStarted) / 1000);
  connector.sent.length = 0;
  sentAt.length = 0;

  const settings = { redisUrl: redis.url, prefix: `tfd-bench-alerts-${Date.now()}` };
  const worker = startAlertWorker(settings, { db: db.db, sender, log: () => undefined });
  const jobs = staff.flatMap((s) =>
    messagesFor(
      alerts.filter((a) => a.worker_id === s.worker_id).map((a) => ({ alertId: a.alert_id, personId: a.person_id })),
      5,
    ).map((m) => ({ name: ALERT_DELIVER, data: { runId, workerId: s.worker_id, alertIds: m.alertIds }, opts: { jobId: deliverJobId(runId, s.worker_id, m.key), attempts: 8, backoff: { type: 'jitter' } } })),
  );
  const started = performance.now();
  for (let i = 0; i < jobs.length; i += 1000) await worker.queue.addBulk(jobs.slice(i, i + 1000));
  // The same jobs again, as a retried fan-out would add them: deterministic ids make them no-ops.
  for (let i = 0; i < jobs.length; i += 1000) await worker.queue.addBulk(jobs.slice(i, i + 1000));
  let last = 0;
  for (;;) {
    const pending = await db.db.selectFrom('alert').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) break;
    if (connector.sent.length !== last) {
      last = connector.sent.length;
      process.stdout.write(`\r  ${last.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} sent`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  const seen = new Map<string, number>();
  for (const s of connector.sent) {
    const content = (s.body.attachments as { content: { actions?: { data?: { alertId?: string } }[] } }[])[0].content;
    const id = content.actions?.find((a) => a.data?.alertId)?.data?.alertId ?? '';
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const missing = alerts.filter((a) => !seen.has(a.alert_id)).length;
  const permitted = TEAMS_TENANT_LIMITS[0].max / (TEAMS_TENANT_LIMITS[0].ms / 1000);
  // Sustained rate between the first and the last send, and the most sends in any one second (a sliding window) as the stand-in saw them arrive.
  const rate = (sentAt.length - 1) / ((sentAt[sentAt.length - 1] - sentAt[0]) / 1000);
  const arrivals = connector.sent.map((s) => s.at).sort((a, b) => a - b);
  const peak = mostInAnyWindow(arrivals, 1000);
  console.log(`\nalerts ${total.toLocaleString('en-GB')} to ${recipients.toLocaleString('en-GB')} caseworkers (a card each): ${connector.sent.length.toLocaleString('en-GB')} messages in ${seconds.toFixed(1)} s`);
  console.log(`rate   ${rate.toFixed(1)} sends/s sustained against Teams' permitted ${permitted}/s per tenant: ${((100 * rate) / permitted).toFixed(1)}% (target ≥ 95%); most arriving in any one second: ${peak}`);
  console.log(`exact  duplicates ${duplicates}, missing ${missing} (every job added twice)`);
  console.log(`peer   the sender alone, no queue or limiter: ${peerRate.toFixed(0)} sends/s (the pipeline is ${(peerRate / permitted).toFixed(1)}× faster than Teams allows)`);

  // One busy chat: every message to one conversation, so its own limits bind.
  if (busy > 0) {
    const busyRun = 'run-bench-busy';
    const chat = refs[0];
    const busyAlerts = Array.from({ length: busy }, (_, i) => ({ ...alerts[i], alert_id: `${busyRun}|${chat.worker_id}|B${i}`, run_id: busyRun, worker_id: chat.worker_id, person_id: `B${i}` }));
    for (let i = 0; i < busyAlerts.length; i += 100) await db.db.insertInto('alert').values(busyAlerts.slice(i, i + 100)).execute();
    connector.sent.length = 0;
    const busyWorker = startAlertWorker({ ...settings, prefix: `${settings.prefix}-busy` }, { db: db.db, sender, log: () => undefined });
    const busyJobs = messagesFor(busyAlerts.map((a) => ({ alertId: a.alert_id, personId: a.person_id })), Number.MAX_SAFE_INTEGER).map((m) => ({ name: ALERT_DELIVER, data: { runId: busyRun, workerId: chat.worker_id, alertIds: m.alertIds }, opts: { jobId: deliverJobId(busyRun, chat.worker_id, m.key), attempts: 8, backoff: { type: 'jitter' } } }));
    await busyWorker.queue.addBulk(busyJobs);
    while (connector.sent.length < busy) await new Promise((r) => setTimeout(r, 100));
    await busyWorker.close();
    const times = connector.sent.map((s) => s.at).sort((a, b) => a - b);
    const took = (times[times.length - 1] - times[0]) / 1000;
    const ideal = fastestSchedule(busy, TEAMS_CONVERSATION_LIMITS).at(-1)! / 1000;
    const most = TEAMS_CONVERSATION_LIMITS.filter((w) => w.ms <= 30_000).map((w) => `${mostInAnyWindow(times, w.ms)} in ${w.ms / 1000} s (limit ${w.max})`);
    console.log(`chat   ${busy} messages to one conversation: first to last ${took.toFixed(1)} s against the fastest Teams' per-conversation limits allow, ${ideal.toFixed(1)} s (${((100 * ideal) / took).toFixed(0)}%); most arriving: ${most.join(', ')}`);
  }
} finally {
  await connector.close();
  await db.close();
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}
