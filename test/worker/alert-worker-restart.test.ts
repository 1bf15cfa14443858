import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { storeConversationReference } from '../../db/repositories/conversation-references.js';
import { openAlertQueue, queueAlertsForRun } from '../../worker/alert-worker.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, type SentActivity } from '../helpers/connector-stand-in.js';
import { testRedisUrl, uniquePrefix } from '../helpers/queue.js';

const CASEWORKERS = 8;
const CHILDREN_EACH = 3;

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The alert ids a sent card answers for (a child's card carries one, a digest all of its children's). */
function alertIdsOn(activity: SentActivity): string[] {
  const card = (activity.body.attachments as { content: { actions?: { data?: { alertId?: string; alertIds?: string[] } }[] } }[])[0].content;
  const data = card.actions?.find((a) => a.data?.alertId || a.data?.alertIds)?.data;
  return data?.alertIds ?? (data?.alertId ? [data.alertId] : []);
}

const cardText = (activity: SentActivity) => JSON.stringify(activity.body.attachments);

describe('a killed alert worker, restarted mid-delivery, still delivers every alert once (real worker process, real Redis, real SQLite, Bot Connector stand-in)', () => {
  let dir: string;
  let f: BotFixture;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let queue: Queue;
  const children: ChildProcess[] = [];
  const settings = { redisUrl: testRedisUrl(), prefix: uniquePrefix() };
  const logs: string[] = [];

  /** `npm run start:worker` as a user runs it, against the test's database, Redis and stand-in. */
  const startWorkerProcess = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', 'worker'], {
      env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'tfd.sqlite')}`, REDIS_URL: settings.redisUrl, QUEUE_PREFIX: settings.prefix, ALERT_LOCK_MS: '2000', MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppTenantId: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d) => logs.push(String(d)));
    child.stderr!.on('data', (d) => logs.push(String(d)));
    children.push(child);
    return child;
  };
  const statuses = async () => (await f.db.db.selectFrom('alert').select(['alert_id', 'status']).where('run_id', '=', f.runId).execute());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-alert-restart-'));
    f = await botFixture(dir);
    connector = await startConnectorStandIn();
    const d = f.db.db;
    const staff = await d.selectFrom('staff').select(['worker_id', 'aad_object_id']).where('role', '=', 'caseworker').where('aad_object_id', 'is not', null).orderBy('worker_id').limit(CASEWORKERS).execute();
    // Children who joined the meeting's list in the fixture's (first) run: their risk emerged.
    const joined = (await d.selectFrom('run_score').select('person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 1).orderBy('person_id').execute()).map((r) => r.person_id);
    expect(joined.length).toBeGreaterThanOrEqual(CHILDREN_EACH);
    // Each caseworker is involved with three of the children whose risk emerged (a child has several): a card per child each.
    await d
      .insertInto('agency_involvement')
      .values(staff.flatMap((s, k) => Array.from({ length: CHILDREN_EACH }, (_, j) => ({ person_id: joined[(k + j) % joined.length], agency: 'social_care', worker_id: s.worker_id, role: 'allocated social worker', start_date: null, end_date: null }))))
      .execute();
    // Each caseworker has the app installed: a stored 1:1 reference pointing at the stand-in.
    for (const s of staff) {
      const aad = s.aad_object_id!;
      const reference = { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: `a:personal-${aad}`, conversationType: 'personal', tenantId: 'tenant-1' }, bot: { id: '28:bot', name: 'TFD' }, user: { id: `29:${aad}`, aadObjectId: aad } };
      await storeConversationReference(d, aad, s.worker_id, reference, new Date());
    }
    queue = openAlertQueue(settings);
  }, 240_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    await queue?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kills the worker while sends are in flight; the restarted worker sends only what Teams never answered, once, and says it is sent again', async () => {
    // Teams answers six sends, then goes quiet: the worker is killed with sends unanswered.
    connector.holdAfter(6);
    const first = startWorkerProcess();
    await queueAlertsForRun(queue, f.runId);
    await until('six sends answered and more held open', () => connector.sent.length === 6 && connector.held >= 2);
    // The answered sends are recorded as sent before the kill (the worker marks each as Teams answers).
    await until('the answered sends recorded', async () => (await statuses()).filter((s) => s.status === 'sent').length === connector.sent.flatMap(alertIdsOn).length);
    process.kill(-first.pid!, 'SIGKILL');
    await until('the killed worker’s held sends dropped', () => connector.held === 0, 10_000);
    const heldAtKill = connector.interrupted;
    expect(heldAtKill).toBeGreaterThanOrEqual(2);
    const interrupted = (await statuses()).filter((s) => s.status === 'sending').map((s) => s.alert_id);
    expect(interrupted.length).toBeGreaterThanOrEqual(heldAtKill);
    const sentBefore = new Set(connector.sent.flatMap(alertIdsOn));

    connector.resume();
    const second = startWorkerProcess();
    await until('every alert of the run delivered', async () => (await statuses()).every((s) => s.status === 'sent' || s.status === 'held'), 90_000);

    const rows = await statuses();
    const sentIds = rows.filter((r) => r.status === 'sent').map((r) => r.alert_id);
    expect(sentIds.length).toBeGreaterThanOrEqual(CASEWORKERS * CHILDREN_EACH);
    // Exactly once: every alert recorded as sent reached Teams in one answered send, and nothing else did.
    const delivered = connector.sent.flatMap(alertIdsOn);
    expect(delivered.slice().sort()).toEqual(sentIds.slice().sort());
    expect(new Set(delivered).size).toBe(delivered.length);
    // What was answered before the kill was not sent again; what was cut off went once more, saying so.
    const after = connector.sent.filter((a) => !alertIdsOn(a).every((id) => sentBefore.has(id)));
    const resent = after.filter((a) => cardText(a).includes('delivery was interrupted, so it was sent again'));
    expect(resent.flatMap(alertIdsOn).sort()).toEqual(interrupted.slice().sort());
    expect(connector.interrupted).toBe(heldAtKill);
    process.kill(-second.pid!, 'SIGTERM');
  }, 180_000);
});
