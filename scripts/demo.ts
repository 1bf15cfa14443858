import { join } from 'node:path';
import { formatRunSummary } from '../cli/format-run.js';
import { loadConfig } from '../config/env.js';
import { reportFatal } from '../domain/errors.js';
import { createDb } from '../db/database.js';
import { exportModelCard } from '../reports/export-model-card.js';
import { exportScores } from '../reports/export-scores.js';
import { scoresOfRun, type RunScore } from '../db/repositories/run-scores.js';
import { reasonParagraphForReader } from '../domain/access-policy.js';
import type { ImportSummary } from '../db/import/import-bundle.js';
import { generateBundle } from '../synth/generate.js';
import { IMPORT_BUNDLE } from '../worker/jobs/import-bundle-job.js';
import { SCORE_RUN } from '../worker/jobs/score-run-job.js';
import { startWorker } from '../worker/main.js';
import type { RunSummary } from '../worker/pipeline/score-run.js';
import { openQueue } from '../worker/queue.js';
import { ensureRedis } from '../worker/redis/ensure-redis.js';
import { loadScoringConfig } from '../worker/scoring/scoring-config.js';
import { startBot } from '../bot/server.js';
import { startLocalConnector, teamsCardAction, teamsGroupCardAction, teamsGroupMessage, teamsInstall } from '../bot/local/local-connector.js';
import { meetingJobsOn, openAlertQueue, startAlertWorker } from '../worker/alert-worker.js';
import { fanoutJobId } from '../worker/jobs/alert-jobs.js';
import { updateRequestsJobId } from '../worker/jobs/meeting-update-jobs.js';
import type { Queue } from 'bullmq';
import { cardAsText } from '../cards/card-as-text.js';
import { ALERT_VERBS } from '../cards/alert-card.js';
import type { TfdDialect } from '../db/dialect/dialect.js';
import { ITEMS_PER_PAGE, MEETING_VERBS } from '../cards/meeting-card.js';
import { writeMinutes } from '../reports/minutes/write-minutes.js';
import { dayOf, isoOf } from '../domain/days.js';

/**
 * The main job on the embedded default, end to end through the real worker
 * and BullMQ queue: a synthetic TFD is written and imported, a scoring run is
 * published, its scores exported, and the run judged against ground truth.
 *   npm run demo [-- --people N]
 */
async function main(people: number): Promise<void> {
  const config = loadConfig();
  const bundle = join('data', 'demo-bundle');
  const redis = await ensureRedis({ redisUrl: config.REDIS_URL });
  const db = await createDb({ databaseUrl: config.DATABASE_URL });
  const settings = { redisUrl: redis.url, prefix: `${config.QUEUE_PREFIX}-demo` };
  const worker = startWorker(settings, { db, scoring: loadScoringConfig(config.SCORING_CONFIG), log: () => undefined });
  const queue = openQueue(settings);
  try {
    console.log(`1/6 synthesising ${people.toLocaleString('en-GB')} people (seed 1) into ${bundle} …`);
    const synth = generateBundle({ people, seed: 1, out: bundle });
    console.log(
      `    ${synth.rows.indicator_fact.toLocaleString('en-GB')} indicator facts, ${synth.rows.event.toLocaleString('en-GB')} police events; hidden: ${synth.victims} exploited children, ${synth.knownToService} known to the service`,
    );

    console.log(`2/6 importing through the worker (queue on ${redis.url}, ${redis.origin}) into ${config.DATABASE_URL} …`);
    const imported = await queue.run<ImportSummary>(IMPORT_BUNDLE, { dir: bundle, replace: true });
    const rows = Object.values(imported.rows).reduce((a, b) => a + b, 0);
    console.log(`    ${rows.toLocaleString('en-GB')} rows in ${imported.seconds.toFixed(1)} s`);

    // Caseworkers install the app (simulated install activities through the real bot pipeline), so the run's alerts can reach them.
    const connector = await startLocalConnector({ keep: true });
    // A new meeting agenda asks lead professionals for updates through the alert queue, as `npm start` wires it.
    const meetingQueue = openAlertQueue(settings);
    const bot = await startBot({ port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true }, { db: db.db, now: () => new Date(), meetingJobs: meetingJobsOn(meetingQueue) }, () => undefined);
    const alerts = startAlertWorker(settings, { db: db.db, sender: bot.alertSender, log: () => undefined });
    try {
      const installed = await installForCaseworkers(db, bot.url, connector.url);
      console.log(`    the bot (loopback, ${bot.url}) installed for ${installed.length} caseworkers and school safeguarding leads`);

      console.log('3/6 scoring run through the worker …');
      const run = await queue.run<RunSummary>(SCORE_RUN, {}, (p) => process.stdout.write(`    ${(p as { stage: string }).stage}`));
      console.log(`\n${formatRunSummary(run)}`);
      await reportAlerts(db, alerts.queue, run.runId, connector, bot.url, installed);
      await finish(db, run, bundle);
      const meetingId = await holdMeeting(db, run, connector, bot.url, alerts.queue);
      if (meetingId) {
        console.log('6/6 the next scoring run learns from the meeting’s outcomes …');
        const next = await queue.run<RunSummary>(SCORE_RUN, {});
        console.log(`    run ${next.runId}: ${next.meetingLabels && next.meetingLabels.count > 0 ? `${next.meetingLabels.count} labels from the meeting and alert answers: ${next.meetingLabels.note}` : 'no meeting labels were known by its as-of date'}`);
        // Its alerts are delivered before the demo stops, so none is left owed (a later worker's reconciler would send them).
        const delivered = await deliveredAlerts(db, alerts.queue, next.runId);
        console.log(`    its alerts: ${delivered.total} (children who crossed onto the list or into the watch band, or gained a new risk, since the run before: docs/alerts.md), ${delivered.sent} sent, ${delivered.held} held; none left pending`);
        const card = await exportModelCard(db, join('data', 'model-card-after-meeting'), next.runId);
        console.log(`    its model card (section "Labels from the multi-agency meeting", with how the model moved): ${card.html}`);
      }
    } finally {
      await alerts.close();
      await meetingQueue.close();
      await bot.close();
      await connector.close();
    }
  } finally {
    await queue.close();
    await worker.close();
    await db.close();
    await redis.stop();
  }
}

