import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Queue } from 'bullmq';
import { startBot, type RunningBot } from '../../bot/server.js';
import { ALERT_VERBS, NO_LONGER_SHOWN } from '../../cards/alert-card.js';
import { POLICE_HOLD_MORE } from '../../domain/decision-support.js';
import { reasonLine, type ReasonItem } from '../../domain/reason-item.js';
import { runAlertDelivery, runAlertFanout } from '../../worker/jobs/alert-jobs.js';
import { cardTexts } from '../helpers/adaptive-card.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, teamsCardAction, teamsGroupCardAction, teamsGroupMessage, teamsInstall, type SentActivity } from '../helpers/connector-stand-in.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };
const quiet = () => undefined;

interface Officer {
  readonly workerId: string;
  readonly aad: string;
  readonly name: string;
  readonly conversation: string;
}

const conversationOf = (activity: SentActivity) => decodeURIComponent(/^\/v3\/conversations\/([^/]+)\//.exec(activity.path)?.[1] ?? '');
const cardOf = (activity: SentActivity) => (activity.body.attachments as { content: unknown }[])[0].content;
/** The card's bullet lines: the reasons shown, then the agencies. */
const bullets = (card: unknown) => cardTexts(card).filter((t) => t.startsWith('• ')).map((t) => t.slice(2));

describe('what an alert shows is decided by the reader’s role when it is shown (bot pipeline over HTTP, real SQLite)', () => {
  let dir: string;
  let f: BotFixture;
  let bot: RunningBot;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let stays: Officer;
  let moves: Officer;
  let pupilsOfficer: Officer;
  let pupil: string;
  /** A child on the list with police-only reasons (an active Topaz marker), and another child on the list. */
  let topaz: string;
  let other: string;
  let items: ReasonItem[];
  const jobs: Job[] = [];
  const queue = { addBulk: async (added: { name: string; data: unknown }[]) => (jobs.push(...added.map((j, i) => ({ ...j, id: `deliver-${jobs.length + i}` }) as unknown as Job)), []) } as unknown as Queue;

  const post = (body: unknown) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const alertRow = (workerId: string, personId: string) => f.db.db.selectFrom('alert').selectAll().where('alert_id', '=', `${f.runId}|${workerId}|${personId}`).executeTakeFirstOrThrow();
  const deliver = async (workerId: string) => {
    for (const job of jobs.filter((j) => (j.data as { workerId: string }).workerId === workerId)) await runAlertDelivery(job, { db: f.db.db, queue, sender: bot.alertSender });
  };
  const becomeCaseworker = (workerId: string) => f.db.db.updateTable('staff').set({ role: 'caseworker', agency: 'social_care' }).where('worker_id', '=', workerId).execute();
  const answer = async (o: Officer, data: unknown, replyToId: string | null) => {
    const res = await post({ ...teamsCardAction(connector.url, o.aad, o.conversation, ALERT_VERBS.acknowledge, data), ...(replyToId ? { replyToId } : {}) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { value: unknown }).value;
  };
  const auditSince = (workerId: string, since: string) =>
    f.db.db
      .selectFrom('access_audit')
      .select(['action', 'person_id', 'outcome', 'actor_role', 'basis', 'shown'])
      .where('actor_worker_id', '=', workerId)
      .where('occurred_at', '>', since)
      .orderBy('occurred_at')
      .orderBy('action', 'desc')
      .execute();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-alert-role-'));
    f = await botFixture(dir);
    const d = f.db.db;
    const listed = await d.selectFrom('run_score').select(['person_id', 'reason_items']).where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 1).orderBy('person_id').execute();
    const withPolice = listed.filter((r) => r.reason_items?.includes('"audience":"police"') && r.reason_items.includes('"audience":"everyone"'));
    expect(withPolice.length).toBeGreaterThan(0);
    topaz = withPolice[0].person_id;
    items = JSON.parse(withPolice[0].reason_items!) as ReasonItem[];
    other = listed.find((r) => r.person_id !== topaz)!.person_id;
    const officers = await d.selectFrom('staff').select(['worker_id', 'aad_object_id', 'display_name']).where('role', '=', 'officer').where('aad_object_id', 'is not', null).orderBy('worker_id').limit(2).execute();
    expect(officers).toHaveLength(2);
    [stays, moves] = officers.map((o, i) => ({ workerId: o.worker_id, aad: o.aad_object_id!, name: o.display_name, conversation: `a:personal-officer-${i}` }));
    // The school lead's pupil is on the list, with a Topaz officer involved: the lead's digest names the police only as partners may see them.
    pupil = f.schoolLead.pupil;
    // A force analyst recorded as the pupil's police contact (never sent an alert here: no chat).
    const analyst = await d.selectFrom('staff').select(['worker_id', 'display_name']).where('worker_id', '=', f.analyst.workerId).executeTakeFirstOrThrow();
    pupilsOfficer = { workerId: analyst.worker_id, aad: f.analyst.aad, name: analyst.display_name, conversation: 'a:none' };
    expect([topaz, other]).not.toContain(pupil);
    await d.updateTable('run_score').set({ on_list: 1, band: 'high' }).where('run_id', '=', f.runId).where('person_id', '=', pupil).execute();
    await d.insertInto('agency_involvement').values({ person_id: pupil, agency: 'police', worker_id: pupilsOfficer.workerId, role: 'Topaz officer', start_date: null, end_date: null }).execute();
    // Only these two are involved with the two children, so the fan-out's alerts about them are exactly theirs.
    await d.deleteFrom('agency_involvement').where('person_id', 'in', [topaz, other]).execute();
    await d
      .insertInto('agency_involvement')
      .values([
        { person_id: topaz, agency: 'police', worker_id: stays.workerId, role: 'Topaz officer', start_date: null, end_date: null },
        { person_id: topaz, agency: 'police', worker_id: moves.workerId, role: 'Topaz officer', start_date: null, end_date: null },
        { person_id: other, agency: 'police', worker_id: stays.workerId, role: 'Topaz officer', start_date: null, end_date: null },
      ])
      .execute();
    connector = await startConnectorStandIn();
    bot = await startBot(LOCAL, { db: f.db.db, now: () => new Date() }, quiet);
    for (const o of [stays, moves]) expect((await post(teamsInstall(connector.url, o.aad, o.conversation))).status).toBe(200);
    expect((await post(teamsInstall(connector.url, f.schoolLead.aad, 'a:personal-school'))).status).toBe(200);
    // Each install is welcomed in its 1:1 chat (test/bot/lookups.test.ts reads the welcome); what is sent from here on is counted.
    expect(connector.sent).toHaveLength(3);
    connector.sent.length = 0;
    await runAlertFanout({ data: { runId: f.runId }, id: 'fanout' } as Job, { db: f.db.db, queue, sender: bot.alertSender });
  }, 240_000);
  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const everyoneLines = () => [...items.filter((i) => i.audience === 'everyone').map(reasonLine), POLICE_HOLD_MORE];
  const policeTexts = () => items.filter((i) => i.audience === 'police').map((i) => i.text);

  it('stores no reader’s text with the alert: only what happened', async () => {
    const row = await alertRow(moves.workerId, topaz);
    expect(row).toMatchObject({ change: 'joined_list', previous_band: null, band: 'high', new_reasons: '[]', closed_on: null, status: 'pending', detail: null });
  });

  it('a recipient who became a caseworker between fan-out and delivery is sent the partner’s card: no police-only reason, police neutralised', async () => {
    await becomeCaseworker(moves.workerId);
    await deliver(moves.workerId);
    const sent = connector.sent.filter((s) => conversationOf(s) === moves.conversation);
    expect(sent).toHaveLength(1);
    const lines = bullets(cardOf(sent[0]));
    expect(lines.slice(0, everyoneLines().length)).toEqual(everyoneLines());
    expect(lines.slice(everyoneLines().length)).toEqual(['police: through the exploitation team']);
    expect(cardTexts(cardOf(sent[0])).join('\n')).not.toMatch(/Topaz/);
    const audited = await f.db.db.selectFrom('access_audit').select(['actor_role', 'shown']).where('action', '=', 'alert').where('actor_worker_id', '=', moves.workerId).where('person_id', '=', topaz).execute();
    expect(audited).toEqual([{ actor_role: 'caseworker', shown: `band high; ${items.filter((i) => i.audience === 'everyone').map((i) => i.code).join('; ')}; neutral line: police hold more; agencies: police: through the exploitation team` }]);
  });

  it('an officer is sent the police view; answered after they became a caseworker, the card returned has no Topaz and no police-only reason, and that disclosure is audited', async () => {
    await deliver(stays.workerId);
    const sent = connector.sent.filter((s) => conversationOf(s) === stays.conversation);
    expect(sent).toHaveLength(2);
    const topazCard = sent.find((s) => cardTexts(cardOf(s)).join('\n').includes(`emerged for ${topaz}`))!;
    // Sent while they were an officer: the police-only reasons and the officer's involvement are on it.
    for (const text of policeTexts()) expect(cardTexts(cardOf(topazCard)).join('\n').toLowerCase()).toContain(text.toLowerCase());
    expect(bullets(cardOf(topazCard))).toContain(`police (Topaz officer): ${stays.name}`);

    await becomeCaseworker(stays.workerId);
    const since = new Date().toISOString().slice(0, 23);
    const ack = (cardOf(topazCard) as { actions: { verb?: string; data?: unknown }[] }).actions.find((a) => a.verb === ALERT_VERBS.acknowledge)!;
    const row = await alertRow(stays.workerId, topaz);
    const answered = await answer(stays, ack.data, row.activity_id);
    const lines = bullets(answered);
    expect(lines).toEqual([...everyoneLines(), 'police: through the exploitation team']);
    expect(cardTexts(answered).join('\n')).not.toMatch(/Topaz/);
    expect(cardTexts(answered).join('\n')).toMatch(/acknowledged \(\d{4}-\d{2}-\d{2}T/);
    const audit = await auditSince(stays.workerId, since);
    expect(audit).toEqual([
      { action: 'alert-answer', person_id: topaz, outcome: 'processed', actor_role: 'caseworker', basis: `answer on the alert from run ${f.runId}`, shown: 'acknowledged' },
      {
        action: 'alert',
        person_id: topaz,
        outcome: 'allowed',
        actor_role: 'caseworker',
        basis: `the recipient's own alert from run ${f.runId}, shown again after their answer, for their role now (caseworker): caseworker ${stays.workerId} has an open police involvement with this person (Topaz officer)`,
        shown: `band high; ${items.filter((i) => i.audience === 'everyone').map((i) => i.code).join('; ')}; neutral line: police hold more; agencies: police: through the exploitation team`,
      },
    ]);
  });

  it('an alert id repeated 50 times is answered once; alerts of another message, or of another card, are not answered at all', async () => {
    const id = `${f.runId}|${stays.workerId}|${topaz}`;
    const otherId = `${f.runId}|${stays.workerId}|${other}`;
    const cardActivity = (await alertRow(stays.workerId, topaz)).activity_id;
    const responses = () => f.db.db.selectFrom('alert_response').select(['alert_id']).where('worker_id', '=', stays.workerId).execute();
    expect(await responses()).toHaveLength(1);
    await answer(stays, { alertIds: Array.from({ length: 50 }, () => id) }, cardActivity);
    expect((await responses()).map((r) => r.alert_id)).toEqual([id, id]);
    // Two messages' alerts in one answer: refused, nothing recorded.
    const mixed = await answer(stays, { alertIds: [...Array.from({ length: 50 }, () => id), otherId] }, cardActivity);
    expect(cardTexts(mixed).join('\n')).toContain('were not sent on this card');
    // The other child's alert, answered from this child's card.
    const forged = await answer(stays, { alertId: otherId }, cardActivity);
    expect(cardTexts(forged).join('\n')).toContain('were not sent on this card');
    expect(await responses()).toHaveLength(2);
    const refused = await f.db.db.selectFrom('access_audit').select(['basis']).where('actor_worker_id', '=', stays.workerId).where('action', '=', 'alert-answer').where('outcome', '=', 'refused').execute();
    expect(refused).toHaveLength(2);
  });

  it('a school lead’s digest is rendered for their role when shown (police neutralised, no police-only reason), and answering it audits what the returned card shows', async () => {
    const lead = { workerId: f.schoolLead.workerId, aad: f.schoolLead.aad, name: '', conversation: 'a:personal-school' };
    await deliver(lead.workerId);
    const sent = connector.sent.filter((s) => conversationOf(s) === lead.conversation);
    expect(sent).toHaveLength(1);
    const text = cardTexts(cardOf(sent[0])).join('\n');
    expect(text).toContain('Your pupils on this week');
    expect(text).toContain(pupil);
    expect(text).toContain('police: through the exploitation team');
    expect(text).not.toContain(pupilsOfficer.name);
    expect(text).not.toMatch(/Topaz/);
    const digest = await f.db.db.selectFrom('alert').select(['alert_id', 'person_id', 'activity_id']).where('run_id', '=', f.runId).where('worker_id', '=', lead.workerId).orderBy('person_id').execute();
    expect(digest.map((a) => a.person_id)).toContain(pupil);
    const since = new Date().toISOString().slice(0, 23);
    const ack = (cardOf(sent[0]) as { actions: { verb?: string; data?: unknown }[] }).actions.find((a) => a.verb === ALERT_VERBS.acknowledge)!;
    const answered = await answer(lead, ack.data, digest[0].activity_id);
    expect(cardTexts(answered).join('\n')).not.toMatch(/Topaz/);
    const audit = await auditSince(lead.workerId, since);
    expect(audit.map((r) => [r.action, r.person_id, r.outcome, r.actor_role]).sort()).toEqual(
      digest.flatMap((a) => [['alert', a.person_id, 'allowed', 'school_safeguarding_lead'], ['alert-answer', a.person_id, 'processed', 'school_safeguarding_lead']]).sort(),
    );
    expect(audit.find((r) => r.action === 'alert' && r.person_id === pupil)!.shown).toContain('agencies: police: through the exploitation team');
  });

  it('`alerts` in a group chat names none of the caller’s alerted children there, and the refusal is audited with the chat', async () => {
    const before = connector.sent.length;
    const since = new Date().toISOString().slice(0, 23);
    expect((await post(teamsGroupMessage(connector.url, 'alerts', stays.aad, '19:meeting-chat@thread.v2'))).status).toBe(200);
    const replies = connector.sent.slice(before);
    expect(replies).toHaveLength(1);
    const text = cardTexts(cardOf(replies[0])).join('\n');
    expect(text).toContain('Ask me in your 1:1 chat');
    expect(text).not.toContain(topaz);
    expect(text).not.toContain(other);
    const audit = await f.db.db.selectFrom('access_audit').select(['action', 'person_id', 'outcome', 'shown', 'basis', 'channel']).where('actor_worker_id', '=', stays.workerId).where('occurred_at', '>', since).execute();
    expect(audit).toEqual([
      { action: 'alerts', person_id: null, outcome: 'refused', shown: '', basis: "asked in a group chat, where every member would read the answer: alerts answers only in the caller's 1:1 chat; nothing shown to the chat", channel: 'msteams:groupChat:19:meeting-chat@thread.v2' },
    ]);
  });

  it('an alert answered from a group chat is not recorded and the card returned there names no child', async () => {
    const id = `${f.runId}|${stays.workerId}|${topaz}`;
    const responses = () => f.db.db.selectFrom('alert_response').select(['alert_id']).where('worker_id', '=', stays.workerId).execute();
    const before = (await responses()).length;
    const since = new Date().toISOString().slice(0, 23);
    const res = await post({ ...teamsGroupCardAction(connector.url, stays.aad, '19:meeting-chat@thread.v2', ALERT_VERBS.acknowledge, { alertId: id }), replyToId: (await alertRow(stays.workerId, topaz)).activity_id });
    expect(res.status).toBe(200);
    const card = ((await res.json()) as { value: unknown }).value;
    const text = cardTexts(card).join('\n');
    expect(text).toContain('Answer in your 1:1 chat');
    expect(text).not.toContain(topaz);
    expect(bullets(card)).toEqual([]);
    expect(await responses()).toHaveLength(before);
    const audit = await auditSince(stays.workerId, since);
    expect(audit.map((r) => [r.action, r.person_id, r.outcome])).toEqual([['alert-answer', null, 'refused']]);
  });

  it('a school lead moved to another school answers their old digest: the answer is kept, the card returned names no pupil’s detail, and each pupil shown is audited as refused', async () => {
    const lead = { workerId: f.schoolLead.workerId, aad: f.schoolLead.aad, name: '', conversation: 'a:personal-school' };
    const digest = await f.db.db.selectFrom('alert').select(['alert_id', 'person_id', 'activity_id']).where('run_id', '=', f.runId).where('worker_id', '=', lead.workerId).orderBy('person_id').execute();
    expect(digest.map((a) => a.person_id)).toContain(pupil);
    const answersKept = async () => (await f.db.db.selectFrom('alert_response').select(['alert_id']).where('worker_id', '=', lead.workerId).execute()).length;
    const keptBefore = await answersKept();
    await f.db.db.updateTable('staff').set({ school_id: 'SCHOOL-ELSEWHERE' }).where('worker_id', '=', lead.workerId).execute();
    const since = new Date().toISOString().slice(0, 23);
    const answered = await answer(lead, { alertIds: digest.map((a) => a.alert_id) }, digest[0].activity_id);
    const lines = cardTexts(answered);
    for (const a of digest) expect(lines).toContain(`${a.person_id}: ${NO_LONGER_SHOWN}`);
    expect(lines.join('\n')).not.toMatch(/band|police|Agencies:/);
    expect(bullets(answered)).toEqual([]);
    const audit = await auditSince(lead.workerId, since);
    expect(audit.map((r) => [r.action, r.person_id, r.outcome]).sort()).toEqual(digest.flatMap((a) => [['alert', a.person_id, 'refused'], ['alert-answer', a.person_id, 'processed']]).sort());
    const refused = audit.filter((r) => r.action === 'alert');
    expect(refused).toHaveLength(digest.length);
    expect(refused.every((r) => r.shown === `nothing about the child: "${NO_LONGER_SHOWN}"` && r.basis.endsWith('(school SCHOOL-ELSEWHERE): this person is not enrolled at their school'))).toBe(true);
    expect(await answersKept()).toBe(keptBefore + digest.length);
  });

  it('a recipient whose role became admin answers their old alert: the card returned shows none of the child’s reasons, audited as refused', async () => {
    await f.db.db.updateTable('staff').set({ role: 'admin' }).where('worker_id', '=', stays.workerId).execute();
    const row = await alertRow(stays.workerId, topaz);
    const since = new Date().toISOString().slice(0, 23);
    const answered = await answer(stays, { alertId: row.alert_id }, row.activity_id);
    const text = cardTexts(answered).join('\n');
    expect(text).toContain(NO_LONGER_SHOWN);
    expect(bullets(answered)).toEqual([]);
    for (const line of everyoneLines()) expect(text).not.toContain(line);
    expect(text).not.toMatch(/band high|Why this child is shown|Agencies involved/);
    const audit = await auditSince(stays.workerId, since);
    expect(audit).toEqual([
      { action: 'alert-answer', person_id: topaz, outcome: 'processed', actor_role: 'admin', basis: `answer on the alert from run ${f.runId}`, shown: 'acknowledged' },
      {
        action: 'alert',
        person_id: topaz,
        outcome: 'refused',
        actor_role: 'admin',
        basis: `the recipient's own alert from run ${f.runId}, shown again after their answer, for their role now (admin): administrator ${stays.workerId}: administrators run the service and do not consult people's records`,
        shown: `nothing about the child: "${NO_LONGER_SHOWN}"`,
      },
    ]);
  });
});
