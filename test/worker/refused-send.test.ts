import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standaloneAlertSender } from '../../bot/server.js';
import { storeConversationReference } from '../../db/repositories/conversation-references.js';
import { queueAlertsForRun, startAlertWorker } from '../../worker/alert-worker.js';
import { ALERT_DELIVER } from '../../worker/jobs/alert-jobs.js';
import { reconcileDeliveries } from '../../worker/jobs/reconcile-job.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { startConnectorStandIn } from '../helpers/connector-stand-in.js';
import { testRedisUrl, uniquePrefix } from '../helpers/queue.js';

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A send Teams refuses for good (400, 401) is failed with Teams' answer and never queued again: neither by BullMQ nor by
 * the reconciler, which before this left it pending and queued it every round. A 429 beside it is still retried.
 */
describe('a send Teams refuses for good (real alert worker, real Redis, real SQLite, the Bot Connector stand-in)', () => {
  let dir: string;
  let f: BotFixture;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let alerts: ReturnType<typeof startAlertWorker>;
  const settings = { redisUrl: testRedisUrl(), prefix: uniquePrefix() };
  const caseworkers: { workerId: string; conversation: string }[] = [];
  const alertsOf = async (workerId: string) =>
    f.db.db.selectFrom('alert').select(['alert_id', 'status', 'detail']).where('run_id', '=', f.runId).where('worker_id', '=', workerId).orderBy('alert_id').execute();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-refused-send-'));
    f = await botFixture(dir);
    connector = await startConnectorStandIn();
    const d = f.db.db;
    const staff = await d.selectFrom('staff').select(['worker_id', 'aad_object_id']).where('role', '=', 'caseworker').where('aad_object_id', 'is not', null).orderBy('worker_id').limit(3).execute();
    // Children who joined the list in the fixture's (first) run: one in each caseworker's caseload.
    const joined = (await d.selectFrom('run_score').select('person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 1).orderBy('person_id').limit(3).execute()).map((r) => r.person_id);
    expect(joined).toHaveLength(3);
    await d
      .insertInto('agency_involvement')
      .values(staff.map((s, k) => ({ person_id: joined[k], agency: 'social_care', worker_id: s.worker_id, role: 'allocated social worker', start_date: null, end_date: null })))
      .execute();
    for (const s of staff) {
      const aad = s.aad_object_id!;
      const conversation = `a:personal-${aad}`;
      const reference = { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: conversation, conversationType: 'personal', tenantId: 'tenant-1' }, bot: { id: '28:bot', name: 'TFD' }, user: { id: `29:${aad}`, aadObjectId: aad } };
      await storeConversationReference(d, aad, s.worker_id, reference, new Date());
      caseworkers.push({ workerId: s.worker_id, conversation });
    }
    const sender = standaloneAlertSender({ appId: '', appPassword: '', tenantId: '', proactive: { tenantId: '', serviceUrl: connector.url } });
    alerts = startAlertWorker(settings, { db: d, sender, log: () => undefined });
  }, 240_000);

  afterAll(async () => {
    await alerts?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('400 and 401 leave the alert failed with Teams’ answer, tried once, and the reconciler queues nothing for it; a 429 is still delivered', async () => {
    const [bad, unauthorised, throttled] = caseworkers;
    connector.failFor(bad.conversation, 400, 5);
    connector.failFor(unauthorised.conversation, 401, 5);
    connector.failFor(throttled.conversation, 429, 4, { 'Retry-After': '1' });
    await queueAlertsForRun(alerts.queue, f.runId);
    const settled = async (workerId: string, status: string) => {
      const rows = await alertsOf(workerId);
      return rows.length === 1 && rows[0].status === status;
    };
    await until('the refused alerts failed and the throttled one sent', async () => (await settled(bad.workerId, 'failed')) && (await settled(unauthorised.workerId, 'failed')) && (await settled(throttled.workerId, 'sent')));
    expect((await alertsOf(bad.workerId)).map((a) => [a.status, a.detail?.startsWith('Teams answered 400')])).toEqual([['failed', true]]);
    expect((await alertsOf(unauthorised.workerId)).map((a) => [a.status, a.detail?.startsWith('Teams answered 401')])).toEqual([['failed', true]]);
    const refusals = (conversation: string) => connector.refused.filter((r) => r.conversationId === conversation).map((r) => r.status);
    expect(refusals(bad.conversation)).toEqual([400]);
    expect(refusals(unauthorised.conversation)).toEqual([401]);

    // Every reconcile round after: nothing owed, so nothing queued and nothing sent again.
    for (let round = 0; round < 2; round++) {
      const reconciled = await reconcileDeliveries({ db: f.db.db, queue: alerts.queue });
      expect(reconciled.queued[ALERT_DELIVER] ?? 0).toBe(0);
    }
    const waiting = await alerts.queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    expect(waiting.filter((j) => j.name === ALERT_DELIVER)).toEqual([]);
    expect(refusals(bad.conversation)).toEqual([400]);
    expect(refusals(unauthorised.conversation)).toEqual([401]);
    expect((await alertsOf(bad.workerId)).map((a) => a.status)).toEqual(['failed']);
  }, 120_000);
});