/** Exports, the model card, and the top of the lists. */
async function finish(db: TfdDialect, run: RunSummary, bundle: string): Promise<void> {
  const out = join('data', 'scores.csv');
  await exportScores(db, out, run.runId);
  console.log(`4/6 scores exported to ${out}; compare with ground truth: npm run cli -- eval --truth ${join(bundle, 'truth.csv')}`);
  const card = await exportModelCard(db, join('data', 'model-card'), run.runId);
  console.log(`    model card of this run: ${card.html} (JSON twin ${card.json}); with ground truth: npm run cli -- eval --bundle ${bundle} --out data/model-card-truth`);
  let child: RunScore | undefined;
  let adult: RunScore | undefined;
  // Highest score first: the first listed of each list is its top.
  for await (const s of scoresOfRun(db.db, run.runId)) {
    if (s.onList && s.list === 'over_18') adult ??= s;
    else if (s.onList) child ??= s;
  }
  // The demo's reader is an analyst: every reason.
  const reasons = (s: RunScore) => reasonParagraphForReader('analyst', s.reasonItems ?? [], s.list ?? 'children');
  console.log('    the top of this week’s lists (synthetic people):');
  if (child) console.log(`    children: ${child.personId}, age ${child.age}, score ${child.finalScore} (${child.band}): ${reasons(child)}`);
  if (adult) console.log(`    CSE Risk – Subjects Over 18: ${adult.personId}, age ${adult.age}, score ${adult.finalScore}: ${reasons(adult)}`);
}

type Installed = { workerId: string; aad: string; conversation: string };

/** Simulated Teams installs for the synthetic caseworkers and school safeguarding leads, through the real bot pipeline. */
async function installForCaseworkers(db: TfdDialect, botUrl: string, connectorUrl: string): Promise<Installed[]> {
  const staff = await db.db.selectFrom('staff').select(['worker_id', 'aad_object_id']).where('role', 'in', ['caseworker', 'school_safeguarding_lead']).where('aad_object_id', 'is not', null).orderBy('worker_id').execute();
  const installed: Installed[] = [];
  for (const s of staff) {
    const who = { workerId: s.worker_id, aad: s.aad_object_id!, conversation: `a:demo-${s.worker_id}` };
    const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsInstall(connectorUrl, who.aad, who.conversation)) });
    if (res.ok) installed.push(who);
  }
  return installed;
}

