import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { storeConversationReference } from '../../db/repositories/conversation-references.js';
import { ALERT_QUEUE, openAlertQueue, queueAlertsForRun } from '../../worker/alert-worker.js';
import { QUEUE_NAME } from '../../worker/queue.js';
import { STAGE_QUEUE } from '../../worker/run-flow.js';
import { SCORE_RUN } from '../../worker/jobs/score-run-job.js';
import { fanoutJobId } from '../../worker/jobs/alert-jobs.js';
import { connectionFrom } from '../../worker/redis/ensure-redis.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, teamsGroupMessage, type SentActivity } from '../helpers/connector-stand-in.js';
import { uniquePrefix } from '../helpers/queue.js';

/**
 * "Nothing is lost": real `scripts/start.ts` processes killed (SIGKILL) at each boundary of delivery, and a Redis that
 * keeps nothing: the test's own redis-server, flushed between the kill and the restart. What is owed is in the database
 * (the outbox, the alerts' states); the restarted worker's reconciler puts it back on the queue.
 */

const CASEWORKERS = 8;
const CHILDREN_EACH = 3;
const require = createRequire(import.meta.url);

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function alertIdsOn(activity: SentActivity): string[] {
  const card = (activity.body.attachments as { content: { actions?: { data?: { alertId?: string; alertIds?: string[] } }[] } }[] | undefined)?.[0]?.content;
  const data = card?.actions?.find((a) => a.data?.alertId || a.data?.alertIds)?.data;
  return data?.alertIds ?? (data?.alertId ? [data.alertId] : []);
}
const resentLine = (activity: SentActivity) => JSON.stringify(activity.body.attachments).includes('delivery was interrupted, so it was sent again');
const countOf = (ids: string[]) => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());

/** A redis-server of the test's own (CLIENT PAUSE and FLUSHALL reach no one else's keys). */
async function privateRedis(): Promise<{ url: string; stop(): void }> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // Refused connections while the server starts are expected: `until` asks again.
  probe.on('error', () => undefined);
  await until('the private redis-server', async () => probe.connect().then(() => true, () => false), 10_000);
  probe.disconnect();
  return { url, stop: () => child.kill('SIGKILL') };
}

