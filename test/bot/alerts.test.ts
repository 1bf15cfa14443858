import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { startBot, type RunningBot } from '../../bot/server.js';
import { ALERT_VERBS } from '../../cards/alert-card.js';
import { queueAlertsForRun, startAlertWorker } from '../../worker/alert-worker.js';
import { messagesFor, runAlertDelivery, runAlertFanout } from '../../worker/jobs/alert-jobs.js';
import type { AlertDelivery, AlertSender } from '../../domain/alert-delivery.js';
import { scoreRun } from '../../worker/pipeline/score-run.js';
import { reasonLine, type ReasonItem } from '../../domain/reason-item.js';
import { sql } from 'kysely';
import { cardTexts } from '../helpers/adaptive-card.js';
import { cardProblems } from '../helpers/adaptive-card.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, teamsCardAction, teamsInstall, teamsMessage, type SentActivity } from '../helpers/connector-stand-in.js';
import { testRedisUrl, uniquePrefix } from '../helpers/queue.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };
const quiet = () => undefined;

interface Worker {
  readonly aad: string;
  readonly workerId: string;
  readonly conversation: string;
}

/** Waits until `check` holds (polling), or fails saying what it waited for. */
async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** What the stand-in received for one conversation (its id is URL-encoded in the path). */
const conversationOf = (activity: SentActivity) => decodeURIComponent(/^\/v3\/conversations\/([^/]+)\//.exec(activity.path)?.[1] ?? '');

const personIdsOn = (activity: SentActivity) => {
  const card = (activity.body.attachments as { content: unknown }[])[0].content;
  return cardTexts(card).join('\n');
};

describe('caseworker alerts through the real bot pipeline and BullMQ (Bot Connector stand-in, real Redis, real SQLite)', () => {
  let dir: string;
  let f: BotFixture;
  let bot: RunningBot;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let alerts: ReturnType<typeof startAlertWorker>;
  const settings = { redisUrl: testRedisUrl(), prefix: uniquePrefix() };
  let a: Worker;
  let b: Worker;
  let listed: string[];

  const post = (body: unknown) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const statusOf = async (workerId: string) => (await f.db.db.selectFrom('alert').select(['status', 'person_id']).where('run_id', '=', f.runId).where('worker_id', '=', workerId).execute());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-alerts-'));
    f = await botFixture(dir);
    const d = f.db.db;
    const caseworkers = await d.selectFrom('staff').select(['worker_id', 'aad_object_id']).where('role', '=', 'caseworker').where('aad_object_id', 'is not', null).orderBy('worker_id').limit(2).execute();
    a = { workerId: caseworkers[0].worker_id, aad: caseworkers[0].aad_object_id!, conversation: 'a:personal-A' };
    b = { workerId: caseworkers[1].worker_id, aad: caseworkers[1].aad_object_id!, conversation: 'a:personal-B' };
    // Two children who joined the list in the fixture's (first) run: one in A's caseload, one in B's.
    listed = (await d.selectFrom('run_score').select('person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 1).orderBy('person_id').limit(2).execute()).map((r) => r.person_id);
    await d
      .insertInto('agency_involvement')
      .values([
        { person_id: listed[0], agency: 'social_care', worker_id: a.workerId, role: 'allocated social worker', start_date: null, end_date: null },
        { person_id: listed[1], agency: 'social_care', worker_id: b.workerId, role: 'allocated social worker', start_date: null, end_date: null },
      ])
      .execute();
    // A pupil of the fixture's school lead on the list, for the lead's weekly digest.
    await d.updateTable('run_score').set({ on_list: 1 }).where('run_id', '=', f.runId).where('person_id', '=', f.schoolLead.pupil).execute();
    connector = await startConnectorStandIn();
    bot = await startBot(LOCAL, { db: f.db.db, now: () => new Date() }, quiet);
    alerts = startAlertWorker(settings, { db: f.db.db, sender: bot.alertSender, log: quiet });
  }, 240_000);
  afterAll(async () => {
    await alerts?.close();
    await bot?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores each caseworker’s conversation reference, whole, when they install the app', async () => {
    for (const w of [a, b]) expect((await post(teamsInstall(connector.url, w.aad, w.conversation))).status).toBe(200);
    expect((await post(teamsInstall(connector.url, f.schoolLead.aad, 'a:personal-school'))).status).toBe(200);
    const refs = await f.db.db.selectFrom('conversation_reference').selectAll().where('aad_object_id', 'in', [a.aad, b.aad]).orderBy('worker_id').execute();
    expect(refs.map((r) => [r.worker_id, r.conversation_id, r.active])).toEqual([
      [a.workerId, a.conversation, 1],
      [b.workerId, b.conversation, 1],
    ]);
    expect(JSON.parse(refs[0].reference)).toMatchObject({ serviceUrl: connector.url, conversation: { id: a.conversation } });
    // Someone not in the staff list is not remembered.
    await post(teamsInstall(connector.url, '99999999-0000-0000-0000-000000000000', 'a:stranger'));
    expect(await f.db.db.selectFrom('conversation_reference').select('aad_object_id').where('conversation_id', '=', 'a:stranger').execute()).toEqual([]);
    // Each install was welcomed in its 1:1 chat (test/bot/lookups.test.ts reads the welcome); the alerts below are counted from here.
    expect(connector.sent).toHaveLength(4);
    connector.sent.length = 0;
  });

  it('after a run, tells each caseworker about their own emerging children only, once, retrying a 429 after Retry-After; a 403 retires the chat', async () => {
    // botbuilder's HTTP client itself retries a 429 three times after Retry-After; the fourth refusal reaches the worker, which puts the job back for Retry-After.
    connector.failFor(a.conversation, 429, 4, { 'Retry-After': '1' });
    connector.failFor(b.conversation, 403, 1);
    await queueAlertsForRun(alerts.queue, f.runId);
    await until('A’s alerts sent and B’s gone stale', async () => (await statusOf(a.workerId)).every((r) => r.status === 'sent') && (await statusOf(b.workerId)).length > 0 && (await statusOf(b.workerId)).every((r) => r.status === 'stale'));
    await until('the school lead’s digest sent', async () => (await statusOf(f.schoolLead.workerId)).length > 0 && (await statusOf(f.schoolLead.workerId)).every((r) => r.status === 'sent'));
    const toSchool = connector.sent.filter((s) => conversationOf(s) === 'a:personal-school');
    expect(toSchool).toHaveLength(1);
    expect(personIdsOn(toSchool[0])).toContain('Your pupils on this week');
    expect(personIdsOn(toSchool[0])).toContain(f.schoolLead.pupil);
    // Only pupils enrolled at the lead's school.
    const enrolled = new Set((await f.db.db.selectFrom('school_enrolment').select('person_id').where('school_id', '=', f.schoolLead.schoolId).execute()).map((r) => r.person_id));
    for (const row of await statusOf(f.schoolLead.workerId)) expect(enrolled.has(row.person_id)).toBe(true);
    const toA = connector.sent.filter((s) => conversationOf(s) === a.conversation);
    expect(toA).toHaveLength(1);
    const text = personIdsOn(toA[0]);
    expect(text).toContain(listed[0]);
    expect(text).not.toContain(listed[1]);
    expect(text).toContain('Decision support, not a finding');
    expect(cardProblems((toA[0].body.attachments as { content: unknown }[])[0].content)).toEqual([]);
    // Every child on A's card is one A is involved with.
    const own = new Set((await f.db.db.selectFrom('agency_involvement').select('person_id').where('worker_id', '=', a.workerId).execute()).map((r) => r.person_id));
    for (const row of await statusOf(a.workerId)) expect(own.has(row.person_id)).toBe(true);
    expect(connector.refused.filter((r) => r.conversationId === a.conversation).map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect(connector.refused.filter((r) => r.conversationId === b.conversation).map((r) => r.status)).toEqual([403]);
    // B's chat is stale: nothing reached it, and it is no longer used.
    expect(connector.sent.filter((s) => conversationOf(s) === b.conversation)).toEqual([]);
    expect((await f.db.db.selectFrom('conversation_reference').select('active').where('aad_object_id', '=', b.aad).executeTakeFirstOrThrow()).active).toBe(0);
    // Written to the access audit before it was sent: one entry per child per attempt.
    const audited = await f.db.db.selectFrom('access_audit').select(['person_id', 'actor_worker_id']).where('action', '=', 'alert').where('run_id', '=', f.runId).execute();
    // Two for A's child: the attempt Teams kept throttling, and the worker's own retry after Retry-After.
    expect(audited.filter((r) => r.actor_worker_id === a.workerId && r.person_id === listed[0])).toHaveLength(2);
  }, 60_000);

  it('never sends twice: the same fan-out again, and a second run on unchanged data, send nothing', async () => {
    const before = connector.sent.length;
    await queueAlertsForRun(alerts.queue, f.runId);
    const again = await runAlertFanout({ data: { runId: f.runId }, id: 'again' } as Job, { db: f.db.db, queue: alerts.queue, sender: bot.alertSender });
    expect(again.new).toBe(0);
    const second = await scoreRun(f.db, {});
    const fanout = await runAlertFanout({ data: { runId: second.runId }, id: 'second' } as Job, { db: f.db.db, queue: alerts.queue, sender: bot.alertSender });
    expect(fanout).toEqual({ recipients: 0, alerts: 0, new: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(connector.sent.length).toBe(before);
  }, 120_000);

  it('acknowledging through the card’s own Action.Execute answers 200 with the refreshed card, and keeps the answer', async () => {
    const card = (connector.sent.find((s) => conversationOf(s) === a.conversation)!.body.attachments as { content: { actions: { verb?: string; data?: unknown }[] } }[])[0].content;
    const ack = card.actions.find((x) => x.verb === ALERT_VERBS.acknowledge)!;
    const res = await post(teamsCardAction(connector.url, a.aad, a.conversation, ack.verb!, ack.data));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardTexts(body.value).join('\n')).toMatch(/acknowledged \(\d{4}-\d{2}-\d{2}T/);
    const answers = await f.db.db.selectFrom('alert_response').selectAll().where('worker_id', '=', a.workerId).execute();
    expect(answers.map((r) => [r.action, r.run_id])).toEqual([['acknowledged', f.runId]]);
    // "Not a concern" needs a reason, and someone else cannot answer A's alert.
    const notConcern = await post(teamsCardAction(connector.url, a.aad, a.conversation, ALERT_VERBS.notAConcern, ack.data));
    expect(cardTexts(((await notConcern.json()) as { value: unknown }).value).join('\n')).toContain('Please say briefly why');
    const other = await post(teamsCardAction(connector.url, b.aad, b.conversation, ALERT_VERBS.acknowledge, ack.data));
    expect(cardTexts(((await other.json()) as { value: unknown }).value).join('\n')).toContain('sent to someone else');
    expect(await f.db.db.selectFrom('alert_response').select('worker_id').where('worker_id', '=', b.workerId).execute()).toEqual([]);
  });

  it('`alerts` shows a caseworker their own alerts and answers, and nobody else’s', async () => {
    const reply = connector.next();
    expect((await post(teamsMessage(connector.url, 'alerts', a.aad))).status).toBe(200);
    const text = cardTexts(((await reply).body.attachments as { content: unknown }[])[0].content).join('\n');
    expect(text).toContain(listed[0]);
    expect(text).not.toContain(listed[1]);
    expect(text).toMatch(/acknowledged/);
    const shown = await f.db.db.selectFrom('access_audit').select('person_id').where('action', '=', 'alerts').where('actor_worker_id', '=', a.workerId).execute();
    expect(shown.map((r) => r.person_id)).toContain(listed[0]);
  });

  it('plans a card per child up to five and one digest above, and a delivery sends its message once', async () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ alertId: `r|w|C${i}`, personId: `C${i}` }));
    expect(messagesFor(items(3), 5).map((m) => [m.key, m.alertIds.length])).toEqual([['C0', 1], ['C1', 1], ['C2', 1]]);
    expect(messagesFor(items(7), 5).map((m) => [m.key, m.alertIds.length])).toEqual([['digest', 7]]);
    const deliveries: AlertDelivery[] = [];
    const recording: AlertSender = { send: async (_ref, delivery) => (deliveries.push(delivery), { activityId: `act-${deliveries.length}` }) };
    const rows = Array.from({ length: 7 }, (_, i) => ({ alert_id: `run-many|${a.workerId}|C${i}`, run_id: 'run-many', worker_id: a.workerId, person_id: `C${i}`, change: 'joined_list', status: 'pending' as const, activity_id: null, sent_at: null, detail: null, previous_band: 'none', band: 'high', new_reasons: '[]' }));
    await post(teamsInstall(connector.url, a.aad, a.conversation));
    await f.db.db.insertInto('alert').values(rows).execute();
    const deps = { db: f.db.db, queue: alerts.queue, sender: recording };
    const job = { data: { runId: 'run-many', workerId: a.workerId, alertIds: rows.map((r) => r.alert_id) }, id: 'many' } as Job;
    expect(await runAlertDelivery(job, deps)).toEqual({ sent: 7, held: 0, stale: 0 });
    expect(deliveries.map((d) => [d.digest, d.items.length])).toEqual([[true, 7]]);
    // The same job again (a retry after a crash once the send was recorded) finds nothing pending.
    expect(await runAlertDelivery(job, deps)).toEqual({ sent: 0, held: 0, stale: 0 });
    expect(deliveries).toHaveLength(1);
  });

  it('opens a 1:1 chat (Entra id in the member’s id) for staff who never installed the app when a tenant is configured; holds their alerts when not', async () => {
    const others = await f.db.db.selectFrom('staff').select(['worker_id', 'aad_object_id']).where('role', '=', 'caseworker').where('aad_object_id', 'is not', null).where('worker_id', 'not in', [a.workerId, b.workerId]).orderBy('worker_id').limit(2).execute();
    const [c, d] = others;
    const row = (w: string) => ({ alert_id: `run-open|${w}|C1`, run_id: 'run-open', worker_id: w, person_id: 'C1', change: 'joined_list', status: 'pending' as const, activity_id: null, sent_at: null, detail: null, previous_band: 'none', band: 'high', new_reasons: '[]' });
    await f.db.db.insertInto('alert').values([row(c.worker_id), row(d.worker_id)]).execute();
    const withTenant = await startBot({ ...LOCAL, proactive: { tenantId: 'tenant-1', serviceUrl: connector.url } }, { db: f.db.db, now: () => new Date() }, quiet);
    try {
      const job = (w: string) => ({ data: { runId: 'run-open', workerId: w, alertIds: [`run-open|${w}|C1`] }, id: `open-${w}` }) as Job;
      expect(await runAlertDelivery(job(c.worker_id), { db: f.db.db, queue: alerts.queue, sender: withTenant.alertSender })).toEqual({ sent: 1, held: 0, stale: 0 });
      const opened = connector.created.filter((x) => x.parameters.members?.[0]?.id === c.aad_object_id);
      expect(opened).toHaveLength(1);
      expect(opened[0].parameters).toMatchObject({ isGroup: false, tenantId: 'tenant-1' });
      const stored = await f.db.db.selectFrom('conversation_reference').selectAll().where('worker_id', '=', c.worker_id).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ conversation_id: opened[0].id, active: 1 });
      expect(connector.sent.filter((x) => conversationOf(x) === opened[0].id)).toHaveLength(1);
      // Without a tenant the bot cannot open a chat: the alert is held, and reported as such.
      expect(await runAlertDelivery(job(d.worker_id), { db: f.db.db, queue: alerts.queue, sender: bot.alertSender })).toEqual({ sent: 0, held: 1, stale: 0 });
    } finally {
      await withTenant.close();
    }
  });

  it('sends the short form when Teams says a message is too large (413)', async () => {
    // A child of the fixture's run with reasons a caseworker may see, scored again as C9 of a run of its own.
    const source = (await f.db.db.selectFrom('run_score').select(['person_id', 'reason_items']).where('run_id', '=', f.runId).where('on_list', '=', 1).where('list', '=', 'children').orderBy('person_id').execute()).find((r) => r.reason_items?.includes('"audience":"everyone"'))!;
    const shown = (JSON.parse(source.reason_items!) as ReasonItem[]).filter((i) => i.audience === 'everyone').map(reasonLine);
    await f.db.db
      .insertInto('run_score')
      .columns(['run_id', 'person_id', 'as_of', 'age', 'predictive_score', 'index_score', 'network_score', 'final_score', 'band', 'on_list', 'missing_person_risk', 'conduct_flags', 'conduct_disorder_risk', 'probability', 'reason_items', 'contributions', 'list'])
      .expression(f.db.db.selectFrom('run_score').select([sql.lit('run-big').as('run_id'), sql.lit('C9').as('person_id'), 'as_of', 'age', 'predictive_score', 'index_score', 'network_score', 'final_score', 'band', 'on_list', 'missing_person_risk', 'conduct_flags', 'conduct_disorder_risk', 'probability', 'reason_items', 'contributions', 'list']).where('run_id', '=', f.runId).where('person_id', '=', source.person_id))
      .execute();
    await post(teamsInstall(connector.url, a.aad, a.conversation));
    await f.db.db.insertInto('alert').values({ alert_id: `run-big|${a.workerId}|C9`, run_id: 'run-big', worker_id: a.workerId, person_id: 'C9', change: 'joined_list', status: 'pending', activity_id: null, sent_at: null, detail: null, previous_band: 'none', band: 'high', new_reasons: '[]' }).execute();
    connector.failFor(a.conversation, 413, 1);
    const before = connector.sent.length;
    const job = { data: { runId: 'run-big', workerId: a.workerId, alertIds: [`run-big|${a.workerId}|C9`] }, id: 'big' } as Job;
    expect(await runAlertDelivery(job, { db: f.db.db, queue: alerts.queue, sender: bot.alertSender })).toEqual({ sent: 1, held: 0, stale: 0 });
    const delivered = connector.sent.slice(before);
    expect(delivered).toHaveLength(1);
    const text = personIdsOn(delivered[0]);
    expect(text).toContain('CSE risk has emerged for C9');
    expect(text).toContain('Open the profile for the reasons');
    expect(shown.length).toBeGreaterThan(0);
    for (const line of shown) expect(text).not.toContain(line);
  });

  it('an uninstall retires the conversation: later alerts are held, not sent', async () => {
    expect((await post(teamsInstall(connector.url, a.aad, a.conversation, 'remove'))).status).toBe(200);
    expect((await f.db.db.selectFrom('conversation_reference').select('active').where('aad_object_id', '=', a.aad).executeTakeFirstOrThrow()).active).toBe(0);
  });
});