/** Waits until the run's fan-out has finished and none of its alerts is pending or being sent; counts them. */
async function deliveredAlerts(db: TfdDialect, queue: ReturnType<typeof startAlertWorker>['queue'], runId: string): Promise<{ total: number; sent: number; held: number }> {
  const end = Date.now() + 120_000;
  for (;;) {
    const fanout = await queue.getJob(fanoutJobId(runId));
    const pending = await db.db.selectFrom('alert').select('alert_id').where('run_id', '=', runId).where('status', 'in', ['pending', 'sending']).execute();
    if (fanout && (await fanout.isCompleted()) && pending.length === 0) break;
    if (Date.now() > end) throw new Error(`alerts for ${runId} were still being delivered after two minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const rows = await db.db.selectFrom('alert').select('status').where('run_id', '=', runId).execute();
  return { total: rows.length, sent: rows.filter((r) => r.status === 'sent').length, held: rows.filter((r) => r.status === 'held').length };
}

/** Waits for the run's alerts to be delivered, says what went where, and answers one card as its caseworker would. */
async function reportAlerts(db: TfdDialect, queue: ReturnType<typeof startAlertWorker>['queue'], runId: string, connector: Awaited<ReturnType<typeof startLocalConnector>>, botUrl: string, installed: Installed[]): Promise<void> {
  await deliveredAlerts(db, queue, runId);
  const rows = await db.db.selectFrom('alert').select(['worker_id', 'status']).where('run_id', '=', runId).execute();
  if (rows.length === 0) {
    console.log('    alerts: none: no child in anyone’s caseload joined the list or moved up a band since the previous run (run the demo on a fresh database to see them)');
    return;
  }
  const sent = rows.filter((r) => r.status === 'sent');
  // Cards only: each install's welcome is a plain message of its own.
  const cards = connector.sent.filter((s) => Array.isArray(s.body.attachments) && s.body.attachments.length > 0);
  console.log(
    `    alerts: ${rows.length} for ${new Set(rows.map((r) => r.worker_id)).size} members of staff (children whose risk emerged, and school leads' weekly digests of their pupils on the list); ${sent.length} sent to ${new Set(sent.map((r) => r.worker_id)).size} of them in ${cards.length} Teams messages, ${rows.length - sent.length} held (no Teams chat with the bot: see docs/alerts.md)`,
  );
  const first = cards[0];
  const who = first && installed.find((i) => first.path.includes(encodeURIComponent(i.conversation)));
  if (!first || !who) return;
  const card = (first.body.attachments as { content: { actions?: { verb?: string; data?: unknown }[] } }[])[0].content;
  const ack = card.actions?.find((a) => a.verb === ALERT_VERBS.acknowledge);
  if (!ack) return;
  const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsCardAction(connector.url, who.aad, who.conversation, ack.verb!, ack.data)) });
  const refreshed = ((await res.json()) as { value: unknown }).value;
  console.log(`    ${who.workerId} acknowledged the first alert through its card (HTTP ${res.status}); the card now reads:`);
  console.log(cardAsText(refreshed).split('\n').filter((l) => /CSE risk has emerged|acknowledged/.test(l)).map((l) => `      ${l}`).join('\n'));
  console.log(`    see a caseworker's alerts: BOT_ALLOW_UNAUTHENTICATED=1 npm run start:bot, then npm run cli -- ask --as ${who.workerId} alerts`);
}

/**
 * The multi-agency meeting in a simulated Teams group chat, through the real
 * bot pipeline: the chair's `meeting new` (the stand-in answers the roster),
 * outcomes recorded through the agenda cards' own Action.Execute payloads,
 * attendance, and the minutes as PDF, DOCX and CSV. The meeting is dated on
 * the run's as-of date, as a meeting held that week would be.
 */
