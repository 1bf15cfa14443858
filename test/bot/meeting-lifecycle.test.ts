import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/database.js';
import { startBot, type RunningBot } from '../../bot/server.js';
import { MEETING_VERBS } from '../../cards/meeting-card.js';
import { writeMinutes } from '../../reports/minutes/write-minutes.js';
import { cardProblems, cardTexts, findAction } from '../helpers/adaptive-card.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, teamsCardAction, teamsGroupCardAction, teamsGroupMessage, type SentActivity } from '../helpers/connector-stand-in.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };
const quiet = () => undefined;
const CHAT = '19:lifecycle-chat@thread.v2';
const GUEST_CHAT = '19:guest-chat@thread.v2';
const DATE = '2026-12-14';
/** The meeting drawn for DATE (its id names the chair's area). */
let MEETING: string;
const SECOND_CHAIR = { aad: '77777777-0000-0000-0000-000000000001', workerId: 'W-SECOND-CHAIR' };

type Card = { body: unknown[]; actions?: { type: string; title: string; verb?: string; data?: Record<string, unknown>; card?: Card }[] };
const cardOf = (a: SentActivity) => (a.body.attachments as { content: Card }[])[0].content;
const textOf = (card: unknown) => cardTexts(card).join('\n');
const md = new MarkdownIt({ linkify: true });

/**
 * The text pdfkit drew (its content streams inflated, the hex strings of its TJ operators decoded), read without
 * pdftotext: enough to find a sentence. Text runs are joined as drawn.
 */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue; // not a content stream (fonts, images)
    }
    for (const line of content.split('\n')) if (/T[Jj]$/.test(line.trim())) out.push([...line.matchAll(/<([0-9a-f]+)>/gi)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''));
  }
  return out.join('\n');
}

/** Another process holding the database's write lock until told to let go (an import, a run's writes). */
async function holdWriteLock(path: string): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(path)});
    db.exec('BEGIN EXCLUSIVE');
    db.prepare("insert into area (area_id, name) values ('LOCK', 'held')").run();
    process.stdout.write('locked\\n');
    process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout!, 'data');
  expect(String(chunk)).toContain('locked');
  return child;
}