describe('delivery survives SIGKILL at every boundary with a Redis wiped between the kill and the restart (real start.ts processes, real SQLite, the Bot Connector stand-in)', () => {
  let dir: string;
  let f: BotFixture;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let redis: Awaited<ReturnType<typeof privateRedis>>;
  let admin: Redis;
  const prefix = uniquePrefix();
  const children: ChildProcess[] = [];
  const freezes: (() => Promise<unknown>)[] = [];
  const logs: string[] = [];
  const dbPath = () => join(dir, 'tfd.sqlite');

  const startProcess = (mode: 'worker' | 'all', extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', mode], {
      env: { ...process.env, DATABASE_URL: `sqlite:${dbPath()}`, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, ALERT_LOCK_MS: '2000', MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppTenantId: '', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d) => logs.push(String(d)));
    child.stderr!.on('data', (d) => logs.push(String(d)));
    children.push(child);
    return child;
  };
  const kill = async (child: ChildProcess) => {
    process.kill(-child.pid!, 'SIGKILL');
    await until('the process gone', () => child.exitCode !== null || child.signalCode !== null, 10_000);
  };
  /** Redis forgets everything: every queue, job, lock and schedule. */
  const wipeRedis = async () => {
    await admin.call('CLIENT', 'UNPAUSE');
    await admin.flushall();
  };
  /** From the moment `name` goes active on `queue`, Redis takes no writes: the process freezes at its next queue operation. */
  const freezeRedisWhenActive = async (queue: string, matches: (jobId: string, name: string) => boolean) => {
    const events = new QueueEvents(queue, { connection: connectionFrom(redis.url), prefix });
    await events.waitUntilReady();
    const jobs = new Queue(queue, { connection: connectionFrom(redis.url), prefix });
    let fired = false;
    const frozen = new Promise<void>((resolve) => {
      events.on('active', ({ jobId }) => {
        void (async () => {
          const name = jobId.startsWith('fanout-') ? 'alert-fanout' : ((await jobs.getJob(jobId))?.name ?? '');
          // Once only: a listener left by a failed scenario must not freeze the next one.
          if (!fired && matches(jobId, name)) {
            fired = true;
            await admin.call('CLIENT', 'PAUSE', '120000', 'WRITE');
            resolve();
          }
        })();
      });
    });
    const close = async () => Promise.all([events.close(), jobs.close()]);
    freezes.push(close);
    return { frozen, close };
  };
  /** What the pipeline worker does after a publish (the first worker's own queuing, not the reconciler's). */
  const queueFanout = async (runId: string) => {
    const queue = openAlertQueue({ redisUrl: redis.url, prefix });
    await queueAlertsForRun(queue, runId);
    await queue.close();
  };
  const alertsOf = async (runId: string) => f.db.db.selectFrom('alert').select(['alert_id', 'status', 'worker_id']).where('run_id', '=', runId).execute();
  const intentOf = async (kind: string, subject: string) => f.db.db.selectFrom('delivery_intent').select(['done_at']).where('intent_id', '=', `${kind}|${subject}`).executeTakeFirst();
  /** The fixture's run as just published: its alerts not yet fanned out, its intent owed. */
  const republish = async (runId: string) => {
    await f.db.db.deleteFrom('alert').where('run_id', '=', runId).execute();
    await f.db.db.updateTable('delivery_intent').set({ done_at: null }).where('intent_id', '=', `alert-fanout|${runId}`).execute();
  };
  /** Every alert of the run reached Teams: each exactly as often as `times` says (default once), none left unsent. */
  const expectDeliveredOnce = async (runId: string, sends: SentActivity[], times: (id: string) => number = () => 1) => {
    const rows = await alertsOf(runId);
    expect(rows.filter((r) => r.status === 'pending' || r.status === 'sending')).toEqual([]);
    const sent = rows.filter((r) => r.status === 'sent').map((r) => r.alert_id).sort();
    expect(sent.length).toBeGreaterThanOrEqual(CASEWORKERS * CHILDREN_EACH);
    const delivered = countOf(sends.flatMap(alertIdsOn));
    expect([...delivered.keys()].sort()).toEqual(sent);
    for (const id of sent) expect([id, delivered.get(id)]).toEqual([id, times(id)]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-delivery-kill-'));
    redis = await privateRedis();
    admin = new Redis(redis.url);
    f = await botFixture(dir);
    connector = await startConnectorStandIn();
    const d = f.db.db;
    const staff = await d.selectFrom('staff').select(['worker_id', 'aad_object_id']).where('role', '=', 'caseworker').where('aad_object_id', 'is not', null).orderBy('worker_id').limit(CASEWORKERS).execute();
    // Children who joined the meeting's list in the fixture's (first) run: their risk emerged.
    const joined = (await d.selectFrom('run_score').select('person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 1).orderBy('person_id').execute()).map((r) => r.person_id);
    expect(joined.length).toBeGreaterThanOrEqual(CHILDREN_EACH);
    await d
      .insertInto('agency_involvement')
      .values(staff.flatMap((s, k) => Array.from({ length: CHILDREN_EACH }, (_, j) => ({ person_id: joined[(k + j) % joined.length], agency: 'social_care', worker_id: s.worker_id, role: 'allocated social worker', start_date: null, end_date: null }))))
      .execute();
    for (const s of staff) {
      const aad = s.aad_object_id!;
      const reference = { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: `a:personal-${aad}`, conversationType: 'personal', tenantId: 'tenant-1' }, bot: { id: '28:bot', name: 'TFD' }, user: { id: `29:${aad}`, aadObjectId: aad } };
      await storeConversationReference(d, aad, s.worker_id, reference, new Date());
    }
  }, 240_000);

  // A scenario that failed leaves its process running: it must not deliver into the next one.
  beforeEach(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) await kill(child);
    for (const close of freezes.splice(0)) await close();
    await admin.call('CLIENT', 'UNPAUSE');
    connector.resume();
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    await admin?.call('CLIENT', 'UNPAUSE').catch(() => undefined);
    admin?.disconnect();
    redis?.stop();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Freezing Redis the moment the fan-out goes active is too late or too early by chance: BullMQ's worker asks Redis for its
  // next job (a write) before it starts the one it has, so a freeze that lands first stops the fan-out before it begins.
  // The test's SQLite write lock holds the fan-out at its first write instead; Redis is frozen while it waits there.
  it('killed during the fan-out (alerts recorded, no delivery queued): the restarted worker delivers each alert once', async () => {
    const from = connector.sent.length;
    connector.holdAfter(0);
    // The run's intent is reopened once the worker is up, so the first queuing is the pipeline's, not the startup reconciler's.
    await f.db.db.updateTable('delivery_intent').set({ done_at: '2026-01-01T00:00:00' }).where('intent_id', '=', `alert-fanout|${f.runId}`).execute();
    const logsFrom = logs.length;
    const first = startProcess('worker');
    await until('the worker started', () => logs.slice(logsFrom).join('').includes('alerts: delivering caseworker alerts'), 60_000);
    await f.db.db.updateTable('delivery_intent').set({ done_at: null }).where('intent_id', '=', `alert-fanout|${f.runId}`).execute();
    const Database = require('better-sqlite3') as new (path: string) => { exec(sql: string): void; close(): void };
    const lock = new Database(dbPath());
    lock.exec('BEGIN IMMEDIATE');
    await queueFanout(f.runId);
    // better-sqlite3 waits for a lock synchronously, so the worker renews no job lock while the fan-out waits for SQLite:
    // the fan-out taken (on the active list) with its lock gone is a fan-out held at its first write.
    const jobId = fanoutJobId(f.runId);
    const jobLock = `${prefix}:${ALERT_QUEUE}:${jobId}:lock`;
    const heldAtWrite = async () => (await admin.lrange(`${prefix}:${ALERT_QUEUE}:active`, 0, -1)).includes(jobId) && (await admin.exists(jobLock)) === 0;
    await until('the fan-out waiting for SQLite', heldAtWrite, 8_000);
    await admin.call('CLIENT', 'PAUSE', '120000', 'WRITE');
    lock.exec('COMMIT');
    lock.close();
    await until('the fan-out’s alerts recorded', async () => (await alertsOf(f.runId)).length > 0, 20_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${logs.join('').slice(-2500)}`);
    });
    // Recorded in one transaction: the fan-out now waits on the frozen Redis to queue their deliveries.
    await kill(first);
    const atKill = await alertsOf(f.runId);
    expect(atKill.length).toBeGreaterThanOrEqual(CASEWORKERS * CHILDREN_EACH);
    expect(atKill.filter((a) => a.status !== 'pending')).toEqual([]);
    expect((await intentOf('alert-fanout', f.runId))?.done_at).toBeNull();
    expect(connector.received).toBe(0);
    await wipeRedis();

    connector.resume();
    const second = startProcess('worker');
    await until('every alert delivered or held', async () => (await alertsOf(f.runId)).every((a) => a.status === 'sent' || a.status === 'held'));
    await until('the intent done', async () => (await intentOf('alert-fanout', f.runId))?.done_at != null);
    const sends = connector.sent.slice(from);
    await expectDeliveredOnce(f.runId, sends);
    expect(sends.filter(resentLine)).toEqual([]);
    await kill(second);
  }, 180_000);

  it('killed during delivery with sends held open: only the sends Teams never answered go again, once, saying so', async () => {
    await wipeRedis();
    await republish(f.runId);
    const from = connector.sent.length;
    const interruptedBefore = connector.interrupted;
    connector.holdAfter(6);
    await queueFanout(f.runId);
    const first = startProcess('worker');
    await until('six sends answered and more held open', () => connector.sent.length - from === 6 && connector.held >= 2);
    await until('the answered sends recorded', async () => (await alertsOf(f.runId)).filter((a) => a.status === 'sent').length === connector.sent.slice(from).flatMap(alertIdsOn).length);
    await kill(first);
    await until('the killed worker’s held sends dropped', () => connector.held === 0, 10_000);
    const cutOff = connector.interrupted - interruptedBefore;
    expect(cutOff).toBeGreaterThanOrEqual(2);
    const sending = (await alertsOf(f.runId)).filter((a) => a.status === 'sending').map((a) => a.alert_id);
    expect(sending.length).toBeGreaterThanOrEqual(cutOff);
    const answeredBefore = new Set(connector.sent.slice(from).flatMap(alertIdsOn));
    await wipeRedis();

    connector.resume();
    const second = startProcess('worker');
    await until('every alert delivered or held', async () => (await alertsOf(f.runId)).every((a) => a.status === 'sent' || a.status === 'held'));
    const sends = connector.sent.slice(from);
    await expectDeliveredOnce(f.runId, sends);
    const after = sends.filter((a) => !alertIdsOn(a).every((id) => answeredBefore.has(id)));
    expect(after.filter(resentLine).flatMap(alertIdsOn).sort()).toEqual(sending.slice().sort());
    expect(connector.interrupted - interruptedBefore).toBe(cutOff);
    await kill(second);
  }, 180_000);

  it('killed after Teams answered a send but before it was marked sent: that alert goes once more, saying so; every other once', async () => {
    await wipeRedis();
    await republish(f.runId);
    const from = connector.sent.length;
    connector.holdAfter(3);
    await queueFanout(f.runId);
    const first = startProcess('worker');
    await until('three sends answered and more held open', () => connector.sent.length - from === 3 && connector.held >= 1);
    await until('the answered sends recorded', async () => (await alertsOf(f.runId)).filter((a) => a.status === 'sent').length === connector.sent.slice(from).flatMap(alertIdsOn).length);
    // The test holds SQLite's write lock, so Teams' answer to the held sends arrives but cannot be recorded.
    const Database = require('better-sqlite3') as new (path: string) => { exec(sql: string): void; close(): void };
    const lock = new Database(dbPath());
    lock.exec('BEGIN IMMEDIATE');
    const recorded = new Set((await alertsOf(f.runId)).filter((a) => a.status === 'sent').map((a) => a.alert_id));
    connector.resume();
    await until('the held sends answered', () => connector.held === 0);
    await new Promise((r) => setTimeout(r, 300));
    await kill(first);
    lock.exec('COMMIT');
    lock.close();
    const answeredUnmarked = connector.sent.slice(from).flatMap(alertIdsOn).filter((id) => !recorded.has(id));
    expect(answeredUnmarked.length).toBeGreaterThanOrEqual(1);
    const sending = (await alertsOf(f.runId)).filter((a) => a.status === 'sending').map((a) => a.alert_id);
    expect(sending).toEqual(expect.arrayContaining(answeredUnmarked));
    await wipeRedis();

    const second = startProcess('worker');
    await until('every alert delivered or held', async () => (await alertsOf(f.runId)).every((a) => a.status === 'sent' || a.status === 'held'));
    const sends = connector.sent.slice(from);
    const twice = new Set(answeredUnmarked);
    await expectDeliveredOnce(f.runId, sends, (id) => (twice.has(id) ? 2 : 1));
    expect(sends.filter(resentLine).flatMap(alertIdsOn).sort()).toEqual(sending.slice().sort());
    await kill(second);
  }, 180_000);

  it('killed just after a run is published, before its fan-out is queued: the children given Topaz victim markers are alerted once, and no second run is begun', async () => {
    await wipeRedis();
    const d = f.db.db;
    const asOf = String((await d.selectFrom('run').select('as_of').where('run_id', '=', f.runId).executeTakeFirstOrThrow()).as_of).slice(0, 10);
    // Three children off the list, each with a caseworker who has the app: a Topaz victim marker puts them on it.
    const caseworker = await d.selectFrom('conversation_reference').select(['worker_id']).where('active', '=', 1).orderBy('worker_id').executeTakeFirstOrThrow();
    const off = await d.selectFrom('run_score').select('person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 0).orderBy('person_id').limit(3).execute();
    expect(off).toHaveLength(3);
    await d.insertInto('topaz_marker').values(off.map((o) => ({ person_id: o.person_id, marker: 'victim', start_date: asOf, end_date: null, note: null }))).execute();
    await d.insertInto('agency_involvement').values(off.map((o) => ({ person_id: o.person_id, agency: 'social_care', worker_id: caseworker.worker_id!, role: 'allocated social worker', start_date: null, end_date: null }))).execute();
    const runsBefore = (await d.selectFrom('run').select('run_id').execute()).length;
    const from = connector.sent.length;

    const first = startProcess('worker');
    const freeze = await freezeRedisWhenActive(STAGE_QUEUE, (_id, name) => name === 'publish');
    const pipeline = new Queue(QUEUE_NAME, { connection: connectionFrom(redis.url), prefix });
    await pipeline.add(SCORE_RUN, { asOf }, { attempts: 2 });
    await pipeline.close();
    await freeze.frozen;
    await until('the run published', async () => (await d.selectFrom('run').select('run_id').where('status', '=', 'published').where('run_id', '!=', f.runId).execute()).length === 1, 120_000);
    await kill(first);
    await freeze.close();
    const run = await d.selectFrom('run').select(['run_id']).where('status', '=', 'published').where('run_id', '!=', f.runId).executeTakeFirstOrThrow();
    expect(await alertsOf(run.run_id)).toEqual([]);
    await wipeRedis();

    const second = startProcess('worker');
    await until('the new run’s alerts delivered', async () => {
      const rows = await alertsOf(run.run_id);
      return rows.length > 0 && rows.every((a) => a.status === 'sent' || a.status === 'held');
    });
    const toCaseworker = (await alertsOf(run.run_id)).filter((a) => a.worker_id === caseworker.worker_id);
    for (const o of off) expect(toCaseworker.map((a) => a.alert_id)).toContain(`${run.run_id}|${caseworker.worker_id}|${o.person_id}`);
    const delivered = countOf(connector.sent.slice(from).flatMap(alertIdsOn));
    for (const o of off) expect(delivered.get(`${run.run_id}|${caseworker.worker_id}|${o.person_id}`)).toBe(1);
    expect((await alertsOf(run.run_id)).filter((a) => a.status === 'pending' || a.status === 'sending')).toEqual([]);
    expect((await d.selectFrom('run').select('run_id').execute()).length).toBe(runsBefore + 1);
    expect((await intentOf('alert-fanout', run.run_id))?.done_at).not.toBeNull();
    await kill(second);
  }, 300_000);

  it('the bot killed while posting the agenda: after the chair’s second `meeting new`, each lead professional is asked for updates once', async () => {
    await wipeRedis();
    // The agenda alone: no run's alerts are still owed (run on its own, the fixture's fan-out would be).
    await f.db.db.updateTable('delivery_intent').set({ done_at: '2026-01-01T00:00:00' }).where('kind', '=', 'alert-fanout').where('done_at', 'is', null).execute();
    const chat = '19:meeting-chat@thread.v2';
    // The chat's members work for the chair's area (or every area): the agenda names children only to such a chat.
    const chairArea = (await f.db.db.selectFrom('staff').select('area_id').where('aad_object_id', '=', f.chair.aad).executeTakeFirstOrThrow()).area_id;
    const members = await f.db.db
      .selectFrom('staff')
      .select(['aad_object_id', 'display_name'])
      .where('aad_object_id', 'is not', null)
      .where('role', 'in', ['chair', 'caseworker'])
      .where((w) => (chairArea === null ? w('area_id', 'is', null) : w.or([w('area_id', '=', chairArea), w('area_id', 'is', null)])))
      .orderBy('worker_id')
      .execute();
    connector.setRoster(chat, members.map((m) => ({ aadObjectId: m.aad_object_id!, name: m.display_name ?? 'staff' })));
    const port = String(await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    }));
    const env = { PORT: port, BOT_HOST: '127.0.0.1', BOT_ALLOW_UNAUTHENTICATED: '1' };
    const say = (text: string) => fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsGroupMessage(connector.url, text, f.chair.aad, chat)) }).catch(() => null);
    const ready = async () => fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'GET' }).then(() => true, () => false);
    const toChat = () => connector.sent.filter((a) => decodeURIComponent(a.path).includes(chat)).length;
    const from = connector.sent.length;

    connector.holdAfter(1);
    const first = startProcess('all', env);
    await until('the bot listening', ready, 60_000);
    void say('meeting new');
    await until('the agenda’s header posted and its first page held', () => toChat() === 1 && connector.held === 1).catch((error: unknown) => {
      throw new Error(`${String(error)} (${toChat()} to the chat, ${connector.held} held)\n${logs.join('').slice(-3000)}`);
    });
    await kill(first);
    const meeting = await f.db.db.selectFrom('meeting').select(['meeting_id']).executeTakeFirstOrThrow();
    expect(await f.db.db.selectFrom('meeting_update').select('update_id').execute()).toEqual([]);
    await wipeRedis();

    connector.resume();
    const second = startProcess('all', env);
    await until('the bot listening again', ready, 60_000);
    await say('meeting new');
    await until('every lead professional asked or held', async () => (await intentOf('meeting-update-requests', meeting.meeting_id))?.done_at != null);
    const updates = await f.db.db.selectFrom('meeting_update').select(['worker_id', 'status']).where('meeting_id', '=', meeting.meeting_id).execute();
    const asked = [...new Set(updates.filter((u) => u.status === 'requested').map((u) => u.worker_id))].sort();
    expect(asked.length).toBeGreaterThanOrEqual(1);
    const requestCards = connector.sent.slice(from).filter((a) => JSON.stringify(a.body.attachments ?? []).includes('Your update for the victim-list meeting'));
    expect(requestCards).toHaveLength(asked.length);
    expect(new Set(requestCards.map((a) => a.path)).size).toBe(asked.length);
    await kill(second);
  }, 240_000);
});