async function holdMeeting(db: TfdDialect, run: RunSummary, connector: Awaited<ReturnType<typeof startLocalConnector>>, botUrl: string, alertQueue: Queue): Promise<string | null> {
  const post = (body: unknown) => fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // A meeting is one area's: the chair's, and every member works for it or for every area (docs/meeting.md).
  const pick = async (role: string, n: number, area?: string | null) =>
    db.db
      .selectFrom('staff')
      .select(['worker_id', 'aad_object_id', 'display_name', 'area_id'])
      .where('role', '=', role)
      .where('aad_object_id', 'is not', null)
      .$if(area !== undefined && area !== null, (q) => q.where((eb) => eb.or([eb('area_id', '=', area!), eb('area_id', 'is', null)])))
      .orderBy('worker_id')
      .limit(n)
      .execute();
  const [chair] = await pick('chair', 1);
  const members = chair ? [chair, ...(await pick('officer', 1, chair.area_id)), ...(await pick('analyst', 1, chair.area_id)), ...(await pick('caseworker', 2, chair.area_id))] : [];
  if (!chair) {
    console.log('5/6 meeting: the synthetic staff list has no chair; skipped');
    return null;
  }
  const chat = '19:demo-victim-list-meeting@thread.v2';
  connector.setRoster(chat, members.map((m) => ({ aadObjectId: m.aad_object_id!, name: m.display_name })));
  const before = connector.sent.length;
  const res = await post(teamsGroupMessage(connector.url, `meeting new ${run.asOf}`, chair.aad_object_id!, chat));
  const posted = connector.sent.slice(before).filter((a) => a.path.includes(encodeURIComponent(chat)));
  const meetingId = (await db.db.selectFrom('meeting').select('meeting_id').where('conversation_id', '=', chat).orderBy('created_at', 'desc').executeTakeFirst())?.meeting_id ?? '';
  const items = await db.db.selectFrom('meeting_item').select(['section']).where('meeting_id', '=', meetingId).execute();
  if (res.status !== 200 || posted.length < 2) {
    console.log(`5/6 meeting: the agenda was not posted (HTTP ${res.status}); see docs/meeting.md`);
    return null;
  }
  const bySection = (s: string) => items.filter((i) => i.section === s).length;
  console.log(`5/6 the victim-list meeting in a Teams group chat of ${members.length} staff (roster checked): agenda of ${items.length} children (${bySection('new')} new, ${bySection('escalated')} escalated, ${bySection('continuing')} continuing, ${bySection('closure_proposed')} proposed for closure) in ${posted.length - 1} agenda cards; the first reads:`);
  const cardOf = (a: { body: { attachments?: unknown[] } }) => (a.body.attachments as { content: { actions?: { title: string; card?: { actions?: { verb?: string; data?: unknown }[] } }[] } }[])[0].content;
  console.log(cardAsText(cardOf(posted[1])).split('\n').slice(0, 14).map((l) => `      ${l}`).join('\n'));
  await showUpdates(db, meetingId, connector, post, chat, chair.aad_object_id!, posted.slice(1), alertQueue);
  // Outcomes recorded as members would: through each card's own Save action, with the form's inputs. A referral
  // accepted and a "no further action" teach the model only about children the service had not already accepted.
  // Each child's "Record N" sits under their item, in its own action set.
  const recordButton = (node: unknown, title: string): { card?: { actions?: { verb?: string; data?: unknown }[] } } | undefined => {
    if (!node || typeof node !== 'object') return undefined;
    if ((node as { title?: unknown }).title === title && (node as { type?: unknown }).type === 'Action.ShowCard') return node as { card?: { actions?: { verb?: string; data?: unknown }[] } };
    for (const child of Object.values(node)) {
      const found = recordButton(child, title);
      if (found) return found;
    }
    return undefined;
  };
  const save = (n: number) => recordButton(cardOf(posted[1 + Math.floor((n - 1) / ITEMS_PER_PAGE)]), `Record ${n}`)?.card?.actions?.[0];
  const inService = new Set((await db.db.selectFrom('base_cohort').select('person_id').where('start_of_service', '<=', run.asOf).execute()).map((r) => r.person_id));
  const agenda = await db.db.selectFrom('meeting_item').select(['person_id', 'position']).where('meeting_id', '=', meetingId).orderBy('position').execute();
  const notInService = agenda.filter((i) => !inService.has(i.person_id)).map((i) => i.position + 1);
  const owner = members.find((m) => m.worker_id !== chair.worker_id) ?? chair;
  const due = isoOf(dayOf(run.asOf) + 14);
  const form = (n: number, fields: Record<string, string>) => [n, Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${k}_${n}`, v]))] as const;
  const outcomes = [
    ...(notInService[0] ? [form(notInService[0], { decision: 'refer', rag: 'red', outcome: 'referral_accepted', lead: 'social_care', action: 'Strategy discussion with police and school', owner: owner.worker_id, due, review: isoOf(dayOf(run.asOf) + 28), notes: 'Referral accepted by the exploitation service at the meeting' })] : []),
    form(1, { decision: 'remain', rag: 'amber', action: 'Return home interview after the latest missing episode', owner: owner.worker_id, due }),
    ...(notInService[1] ? [form(notInService[1], { decision: 'nfa', rag: 'green', notes: 'Known to family support; no exploitation concerns found' })] : []),
  ];
  const recorder = members.find((m) => m !== chair) ?? chair;
  let recorded = 0;
  for (const [n, inputs] of outcomes) {
    const action = save(n);
    if (!action?.verb) continue;
    const r = await post(teamsGroupCardAction(connector.url, recorder.aad_object_id!, chat, action.verb, action.data, inputs));
    if (r.ok) recorded++;
  }
  await post(teamsGroupCardAction(connector.url, chair.aad_object_id!, chat, MEETING_VERBS.attendance, { meetingId, attendance: 'present' }));
  await post(teamsGroupCardAction(connector.url, recorder.aad_object_id!, chat, MEETING_VERBS.attendance, { meetingId, attendance: 'present' }));
  if (members[4]) await post(teamsGroupCardAction(connector.url, members[4].aad_object_id!, chat, MEETING_VERBS.attendance, { meetingId, attendance: 'apologies' }));
  console.log(`    ${recorder.display_name} recorded ${recorded} outcomes through the cards (a referral accepted and a "no further action" for children not yet with the service, "remain on the list" for item 1); each chat card was updated for everyone (${connector.updated.length} card updates)`);
  const { files } = await writeMinutes(db.db, join('data', 'minutes'), { workerId: chair.worker_id }, { meetingId });
  console.log(`    minutes (opening them is audited): ${files.join(', ')}; again with: npm run cli -- meeting minutes --latest --as ${chair.worker_id} --out data/minutes`);
  return meetingId;
}

/**
 * The agenda's lead professionals are asked for updates (the alert worker
 * runs the queued job); one answers from their card, and the chair's
 * Refresh shows it on the child's agenda item.
 */
async function showUpdates(db: TfdDialect, meetingId: string, connector: Awaited<ReturnType<typeof startLocalConnector>>, post: (body: unknown) => Promise<Response>, chat: string, chairAad: string, pages: { body: { attachments?: unknown[] } }[], alertQueue: Queue): Promise<void> {
  // The asks go at Teams' pace (a chat that has just had its alerts waits its turn): counted when the job has finished.
  const end = Date.now() + 60_000;
  const drawnAt = String((await db.db.selectFrom('meeting').select('created_at').where('meeting_id', '=', meetingId).executeTakeFirstOrThrow()).created_at);
  const finished = async () => ['completed', 'failed'].includes(await alertQueue.getJobState(updateRequestsJobId(meetingId, drawnAt)));
  while (Date.now() < end && !(await finished())) await new Promise((r) => setTimeout(r, 200));
  const rows = await db.db.selectFrom('meeting_update').select('status').where('meeting_id', '=', meetingId).execute();
  const asked = rows.filter((r) => r.status === 'requested').length;
  const request = connector.sent.find((a) => a.body.summary?.startsWith('Your update for the meeting'));
  console.log(`    lead professionals asked for an update before the meeting (through the alert queue): ${asked} requests sent, ${rows.length - asked} held (no Teams chat with the bot)`);
  if (!request) return;
  const conversation = decodeURIComponent(/^\/v3\/conversations\/([^/]+)\//.exec(request.path)?.[1] ?? '');
  const lead = await db.db.selectFrom('conversation_reference').select('aad_object_id').where('conversation_id', '=', conversation).executeTakeFirst();
  const card = (request.body.attachments as { content: { body: { type: string; id?: string; label?: string }[]; actions: { verb?: string; data?: object }[] } }[])[0].content;
  const box = card.body.find((b) => b.type === 'Input.Text');
  const send = card.actions.find((a) => a.verb === 'meeting.update');
  if (!lead || !box || !send) return;
  const update = 'Seen at home on Monday; engaging with the youth worker; school attendance up this month.';
  await post(teamsCardAction(connector.url, lead.aad_object_id, conversation, send.verb!, { ...send.data, [box.id!]: update }));
  const personId = box.label?.split(' ')[0] ?? '';
  const position = (await db.db.selectFrom('meeting_item').select('position').where('meeting_id', '=', meetingId).where('person_id', '=', personId).executeTakeFirst())?.position ?? 0;
  const page = pages[Math.floor(position / ITEMS_PER_PAGE)];
  const refresh = (page?.body.attachments as { content: { body: { type: string; actions?: { verb?: string; data?: unknown }[] }[] } }[] | undefined)?.[0].content.body.find((b) => b.type === 'ActionSet')?.actions?.[0];
  if (!refresh?.verb) return;
  const res = await post(teamsGroupCardAction(connector.url, chairAad, chat, refresh.verb, refresh.data));
  const lines = cardAsText(((await res.json()) as { value: unknown }).value).split('\n');
  const at = lines.findIndex((l) => l.includes('Updates from lead professionals'));
  console.log(`    a lead professional answered from their card; after Refresh, ${personId}'s agenda item reads:`);
  console.log(lines.slice(at, at + 2).map((l) => `      ${l}`).join('\n'));
}

const peopleFlag = process.argv.indexOf('--people');
const people = peopleFlag > 0 ? Number(process.argv[peopleFlag + 1]) : 50_000;
await main(people).catch(reportFatal);