describe('the meeting against hostile and careless use (real bot pipeline, Bot Connector stand-in, real SQLite)', () => {
  let dir: string;
  let f: BotFixture;
  let bot: RunningBot;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let page1: Card;
  const post = (body: unknown) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const invoke = async (aad: string, verb: string, data: unknown, inputs: Record<string, string> = {}, url = bot.url) => {
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsGroupCardAction(connector.url, aad, CHAT, verb, data, inputs)) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { value: Card }).value;
  };
  const say = async (text: string, aad: string, chat = CHAT) => {
    const reply = connector.next();
    expect((await post(teamsGroupMessage(connector.url, text, aad, chat))).status).toBe(200);
    return textOf(cardOf(await reply));
  };
  const save = (card: Card, n: number) => (findAction(card, `Record ${n}`) as { card: Card }).card.actions!.find((a) => a.verb === MEETING_VERBS.record)!;
  const item1 = () => f.db.db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', MEETING).where('position', '=', 0).executeTakeFirstOrThrow();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-lifecycle-'));
    f = await botFixture(dir);
    await f.db.db.insertInto('staff').values({ worker_id: SECOND_CHAIR.workerId, display_name: 'Second Chair', email: null, aad_object_id: SECOND_CHAIR.aad, agency: 'social_care', role: 'chair', school_id: null }).execute();
    connector = await startConnectorStandIn();
    bot = await startBot(LOCAL, { db: f.db.db, now: () => new Date() }, quiet);
    const member = (aad: string, name: string) => ({ aadObjectId: aad, name });
    connector.setRoster(CHAT, [member(f.chair.aad, 'Chair'), member(f.caseworker.aad, 'Caseworker'), member(f.officer.aad, 'Officer'), member(SECOND_CHAIR.aad, 'Second Chair')]);
    connector.setRoster(GUEST_CHAT, [member(f.chair.aad, 'Chair'), member('99999999-0000-0000-0000-00000000abcd', '[Reset your password](https://evil.example/login)\u202Eexe.')]);
    const before = connector.sent.length;
    expect((await post(teamsGroupMessage(connector.url, `meeting new ${DATE}`, f.chair.aad, CHAT))).status).toBe(200);
    page1 = cardOf(connector.sent[before + 1]);
    MEETING = (await f.db.db.selectFrom('meeting').select('meeting_id').where('meeting_date', '=', DATE).executeTakeFirstOrThrow()).meeting_id;
  }, 240_000);

  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts each child’s Record form right under the child, naming them', async () => {
    const item = await item1();
    const container = (page1.body as { type: string; items?: unknown[] }[]).find((b) => b.type === 'Container' && textOf(b).includes(`${item.person_id}:`))!;
    expect(findAction(container, 'Record 1')).toBeDefined();
    expect(page1.actions ?? []).toEqual([]);
    expect(textOf((findAction(container, 'Record 1') as { card: Card }).card)).toContain(`Record for ${item.person_id} (item 1)`);
    expect(cardProblems(page1)).toEqual([]);
  });

  it('refuses a forged 95 KB action, an invented lead agency and dates from year 0, saves nothing, and leaves the chat’s card alone', async () => {
    const updatesBefore = connector.updated.length;
    const action = save(page1, 1);
    const huge = await invoke(f.caseworker.aad, action.verb!, action.data, { decision_1: 'remain', action_1: 'x'.repeat(95_000), owner_1: f.caseworker.workerId, due_1: '2026-12-21' });
    expect(textOf(huge)).toContain('Item 1 was not saved: the action is longer than 300 characters.');
    const invented = await invoke(f.caseworker.aad, action.verb!, action.data, { decision_1: 'remain', lead_1: 'Totally Real Agency Ltd' });
    expect(textOf(invented)).toContain('the lead agency must be one of the agencies the card offers');
    const ancient = await invoke(f.caseworker.aad, action.verb!, action.data, { decision_1: 'remain', review_1: '0000-01-01', action_1: 'Visit', owner_1: f.caseworker.workerId, due_1: '0000-01-01' });
    expect(textOf(ancient)).toContain(`the next review must be a date from ${DATE} to 2027-12-15`);
    expect(textOf(ancient)).toContain(`an action's due date must be from ${DATE} to 2027-12-15`);
    expect(await item1()).toMatchObject({ version: 1, recorded_by: null });
    expect(await f.db.db.selectFrom('meeting_action').select('action_id').where('meeting_id', '=', MEETING).execute()).toEqual([]);
    // "Not saved" is the presser's: the chat's card is not replaced without it.
    expect(connector.updated.length).toBe(updatesBefore);
  });

  it('answers a forged future version as such, never "someone recorded it at  UTC"', async () => {
    const action = save(page1, 1);
    const card = await invoke(f.caseworker.aad, action.verb!, { ...action.data, version: 99 }, { decision_1: 'remain' });
    expect(textOf(card)).toContain('Item 1 was not saved: your card does not match the agenda (it shows version 99; the item is at 1)');
    expect(textOf(card)).not.toMatch(/at\s+UTC/);
    expect((await item1()).version).toBe(1);
  });

  it('nothing stored can break a page: an action stored past the limits is clipped on the card and in the PDF, saying so', async () => {
    const item = await item1();
    await f.db.db.insertInto('meeting_action').values({ action_id: 'legacy-huge', meeting_id: MEETING, item_id: item.item_id, person_id: item.person_id, description: `Legacy ${'y'.repeat(95_000)}`, owner_worker_id: f.caseworker.workerId, due_date: '2026-12-21', status: 'open', created_by: f.chair.workerId, created_at: '2026-12-08T10:00:00', updated_by: null, updated_at: null, reminded_at: null }).execute();
    await f.db.db.updateTable('meeting_item').set({ decision: 'remain', notes: `Legacy notes ${'z'.repeat(95_000)}`, recorded_by: f.chair.workerId, recorded_at: '2026-12-08T10:00:00' }).where('item_id', '=', item.item_id).execute();
    const refresh = await invoke(f.chair.aad, MEETING_VERBS.refresh, { meetingId: MEETING, page: 1 });
    expect(Buffer.byteLength(JSON.stringify(refresh))).toBeLessThan(60 * 1024);
    expect(textOf(refresh)).toMatch(/Action: Legacy y+… \(clipped: 9\d,\d{3} more characters; the full text is in the minutes’ CSV\)/);
    expect(textOf(refresh)).toMatch(/Notes: Legacy notes z+… \(clipped: 9\d,\d{3} more characters/);
    const { files } = await writeMinutes(f.db.db, join(dir, 'clipped-minutes'), { workerId: f.chair.workerId }, { meetingId: MEETING });
    const pdf = pdfText(readFileSync(files[0])).replace(/\s+/g, ' ');
    expect(pdf).toMatch(/clipped here: 93,\d{3} more characters are in minutes\.csv/);
    await f.db.db.deleteFrom('meeting_action').where('action_id', '=', 'legacy-huge').execute();
    await f.db.db.updateTable('meeting_item').set({ decision: null, notes: null, recorded_by: null, recorded_at: null }).where('item_id', '=', item.item_id).execute();
  }, 60_000);

  it('a refusal keeps the page for the presser: a chair pressing Police view gets the chat’s page back, saying why', async () => {
    const updatesBefore = connector.updated.length;
    const card = await invoke(f.chair.aad, MEETING_VERBS.policeView, { meetingId: MEETING, page: 1 });
    expect(textOf(card)).toContain('For police roles only');
    expect(textOf(card)).toContain((await item1()).person_id);
    expect(findAction(card, 'Refresh')).toBeDefined();
    expect(textOf(card)).not.toMatch(/Topaz/);
    expect(connector.updated.length).toBe(updatesBefore);
  });

  it('bounds meeting dates to a window around the latest run: year 0 and 9999 post nothing; a far meeting stored before does not take over close or minutes --latest', async () => {
    const run = await f.db.db.selectFrom('run').select('as_of').where('run_id', '=', f.runId).executeTakeFirstOrThrow();
    for (const date of ['0000-01-01', '0099-06-01', '9999-12-31']) {
      const text = await say(`meeting new ${date}`, f.chair.aad);
      expect(text).toContain('Which date?');
      expect(text).toContain('a meeting is dated from');
      expect(text).toContain(`(${String(run.as_of).slice(0, 10)})`);
    }
    expect((await f.db.db.selectFrom('meeting').select('meeting_id').execute()).map((m) => m.meeting_id)).toEqual([MEETING]);
    await f.db.db.insertInto('meeting').values({ meeting_id: 'meeting-9999-12-31', meeting_date: '9999-12-31', area_id: null, run_id: f.runId, previous_meeting_id: null, chair_worker_id: f.chair.workerId, conversation_id: CHAT, header_activity_id: null, status: 'agenda', created_by: f.chair.workerId, created_at: '2026-12-08T10:00:00' }).execute();
    const { view } = await writeMinutes(f.db.db, join(dir, 'latest-minutes'), { workerId: f.chair.workerId }, {});
    expect(view.meetingId).toBe(MEETING);
  }, 60_000);

  it('user text is plain: a guest named with a Markdown link and a right-to-left override, and a date typed as a link, are never live', async () => {
    const refusal = await say(`meeting new ${DATE}`, f.chair.aad, GUEST_CHAT);
    expect(refusal).toContain('I cannot show the agenda in this chat');
    expect(refusal).not.toContain('\u202E');
    expect(md.renderInline(refusal)).not.toMatch(/<a /);
    const echoed = await say('meeting new 1[today](https://evil.example/x)', f.chair.aad);
    expect(echoed).toContain('is not a date');
    expect(md.renderInline(echoed)).not.toMatch(/<a /);
  });

  it('a database held by another writer during a Save or attendance: the presser is told, in the invoke’s answer, with a way back; nothing is posted to the chat', async () => {
    const path = join(dir, 'tfd.sqlite');
    const busyDb = await createDb({ databaseUrl: `sqlite:${path}`, migrate: false, busyTimeoutMs: 200 });
    const busyBot = await startBot(LOCAL, { db: busyDb.db, now: () => new Date() }, quiet);
    const holder = await holdWriteLock(path);
    try {
      const sentBefore = connector.sent.length;
      const action = save(page1, 1);
      const saved = await invoke(f.caseworker.aad, action.verb!, action.data, { decision_1: 'remain' }, busyBot.url);
      expect(textOf(saved)).toContain('Busy: please try again in a minute');
      expect(textOf(saved)).toContain('Nothing you sent was recorded');
      expect(findAction(saved, 'Back to the agenda card')).toMatchObject({ verb: MEETING_VERBS.refresh, data: { meetingId: MEETING, page: 1 } });
      const attendance = await invoke(f.caseworker.aad, MEETING_VERBS.attendance, { meetingId: MEETING, attendance: 'present' }, {}, busyBot.url);
      expect(textOf(attendance)).toContain('Busy: please try again in a minute');
      expect(findAction(attendance, 'Try again')).toMatchObject({ verb: MEETING_VERBS.attendance });
      expect(connector.sent.length).toBe(sentBefore);
    } finally {
      holder.stdin!.end();
      if (holder.exitCode === null) await once(holder, 'exit');
      await busyBot.close();
      await busyDb.close();
    }
  }, 60_000);

  it('a non-owner’s Done on an action reminder is refused and audited', async () => {
    const item = await item1();
    await f.db.db.insertInto('meeting_action').values({ action_id: 'owned-by-caseworker', meeting_id: MEETING, item_id: item.item_id, person_id: item.person_id, description: 'Visit', owner_worker_id: f.caseworker.workerId, due_date: '2026-12-21', status: 'open', created_by: f.chair.workerId, created_at: '2026-12-08T10:00:00', updated_by: null, updated_at: null, reminded_at: null }).execute();
    const res = await post(teamsCardAction(connector.url, f.officer.aad, 'a:personal-officer', 'action.done', { actionId: 'owned-by-caseworker', shown: ['owned-by-caseworker'] }));
    expect(textOf(((await res.json()) as { value: Card }).value)).toContain('Not your action');
    expect(await f.db.db.selectFrom('access_audit').select(['actor_worker_id', 'outcome', 'person_id']).where('action', '=', 'meeting_action').execute()).toEqual([{ actor_worker_id: f.officer.workerId, outcome: 'refused', person_id: item.person_id }]);
    expect((await f.db.db.selectFrom('meeting_action').select('status').where('action_id', '=', 'owned-by-caseworker').executeTakeFirstOrThrow()).status).toBe('open');
  });

  it('a Save naming an item not on this meeting and an unknown verb are refused and audited', async () => {
    expect(textOf(await invoke(f.caseworker.aad, MEETING_VERBS.record, { meetingId: MEETING, itemId: 'not-an-item', version: 1 }, { decision_1: 'remain' }))).toContain('No such item');
    expect(textOf(await invoke(f.caseworker.aad, 'meeting.delete_everything', { meetingId: MEETING }))).toContain('Unknown action');
    expect(await f.db.db.selectFrom('access_audit').select(['action', 'actor_worker_id', 'outcome', 'person_id', 'basis']).where('action', 'in', ['meeting_record', 'meeting_action_unknown']).where('outcome', '=', 'refused').orderBy('seq').execute()).toEqual([
      { action: 'meeting_record', actor_worker_id: f.caseworker.workerId, outcome: 'refused', person_id: null, basis: `Save named item not-an-item, which is not on the agenda of ${MEETING}` },
      { action: 'meeting_action_unknown', actor_worker_id: f.caseworker.workerId, outcome: 'refused', person_id: null, basis: 'a card sent the unknown verb "meeting.delete_everything"' },
    ]);
  });

  it('only the meeting’s own chair closes it; nothing is recorded on it after (attendance, updates, `meeting new`), except by reopening, which is audited', async () => {
    expect(await say('meeting close', SECOND_CHAIR.aad)).toContain('Only this meeting’s chair can close it');
    expect((await f.db.db.selectFrom('meeting').select('status').where('meeting_id', '=', MEETING).executeTakeFirstOrThrow()).status).toBe('agenda');
    const closed = await say('meeting close', f.chair.aad);
    // The far-future meeting stored in the chat does not take the close.
    expect(closed).toContain(`The meeting of ${DATE} is closed`);
    expect(closed).not.toContain('npm run cli');
    expect((await f.db.db.selectFrom('meeting').select(['meeting_id', 'status']).where('conversation_id', '=', CHAT).orderBy('meeting_date').execute())).toEqual([
      { meeting_id: MEETING, status: 'closed' },
      { meeting_id: 'meeting-9999-12-31', status: 'agenda' },
    ]);
    // Record and attendance after the close: the presser keeps the card, told nothing was recorded; the chat's card is untouched.
    const updatesBefore = connector.updated.length;
    const action = save(page1, 1);
    const refused = await invoke(f.caseworker.aad, action.verb!, action.data, { decision_1: 'remain' });
    expect(textOf(refused)).toContain('Item 1 was not saved: The meeting of');
    expect(findAction(refused, 'Refresh')).toBeDefined();
    const attendance = await invoke(f.caseworker.aad, MEETING_VERBS.attendance, { meetingId: MEETING, attendance: 'present' });
    expect(textOf(attendance)).toContain('Your attendance was not recorded');
    expect(connector.updated.length).toBe(updatesBefore);
    // `meeting new` for the closed meeting adds nobody to its final minutes.
    await f.db.db.deleteFrom('meeting_attendee').where('meeting_id', '=', MEETING).where('worker_id', '=', SECOND_CHAIR.workerId).execute();
    await post(teamsGroupMessage(connector.url, `meeting new ${DATE}`, f.chair.aad, CHAT));
    expect((await f.db.db.selectFrom('meeting_attendee').select('worker_id').where('meeting_id', '=', MEETING).execute()).map((a) => a.worker_id).sort()).toEqual([f.caseworker.workerId, f.chair.workerId, f.officer.workerId].sort());
    expect((await f.db.db.selectFrom('meeting_attendee').select('attendance').where('meeting_id', '=', MEETING).where('worker_id', '=', f.caseworker.workerId).executeTakeFirstOrThrow()).attendance).toBe('invited');
    // An update request answered after the close, from a card naming another meeting: nothing sent, and the audit names the stored meeting.
    const item = await item1();
    await f.db.db.insertInto('meeting_update').values({ update_id: `${item.item_id}|${f.caseworker.workerId}`, meeting_id: MEETING, item_id: item.item_id, person_id: item.person_id, worker_id: f.caseworker.workerId, status: 'requested', text: null, requested_at: '2026-12-08T10:00:00', answered_at: null }).execute();
    const res = await post(teamsCardAction(connector.url, f.caseworker.aad, 'a:personal-caseworker', 'meeting.update', { meetingId: 'meeting-9999-12-31', updateIds: [`${item.item_id}|${f.caseworker.workerId}`], update_1: 'Seen at home' }));
    expect(textOf(((await res.json()) as { value: Card }).value)).toContain('Nothing was sent: The meeting of');
    expect((await f.db.db.selectFrom('meeting_update').select('status').where('meeting_id', '=', MEETING).executeTakeFirstOrThrow()).status).toBe('requested');
    // Reopening: another chair may not; the meeting's chair may, audited; then a save goes through.
    expect(await say('meeting reopen', SECOND_CHAIR.aad)).toContain('Only this meeting’s chair can reopen it');
    expect(await say('meeting reopen', f.chair.aad)).toContain(`The meeting of ${DATE} is open again`);
    expect(await f.db.db.selectFrom('access_audit').select(['actor_worker_id', 'outcome']).where('action', '=', 'meeting_reopen').execute()).toEqual([
      { actor_worker_id: SECOND_CHAIR.workerId, outcome: 'refused' },
      { actor_worker_id: f.chair.workerId, outcome: 'processed' },
    ]);
    await invoke(f.caseworker.aad, action.verb!, action.data, { decision_1: 'remain' });
    expect(await item1()).toMatchObject({ version: 2, decision: 'remain' });
  }, 60_000);

  it('the minutes CLI: --latest with --meeting, and an --out it cannot write, are one line each with a failing exit; nothing is audited as opened', async () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'meeting', 'minutes', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'tfd.sqlite')}`, REDIS_URL: 'redis://127.0.0.1:1' } });
    const audited = async () => (await f.db.db.selectFrom('access_audit').select('audit_id').where('action', '=', 'meeting_minutes').execute()).length;
    const before = await audited();
    const both = cli('--latest', '--meeting', MEETING, '--as', f.chair.workerId, '--out', join(dir, 'cli-minutes'));
    expect(both.status).toBe(1);
    expect(both.stderr.trim()).toBe('error: give --latest or --meeting <id>, not both');
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const unwritable = cli('--meeting', MEETING, '--as', f.chair.workerId, '--out', join(blocker, 'minutes'));
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).toContain(`error: could not write the minutes into ${join(blocker, 'minutes')}: a file is in the way`);
    expect(await audited()).toBe(before);
  }, 60_000);
});
