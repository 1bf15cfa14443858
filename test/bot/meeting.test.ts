import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { MinutesRefusedError } from '../../reports/minutes/minutes-view.js';
import { writeMinutes } from '../../reports/minutes/write-minutes.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../bot/server.js';
import { ITEMS_PER_PAGE, MEETING_VERBS } from '../../cards/meeting-card.js';
import { cardProblems, cardTexts, findAction } from '../helpers/adaptive-card.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, teamsCardAction, teamsGroupCardAction, teamsGroupMessage, teamsInstall, type SentActivity } from '../helpers/connector-stand-in.js';
import { runActionReminders } from '../../worker/jobs/reminder-jobs.js';
import { runUpdateRequests } from '../../worker/jobs/meeting-update-jobs.js';
import { runScheduledAgenda } from '../../worker/jobs/meeting-agenda-job.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };
const quiet = () => undefined;
const CHAT = '19:meeting-chat@thread.v2';
const OPEN_CHAT = '19:open-chat@thread.v2';
const DATE = '2026-12-14';

type Card = { body: unknown[]; actions?: { type: string; title: string; verb?: string; data?: Record<string, unknown>; card?: Card }[] };
const cardOf = (a: SentActivity) => (a.body.attachments as { content: Card }[])[0].content;
const textOf = (card: unknown) => cardTexts(card).join('\n');
const inChat = (chat: string) => (a: SentActivity) => decodeURIComponent(/^\/v3\/conversations\/([^/]+)\//.exec(a.path)?.[1] ?? '') === chat;

/** The Save action under "Record N" (under the child's item) on an agenda card: its verb and data, as Teams would send them. */
function saveAction(card: Card, n: number) {
  const show = findAction(card, `Record ${n}`) as { card: Card };
  return show.card.actions!.find((a) => a.verb === MEETING_VERBS.record)!;
}

describe('the multi-agency meeting in a Teams group chat (real bot pipeline, Bot Connector stand-in answering the roster, real SQLite)', () => {
  let dir: string;
  let f: BotFixture;
  let bot: RunningBot;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let listed: string[];
  let requested: string[];
  let onAgenda: string[];
  const requestedFor: string[] = [];
  let pages: SentActivity[];
  /** The chair's area: the meeting is that area's, its agenda that area's children. */
  let area: string;
  const M = (date: string) => `meeting-${area}-${date}`;
  const post = (body: unknown) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const invoke = async (aad: string, verb: string, data: unknown, inputs: Record<string, string> = {}) => {
    const res = await post(teamsGroupCardAction(connector.url, aad, CHAT, verb, data, inputs));
    expect(res.status).toBe(200);
    return ((await res.json()) as { value: Card }).value;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-meeting-'));
    f = await botFixture(dir);
    area = (await f.db.db.selectFrom('staff').select('area_id').where('worker_id', '=', f.chair.workerId).executeTakeFirstOrThrow()).area_id!;
    expect(area).toBeTruthy();
    // The caseworker works for the chair's area (the officer, police, for every area).
    await f.db.db.updateTable('staff').set({ area_id: area }).where('worker_id', '=', f.caseworker.workerId).execute();
    const inArea = f.db.db.selectFrom('person').select('person_id').where('area_id', '=', area);
    listed = (await f.db.db.selectFrom('run_score').select('person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 1).where('person_id', 'in', inArea).execute()).map((r) => r.person_id);
    // Lead professionals asked for eight children off the list to be reviewed (from their alert cards): they join the agenda as new.
    requested = (await f.db.db.selectFrom('run_score').select('person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 0).where('person_id', 'in', inArea).orderBy('final_score', 'desc').limit(8).execute()).map((r) => r.person_id);
    await f.db.db
      .insertInto('alert_response')
      .values(requested.map((personId, i) => ({ response_id: `req-${i}`, alert_id: `${f.runId}|${f.caseworker.workerId}|${personId}`, run_id: f.runId, worker_id: f.caseworker.workerId, person_id: personId, action: 'review_requested' as const, note: null, responded_at: '2026-12-01T10:00:00' })))
      .execute();
    onAgenda = [...listed, ...requested];
    // The caseworker is a lead professional for the first child on the list (asked for an update before the meeting).
    await f.db.db.insertInto('agency_involvement').values({ person_id: listed[0], agency: 'social_care', worker_id: f.caseworker.workerId, role: 'allocated social worker', start_date: null, end_date: null }).execute();
    connector = await startConnectorStandIn();
    bot = await startBot(LOCAL, { db: f.db.db, now: () => new Date(), meetingJobs: { requestUpdates: async (id, drawnAt) => void requestedFor.push(drawnAt ? id : 'no drawnAt') } }, quiet);
    const member = (aad: string, name: string) => ({ aadObjectId: aad, name });
    connector.setRoster(CHAT, [member(f.chair.aad, 'Chair'), member(f.caseworker.aad, 'Caseworker'), member(f.officer.aad, 'Officer')]);
    connector.setRoster(OPEN_CHAT, [member(f.chair.aad, 'Chair'), member('99999999-0000-0000-0000-00000000abcd', 'Guest User')]);
  }, 240_000);

  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names no child in a chat with a member who is not registered staff, and says why', async () => {
    const reply = connector.next();
    expect((await post(teamsGroupMessage(connector.url, `meeting new ${DATE}`, f.chair.aad, OPEN_CHAT))).status).toBe(200);
    const text = textOf(cardOf(await reply));
    expect(text).toContain('I cannot show the agenda in this chat');
    expect(text).toContain('Guest User is not in the staff list');
    for (const id of onAgenda) expect(text).not.toContain(id);
    expect(await f.db.db.selectFrom('meeting').selectAll().execute()).toEqual([]);
    const refused = await f.db.db.selectFrom('access_audit').select(['outcome', 'basis']).where('action', '=', 'meeting_agenda').execute();
    expect(refused).toEqual([{ outcome: 'refused', basis: expect.stringContaining('Guest User is not in the staff list') }]);
  });

  it('only a chair draws the agenda', async () => {
    const reply = connector.next();
    await post(teamsGroupMessage(connector.url, `meeting new ${DATE}`, f.caseworker.aad, CHAT));
    expect(textOf(cardOf(await reply))).toContain('Only a meeting chair can draw the agenda');
  });

  it('posts the agenda in pages under the size budget: every child on the list and every child asked for, group-chat view of reasons, audited', async () => {
    const before = connector.sent.length;
    expect((await post(teamsGroupMessage(connector.url, `meeting new ${DATE}`, f.chair.aad, CHAT))).status).toBe(200);
    const posted = connector.sent.slice(before).filter(inChat(CHAT));
    const items = await f.db.db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', M(DATE)).orderBy('position').execute();
    expect(items.map((i) => i.person_id).sort()).toEqual([...onAgenda].sort());
    expect(items.filter((i) => requested.includes(i.person_id)).every((i) => i.section === 'new')).toBe(true);
    expect(posted).toHaveLength(1 + Math.ceil(items.length / ITEMS_PER_PAGE));
    expect(textOf(cardOf(posted[0]))).toContain(`Victim-list meeting, ${DATE}`);
    pages = posted.slice(1);
    for (const page of pages) {
      expect(cardProblems(cardOf(page))).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(cardOf(page)))).toBeLessThan(28 * 1024);
      expect(textOf(cardOf(page))).toContain('Decision support');
    }
    const all = pages.map((p) => textOf(cardOf(p))).join('\n');
    for (const id of onAgenda) expect(all).toContain(id);
    expect(all).toContain('Review requested by');
    expect(pages.length).toBeGreaterThan(1);
    // Nothing police-only: no Topaz wording in a group chat.
    expect(all).not.toMatch(/Topaz/i);
    const audited = await f.db.db.selectFrom('access_audit').select('person_id').where('action', '=', 'meeting_agenda').where('outcome', '=', 'allowed').execute();
    expect(audited.map((a) => a.person_id).sort()).toEqual([...onAgenda].sort());
    // The cards' activities are remembered, so a recording can update them for everyone.
    expect(items.every((i) => i.activity_id !== null)).toBe(true);
  });

  it('asks lead professionals for an update through the queue (once per agenda); an answer sent from their card appears on the item after Refresh', async () => {
    expect(requestedFor).toEqual([M(DATE)]);
    const personal = 'a:personal-caseworker';
    expect((await post(teamsInstall(connector.url, f.caseworker.aad, personal))).status).toBe(200);
    const before = connector.sent.length;
    const asked = await runUpdateRequests({ db: f.db.db, sender: bot.alertSender }, M(DATE));
    expect(asked.asked).toBeGreaterThanOrEqual(1);
    expect((await runUpdateRequests({ db: f.db.db, sender: bot.alertSender }, M(DATE))).asked).toBe(0);
    const toCaseworker = connector.sent.slice(before).filter((a) => decodeURIComponent(a.path).includes(personal));
    expect(toCaseworker).toHaveLength(1);
    const request = cardOf(toCaseworker[0]);
    expect(textOf(request)).toContain(`Your update for the victim-list meeting on ${DATE}`);
    const boxes = (request.body as { type: string; id?: string; label?: string }[]).filter((b) => b.type === 'Input.Text');
    expect(boxes.some((b) => b.label?.includes(listed[0]))).toBe(true);
    const k = boxes.findIndex((b) => b.label?.includes(listed[0]));
    const send = request.actions!.find((a) => a.verb === 'meeting.update')!;
    const res = await post(teamsCardAction(connector.url, f.caseworker.aad, personal, send.verb!, { ...send.data, [boxes[k].id!]: 'Seen at home on Monday; engaging with the youth worker' }));
    expect(textOf(((await res.json()) as { value: Card }).value)).toContain('Thank you: 1 update sent to the meeting');
    // Someone else cannot answer it.
    const other = await post(teamsCardAction(connector.url, f.officer.aad, 'a:personal-officer', send.verb!, { ...send.data, [boxes[k].id!]: 'not mine' }));
    expect(textOf(((await other.json()) as { value: Card }).value)).toContain('Not your request');
    const item = await f.db.db.selectFrom('meeting_item').select(['position']).where('meeting_id', '=', M(DATE)).where('person_id', '=', listed[0]).executeTakeFirstOrThrow();
    const page = Math.floor(item.position / ITEMS_PER_PAGE) + 1;
    const refresh = (cardOf(pages[page - 1]).body as { type: string; actions?: { verb?: string; data?: unknown }[] }[]).find((b) => b.type === 'ActionSet')!.actions!.find((a) => a.verb === MEETING_VERBS.refresh)!;
    const updatesBefore = connector.updated.length;
    const refreshed = await invoke(f.chair.aad, refresh.verb!, refresh.data);
    expect(textOf(refreshed)).toContain('Updates from lead professionals');
    expect(textOf(refreshed)).toContain('Seen at home on Monday; engaging with the youth worker');
    expect(connector.updated.length).toBe(updatesBefore + 1);
  });

  it('shows police-only information to police roles only, privately: the presser’s card alone, never the chat’s', async () => {
    // A police operation marker on a child on the agenda (police-only: never in the chat).
    await f.db.db.insertInto('topaz_marker').values({ person_id: listed[1], marker: 'victim', start_date: '2026-06-01', end_date: null, note: null }).execute();
    const marked = [{ person_id: listed[1] }];
    const item = await f.db.db.selectFrom('meeting_item').select('position').where('meeting_id', '=', M(DATE)).where('person_id', '=', marked[0].person_id).executeTakeFirstOrThrow();
    const pageCard = cardOf(pages[Math.floor(item.position / ITEMS_PER_PAGE)]);
    expect(textOf(pageCard)).not.toMatch(/Topaz/);
    const button = (pageCard.body as { type: string; actions?: { verb?: string; data?: unknown }[] }[]).find((b) => b.type === 'ActionSet')!.actions!.find((a) => a.verb === MEETING_VERBS.policeView)!;
    const updatesBefore = connector.updated.length;
    const police = await invoke(f.officer.aad, button.verb!, button.data);
    expect(textOf(police)).toContain('Police view, shown to you only');
    expect(textOf(police)).toMatch(/Op Topaz \w+ marker since/);
    const partner = await invoke(f.caseworker.aad, button.verb!, button.data);
    expect(textOf(partner)).toContain('For police roles only');
    expect(textOf(partner)).not.toMatch(/Topaz/);
    expect(connector.updated.length).toBe(updatesBefore);
    const audit = await f.db.db.selectFrom('access_audit').select(['actor_worker_id', 'outcome']).where('action', '=', 'meeting_police_view').execute();
    expect(audit.filter((a) => a.outcome === 'allowed').every((a) => a.actor_worker_id === f.officer.workerId)).toBe(true);
    expect(audit.filter((a) => a.outcome === 'refused').map((a) => a.actor_worker_id)).toEqual([f.caseworker.workerId]);
  });

  it('records an outcome through the card’s own Action.Execute: saved, attributed, audited, and the chat’s card updated for everyone', async () => {
    const save = saveAction(cardOf(pages[0]), 1);
    const updatesBefore = connector.updated.length;
    const card = await invoke(f.caseworker.aad, save.verb!, save.data, {
      rag_1: 'red',
      decision_1: 'refer',
      outcome_1: 'referral_accepted',
      lead_1: 'social_care',
      action_1: 'Strategy discussion with police and school',
      owner_1: f.caseworker.workerId,
      due_1: '2026-12-21',
      review_1: '2027-01-11',
      notes_1: 'Agreed by all agencies present',
    });
    const text = textOf(card);
    expect(text).toContain('Recorded by');
    expect(text).toContain('Strategy discussion with police and school');
    expect(text).toContain('refer to the exploitation service');
    const item = await f.db.db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', M(DATE)).where('position', '=', 0).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ version: 2, decision: 'refer', rag: 'red', outcome: 'referral_accepted', recorded_by: f.caseworker.workerId });
    expect(await f.db.db.selectFrom('meeting_action').select(['owner_worker_id', 'due_date', 'status']).where('item_id', '=', item.item_id).execute()).toEqual([{ owner_worker_id: f.caseworker.workerId, due_date: '2026-12-21', status: 'open' }]);
    const update = connector.updated.slice(updatesBefore);
    expect(update).toHaveLength(1);
    expect(update[0].path).toContain(encodeURIComponent(item.activity_id!));
    expect(textOf(cardOf(update[0]))).toContain('Strategy discussion with police and school');
    const audit = await f.db.db.selectFrom('access_audit').select(['actor_worker_id', 'person_id']).where('action', '=', 'meeting_record').execute();
    expect(audit).toEqual([{ actor_worker_id: f.caseworker.workerId, person_id: item.person_id }]);
  });

  it('a second member saving from the card they opened before is not silently lost: nothing saved, asked to check and record again', async () => {
    const stale = saveAction(cardOf(pages[0]), 1);
    const card = await invoke(f.officer.aad, stale.verb!, stale.data, { decision_1: 'nfa' });
    expect(textOf(card)).toMatch(/Item 1 was not saved: .* recorded it at .* after your card was drawn/);
    const item = await f.db.db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', M(DATE)).where('position', '=', 0).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ version: 2, decision: 'refer' });
    // From the refreshed card (the current version) the save goes through.
    const fresh = saveAction(card, 1);
    await invoke(f.officer.aad, fresh.verb!, fresh.data, { decision_1: 'remain', rag_1: 'amber' });
    expect(await f.db.db.selectFrom('meeting_item').select(['version', 'decision', 'recorded_by']).where('item_id', '=', item.item_id).executeTakeFirstOrThrow()).toEqual({ version: 3, decision: 'remain', recorded_by: f.officer.workerId });
  });

  it('says what is wrong with a form and saves nothing; a non-member cannot record', async () => {
    const save = saveAction(cardOf(pages[0]), 2);
    const bad = await invoke(f.caseworker.aad, save.verb!, save.data, { action_2: 'Visit', due_2: 'next week' });
    expect(textOf(bad)).toContain('Item 2 was not saved: choose a decision; an action needs an owner from the meeting’s members; an action needs a due date.');
    const outsider = await invoke(f.schoolLead.aad, save.verb!, save.data, { decision_2: 'close' });
    expect(textOf(outsider)).toContain('Not a member of this meeting');
    expect((await f.db.db.selectFrom('meeting_item').select('version').where('meeting_id', '=', M(DATE)).where('position', '=', 1).executeTakeFirstOrThrow()).version).toBe(1);
  });

  it('records attendance and apologies on the agenda’s first card', async () => {
    const header = await invoke(f.chair.aad, MEETING_VERBS.attendance, { meetingId: M(DATE), attendance: 'present' });
    expect(textOf(header)).toMatch(/Present: .+/);
    const apologies = await invoke(f.officer.aad, MEETING_VERBS.attendance, { meetingId: M(DATE), attendance: 'apologies' });
    expect(textOf(apologies)).toMatch(/Apologies: .+/);
    expect((await f.db.db.selectFrom('meeting_attendee').select(['worker_id', 'attendance']).where('meeting_id', '=', M(DATE)).orderBy('worker_id').execute()).map((r) => r.attendance).sort()).toEqual(['apologies', 'invited', 'present']);
  });

  it('writes the minutes as PDF, DOCX and CSV for a member, audited; the PDF renders and the DOCX opens', async () => {
    const out = join(dir, 'minutes');
    const { view, files } = await writeMinutes(f.db.db, out, { workerId: f.chair.workerId }, {});
    expect(files.map((x) => x.slice(out.length + 1))).toEqual(['minutes.pdf', 'minutes.docx', 'minutes.csv']);
    expect(view.items).toHaveLength(onAgenda.length);
    // The PDF, rendered to an image as a person would see page 1 (kept in test-artifacts to look at).
    const png = join(out, 'page');
    const render = spawnSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', files[0], png]);
    expect(render.status).toBe(0);
    const page1 = [`${png}-1.png`, `${png}-01.png`].find(existsSync)!;
    expect(readFileSync(page1).length).toBeGreaterThan(10_000);
    mkdirSync('test-artifacts', { recursive: true });
    copyFileSync(page1, 'test-artifacts/minutes-page-1.png');
    const pdfText = spawnSync('pdftotext', [files[0], '-'], { encoding: 'utf8' }).stdout;
    expect(pdfText).toContain('Victim-list meeting: minutes');
    expect(pdfText).toContain('OFFICIAL-SENSITIVE');
    expect(pdfText).toContain('Strategy discussion with police and school');
    for (const id of onAgenda) expect(pdfText).toContain(id);
    // The DOCX is a Word package whose document holds the same minutes.
    const docx = unzipSync(readFileSync(files[1]));
    const xml = strFromU8(docx['word/document.xml']);
    expect(xml).toContain('Victim-list meeting: minutes');
    expect(xml).toContain('Strategy discussion with police and school');
    expect(Object.keys(docx).some((k) => k.startsWith('word/footer') && strFromU8(docx[k]).includes('OFFICIAL-SENSITIVE'))).toBe(true);
    const csv = readFileSync(files[2], 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^record,meeting_id,meeting_date,chair,/);
    expect(csv.filter((l) => l.startsWith('item,'))).toHaveLength(onAgenda.length);
    expect(csv.some((l) => l.startsWith('action,') && l.includes('Strategy discussion with police and school'))).toBe(true);
    expect(csv.some((l) => l.startsWith('apologies,'))).toBe(true);
    const opened = await f.db.db.selectFrom('access_audit').select('person_id').where('action', '=', 'meeting_minutes').where('actor_worker_id', '=', f.chair.workerId).execute();
    expect(opened.map((o) => o.person_id).sort()).toEqual([...onAgenda].sort());
    // Someone who was not in the meeting cannot open them, and the refusal is audited.
    await expect(writeMinutes(f.db.db, join(dir, 'refused'), { workerId: f.schoolLead.workerId }, {})).rejects.toBeInstanceOf(MinutesRefusedError);
    expect(existsSync(join(dir, 'refused', 'minutes.pdf'))).toBe(false);
    expect(await f.db.db.selectFrom('access_audit').select('outcome').where('action', '=', 'meeting_minutes').where('actor_worker_id', '=', f.schoolLead.workerId).execute()).toEqual([{ outcome: 'refused' }]);
  }, 60_000);

  it('reminds owners in Teams when actions fall due, once; the owner marks them done or blocked on the card', async () => {
    // A second action, on item 2, so the reminder holds two.
    const save2 = saveAction(cardOf(pages[0]), 2);
    await invoke(f.chair.aad, save2.verb!, save2.data, { decision_2: 'remain', action_2: 'Return home interview', owner_2: f.caseworker.workerId, due_2: '2026-12-18' });
    const personal = 'a:personal-caseworker';
    const before = connector.sent.length;
    expect(await runActionReminders({ db: f.db.db, sender: bot.alertSender }, '2026-12-17')).toEqual({ owners: 0, actions: 0, held: 0 });
    expect(await runActionReminders({ db: f.db.db, sender: bot.alertSender }, '2026-12-21')).toEqual({ owners: 1, actions: 2, held: 0 });
    expect(await runActionReminders({ db: f.db.db, sender: bot.alertSender }, '2026-12-22')).toEqual({ owners: 0, actions: 0, held: 0 });
    const reminders = connector.sent.slice(before);
    expect(reminders).toHaveLength(1);
    expect(decodeURIComponent(reminders[0].path)).toContain(personal);
    const card = cardOf(reminders[0]);
    expect(textOf(card)).toContain('2 meeting actions are due');
    expect(textOf(card)).toContain('Strategy discussion with police and school');
    expect(cardProblems(card)).toEqual([]);
    const buttons = (card.body as { items?: { type: string; actions?: { title: string; verb?: string; data?: unknown; card?: Card }[] }[] }[]).flatMap((c) => c.items ?? []).filter((i) => i.type === 'ActionSet').map((i) => i.actions!);
    const press = async (aad: string, action: { verb?: string; data?: unknown }, inputs: Record<string, string> = {}) => {
      const res = await post(teamsCardAction(connector.url, aad, personal, action.verb!, { ...(action.data as object), ...inputs }));
      expect(res.status).toBe(200);
      return ((await res.json()) as { value: Card }).value;
    };
    const [first, second] = buttons;
    const done = await press(f.caseworker.aad, first.find((b) => b.title === 'Done')!);
    expect(textOf(done)).toMatch(/; done/);
    // Someone else cannot answer it; a block needs its reason.
    const blockedAction = second.find((b) => b.title === 'Blocked')!.card!.actions![0];
    expect(textOf(await press(f.officer.aad, blockedAction))).toContain('Not your action');
    expect(textOf(await press(f.caseworker.aad, blockedAction))).toContain('Say briefly what is blocking it');
    const inputId = (second.find((b) => b.title === 'Blocked')!.card!.body[0] as { id: string }).id;
    expect(textOf(await press(f.caseworker.aad, blockedAction, { [inputId]: 'Family declined the visit' }))).toMatch(/; blocked/);
    const statuses = await f.db.db.selectFrom('meeting_action').select(['description', 'status']).where('meeting_id', '=', M(DATE)).orderBy('due_date').execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(['blocked', 'done']);
    const audited = await f.db.db.selectFrom('access_audit').select(['action', 'shown']).where('action', 'in', ['action_reminder', 'meeting_action']).where('outcome', '!=', 'refused').execute();
    expect(audited.filter((a) => a.action === 'action_reminder')).toHaveLength(2);
    expect(audited.some((a) => a.action === 'meeting_action' && a.shown.includes('Family declined the visit'))).toBe(true);
  });

  it('opens a 1:1 chat for an action owner who never installed the app when a tenant is configured (as alerts do); holds the reminder when not', async () => {
    const reached = new Set((await f.db.db.selectFrom('conversation_reference').select('worker_id').execute()).map((r) => r.worker_id));
    const owner = (await f.db.db.selectFrom('staff').select(['worker_id', 'aad_object_id']).where('aad_object_id', 'is not', null).orderBy('worker_id').execute()).find((s) => !reached.has(s.worker_id))!;
    const item = await f.db.db.selectFrom('meeting_item').select(['item_id', 'meeting_id', 'person_id']).orderBy('item_id').executeTakeFirstOrThrow();
    await f.db.db.insertInto('meeting_action').values({ action_id: 'action-no-chat', meeting_id: item.meeting_id, item_id: item.item_id, person_id: item.person_id, description: 'Call the school about attendance', owner_worker_id: owner.worker_id, due_date: '2026-12-30', status: 'open', created_by: f.chair.workerId, created_at: '2026-12-16T10:00:00', updated_by: null, updated_at: null, reminded_at: null }).execute();
    // Without a tenant the bot cannot open a chat: held, and asked again tomorrow.
    expect(await runActionReminders({ db: f.db.db, sender: bot.alertSender }, '2026-12-30')).toEqual({ owners: 1, actions: 0, held: 1 });
    const withTenant = await startBot({ ...LOCAL, proactive: { tenantId: 'tenant-1', serviceUrl: connector.url } }, { db: f.db.db, now: () => new Date() }, quiet);
    try {
      const before = connector.sent.length;
      expect(await runActionReminders({ db: f.db.db, sender: withTenant.alertSender }, '2026-12-31')).toEqual({ owners: 1, actions: 1, held: 0 });
      const opened = connector.created.filter((c) => c.parameters.members?.[0]?.id === owner.aad_object_id);
      expect(opened).toHaveLength(1);
      expect(opened[0].parameters).toMatchObject({ isGroup: false, tenantId: 'tenant-1' });
      const sent = connector.sent.slice(before);
      expect(sent).toHaveLength(1);
      expect(decodeURIComponent(sent[0].path)).toContain(opened[0].id);
      expect(textOf(cardOf(sent[0]))).toContain('Call the school about attendance');
      expect(await f.db.db.selectFrom('conversation_reference').select(['conversation_id', 'active']).where('worker_id', '=', owner.worker_id).executeTakeFirstOrThrow()).toEqual({ conversation_id: opened[0].id, active: 1 });
    } finally {
      await withTenant.close();
    }
  });

  it('at the next meeting, an action still open or blocked is carried onto the child’s item, and the meeting records what became of it', async () => {
    const blocked = await f.db.db.selectFrom('meeting_action').selectAll().where('status', '=', 'blocked').executeTakeFirstOrThrow();
    const before = connector.sent.length;
    await post(teamsGroupMessage(connector.url, 'meeting new 2027-01-11', f.chair.aad, CHAT));
    const next = connector.sent.slice(before).filter(inChat(CHAT)).slice(1);
    const items = await f.db.db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', M('2027-01-11')).orderBy('position').execute();
    const item = items.find((i) => i.person_id === blocked.person_id)!;
    expect(['continuing', 'escalated', 'closure_proposed']).toContain(item.section);
    const page = next[Math.floor(item.position / ITEMS_PER_PAGE)];
    expect(textOf(cardOf(page))).toContain(`Open action: ${blocked.description}`);
    expect(textOf(cardOf(page))).toContain('Last meeting');
    const n = item.position + 1;
    const save = saveAction(cardOf(page), n);
    await invoke(f.chair.aad, save.verb!, save.data, { [`decision_${n}`]: 'remain', [`carried_${n}_1`]: 'circumstances_changed' });
    expect((await f.db.db.selectFrom('meeting_action').select('status').where('action_id', '=', blocked.action_id).executeTakeFirstOrThrow()).status).toBe('circumstances_changed');
  });

  it('asking again for the same date shows the same agenda, not a second one', async () => {
    await post(teamsGroupMessage(connector.url, `meeting new ${DATE}`, f.chair.aad, CHAT));
    expect(await f.db.db.selectFrom('meeting').select('meeting_id').where('meeting_date', '=', DATE).execute()).toEqual([{ meeting_id: M(DATE) }]);
    // Lead professionals were asked once per new agenda: for this meeting and the next, not again for this one.
    expect(requestedFor).toEqual([M(DATE), M('2027-01-11')]);
  });

  it('the chair closes the meeting: recording stops, the minutes say final', async () => {
    const reply = connector.next();
    await post(teamsGroupMessage(connector.url, 'meeting close', f.caseworker.aad, CHAT));
    expect(textOf(cardOf(await reply))).toContain('Only this meeting’s chair can close it');
    const closed = connector.next();
    await post(teamsGroupMessage(connector.url, 'meeting close', f.chair.aad, CHAT));
    expect(textOf(cardOf(await closed))).toContain('The meeting of 2027-01-11 is closed');
    expect((await f.db.db.selectFrom('meeting').select('status').where('meeting_id', '=', M('2027-01-11')).executeTakeFirstOrThrow()).status).toBe('closed');
    const page = (await f.db.db.selectFrom('meeting_item').select(['item_id', 'version']).where('meeting_id', '=', M('2027-01-11')).orderBy('position').executeTakeFirstOrThrow());
    const refused = await invoke(f.chair.aad, MEETING_VERBS.record, { meetingId: M('2027-01-11'), itemId: page.item_id, version: page.version }, { decision_1: 'close' });
    expect(textOf(refused)).toContain('Item 1 was not saved: The meeting of 2027-01-11 was closed by its chair');
    const { view } = await writeMinutes(f.db.db, join(dir, 'closed-minutes'), { workerId: f.chair.workerId }, { meetingId: M('2027-01-11') });
    expect(view.status).toBe('final');
  });

  it('on schedule, draws the next agenda for the meeting’s chat and chair, asks for updates, and tells the chat it is ready without naming anyone', async () => {
    const schedule = { firstDate: '2027-02-08', everyDays: 28, daysBefore: 3 };
    expect(await runScheduledAgenda({ db: f.db.db, sender: bot.alertSender }, schedule, '2027-02-04')).toEqual({ drawn: false, why: 'no meeting is due on this day' });
    const before = connector.sent.length;
    const drawn = await runScheduledAgenda({ db: f.db.db, sender: bot.alertSender }, schedule, '2027-02-05');
    expect(drawn).toMatchObject({ drawn: true, meetingId: M('2027-02-08'), chatTold: true });
    const meeting = await f.db.db.selectFrom('meeting').selectAll().where('meeting_id', '=', M('2027-02-08')).executeTakeFirstOrThrow();
    expect(meeting).toMatchObject({ conversation_id: CHAT, chair_worker_id: f.chair.workerId, created_by: 'scheduled agenda', previous_meeting_id: M('2027-01-11') });
    const told = connector.sent.slice(before).filter(inChat(CHAT));
    expect(told).toHaveLength(1);
    const text = textOf(cardOf(told[0]));
    expect(text).toContain('meeting new 2027-02-08');
    for (const id of onAgenda) expect(text).not.toContain(id);
    expect(await runScheduledAgenda({ db: f.db.db, sender: bot.alertSender }, schedule, '2027-02-05')).toEqual({ drawn: false, why: `the agenda of ${M('2027-02-08')} was already drawn` });
  });
});
