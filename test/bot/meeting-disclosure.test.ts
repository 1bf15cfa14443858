import { plainText } from '../../cards/plain-text.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../bot/server.js';
import { ITEMS_PER_PAGE, MEETING_VERBS } from '../../cards/meeting-card.js';
import { cardTexts, findAction } from '../helpers/adaptive-card.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, teamsCardAction, teamsGroupCardAction, teamsGroupMessage, teamsInstall, type SentActivity } from '../helpers/connector-stand-in.js';
import { runUpdateRequests } from '../../worker/jobs/meeting-update-jobs.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };
const quiet = () => undefined;
const CHAT_A = '19:area-a-meeting@thread.v2';
const CHAT_B = '19:area-b-meeting@thread.v2';
const CHAT_MIXED = '19:mixed-areas@thread.v2';
const DATE = '2026-12-14';
const OFFICER_CHAT = 'a:personal-officer-disclosure';
const GUEST = { aadObjectId: '99999999-0000-0000-0000-00000000fe11', name: 'Guest Visitor' };

type Action = { type: string; title: string; verb?: string; data?: Record<string, unknown>; card?: Card };
type Card = { body: { type: string; id?: string; label?: string; actions?: Action[] }[]; actions?: Action[]; refresh?: unknown };
const cardOf = (a: SentActivity) => (a.body.attachments as { content: Card }[])[0].content;
const textOf = (card: unknown) => cardTexts(card).join('\n');
const inChat = (chat: string) => (a: SentActivity) => decodeURIComponent(/^\/v3\/conversations\/([^/]+)\//.exec(a.path)?.[1] ?? '') === chat;
/** The Save action under "Record N" on an agenda card. */
const saveAction = (card: Card, n: number) => (findAction(card, `Record ${n}`) as { card: Card }).card.actions!.find((a) => a.verb === MEETING_VERBS.record)!;
const buttonOf = (card: Card, verb: string) => card.body.find((b) => b.type === 'ActionSet')!.actions!.find((a) => a.verb === verb)!;

describe('what the meeting discloses, to whom (real bot pipeline, two areas, police updates, roster re-checked)', () => {
  let dir: string;
  let f: BotFixture;
  let bot: RunningBot;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let areaA: { id: string; name: string };
  let areaB: { id: string; name: string };
  let chairB: { aad: string; workerId: string };
  let officerName: string;
  let childrenA: Set<string>;
  let childrenB: Set<string>;
  /** Children the officer is the police lead for: X's update stays police-only, Y's is shared. */
  let childX: string;
  let childY: string;
  /** A child scored in two runs with one as-of date: medium first, then as the current run says. */
  let trendChild: string;
  /** A child the officer asked the meeting to review. */
  let askedByOfficer: string;
  let otherAreaWorker: { worker_id: string; display_name: string };
  /** The update request the officer was sent. */
  let toOfficer: SentActivity[] = [];
  let pagesA: SentActivity[];
  /** Every meeting card the bot posted, replaced or answered with. */
  const meetingCards: Card[] = [];
  const post = (body: unknown) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const invoke = async (aad: string, chat: string, verb: string, data: unknown, inputs: Record<string, string> = {}) => {
    const res = await post(teamsGroupCardAction(connector.url, aad, chat, verb, data, inputs));
    expect(res.status).toBe(200);
    const card = ((await res.json()) as { value: Card }).value;
    meetingCards.push(card);
    return card;
  };
  const membersChanged = (chat: string, change: 'membersAdded' | 'membersRemoved', aad: string) => ({
    type: 'conversationUpdate',
    id: `update-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    serviceUrl: connector.url,
    channelId: 'msteams',
    from: { id: `29:${f.chair.aad}`, name: 'Chair', aadObjectId: f.chair.aad },
    conversation: { id: chat, conversationType: 'groupChat', isGroup: true, tenantId: 'tenant-1' },
    recipient: { id: '28:bot', name: 'TFD' },
    channelData: { tenant: { id: 'tenant-1' }, eventType: change === 'membersAdded' ? 'teamMemberAdded' : 'teamMemberRemoved' },
    [change]: [{ id: `29:${aad}`, aadObjectId: aad }],
  });
  const itemsOf = (meetingId: string) => f.db.db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute();
  const pageOfChild = async (meetingId: string, personId: string) => Math.floor((await f.db.db.selectFrom('meeting_item').select('position').where('meeting_id', '=', meetingId).where('person_id', '=', personId).executeTakeFirstOrThrow()).position / ITEMS_PER_PAGE) + 1;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-meeting-disclosure-'));
    f = await botFixture(dir);
    const d = f.db.db;
    const chairArea = (await d.selectFrom('staff').select('area_id').where('worker_id', '=', f.chair.workerId).executeTakeFirstOrThrow()).area_id!;
    const areas = await d.selectFrom('area').select(['area_id', 'name']).orderBy('area_id').execute();
    expect(areas.length).toBeGreaterThanOrEqual(2);
    const a = areas.find((r) => r.area_id === chairArea)!;
    const b = areas.find((r) => r.area_id !== chairArea)!;
    areaA = { id: a.area_id, name: a.name };
    areaB = { id: b.area_id, name: b.name };
    // Area B's chair works for every area (force-wide): they name the area.
    const chairRow = await d.selectFrom('staff').select(['aad_object_id', 'worker_id']).where('role', '=', 'chair').where('area_id', '=', areaB.id).executeTakeFirstOrThrow();
    chairB = { aad: chairRow.aad_object_id!, workerId: chairRow.worker_id };
    await d.updateTable('staff').set({ area_id: null }).where('worker_id', '=', chairB.workerId).execute();
    await d.updateTable('staff').set({ area_id: areaA.id }).where('worker_id', '=', f.caseworker.workerId).execute();
    officerName = (await d.selectFrom('staff').select('display_name').where('worker_id', '=', f.officer.workerId).executeTakeFirstOrThrow()).display_name;
    const listedIn = async (areaId: string) =>
      (await d.selectFrom('run_score').innerJoin('person', 'person.person_id', 'run_score.person_id').select('run_score.person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 1).where('person.area_id', '=', areaId).orderBy('run_score.final_score', 'desc').orderBy('run_score.person_id').execute()).map((r) => r.person_id);
    const inA = await listedIn(areaA.id);
    const inB = await listedIn(areaB.id);
    expect(inA.length).toBeGreaterThanOrEqual(3);
    const offList = async (areaId: string, n: number) =>
      (await d.selectFrom('run_score').innerJoin('person', 'person.person_id', 'run_score.person_id').select('run_score.person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 0).where('person.area_id', '=', areaId).orderBy('run_score.final_score', 'desc').orderBy('run_score.person_id').limit(n).execute()).map((r) => r.person_id);
    // Eight of area A's children off the list, and three of area B's, were asked for review: A's agenda spans pages, and B's children stay off it.
    const requestedB = await offList(areaB.id, 3);
    expect(requestedB).toHaveLength(3);
    const requested = [...(await offList(areaA.id, 8)), ...requestedB];
    await d
      .insertInto('alert_response')
      // The first is asked for by the officer, from their alert card.
      .values(requested.map((personId, i) => ({ response_id: `req-a-${i}`, alert_id: `${f.runId}|${f.caseworker.workerId}|${personId}`, run_id: f.runId, worker_id: i === 0 ? f.officer.workerId : f.caseworker.workerId, person_id: personId, action: 'review_requested' as const, note: null, responded_at: '2026-12-01T10:00:00' })))
      .execute();
    childrenA = new Set([...inA, ...requested.filter((p) => !requestedB.includes(p))]);
    askedByOfficer = requested[0];
    expect(childrenA.size).toBeGreaterThan(ITEMS_PER_PAGE);
    childrenB = new Set([...inB, ...requestedB]);
    [childX, childY, trendChild] = inA;
    // A caseworker of area B is also involved with child X: not named on area A's agenda, not asked for an update.
    otherAreaWorker = (await d.selectFrom('staff').select(['worker_id', 'display_name']).where('role', '=', 'caseworker').where('area_id', '=', areaB.id).orderBy('worker_id').executeTakeFirstOrThrow());
    await d.insertInto('agency_involvement').values({ person_id: childX, agency: 'social_care', worker_id: otherAreaWorker.worker_id, role: 'visiting social worker', start_date: null, end_date: null }).execute();
    for (const child of [childX, childY]) await d.insertInto('agency_involvement').values({ person_id: child, agency: 'police', worker_id: f.officer.workerId, role: 'Topaz officer', start_date: null, end_date: null }).execute();
    // An earlier run on the same as-of date (published first) scored the trend child medium.
    const current = await d.selectFrom('run').selectAll().where('run_id', '=', f.runId).executeTakeFirstOrThrow();
    await d.insertInto('run').values({ ...current, run_id: 'run-zz-earlier-same-day', started_at: '2000-01-01T00:00:00', finished_at: '2000-01-01T00:10:00', previous_run_id: null }).execute();
    const score = await d.selectFrom('run_score').selectAll().where('run_id', '=', f.runId).where('person_id', '=', trendChild).where('list', '=', 'children').executeTakeFirstOrThrow();
    await d.insertInto('run_score').values({ ...score, run_id: 'run-zz-earlier-same-day', final_score: 2, band: 'medium', on_list: 0 }).execute();
    connector = await startConnectorStandIn();
    bot = await startBot(LOCAL, { db: d, now: () => new Date() }, quiet);
    const member = (aad: string, name: string) => ({ aadObjectId: aad, name });
    connector.setRoster(CHAT_A, [member(f.chair.aad, 'Area A Chair'), member(f.caseworker.aad, 'Caseworker'), member(f.officer.aad, 'Officer')]);
    connector.setRoster(CHAT_B, [member(chairB.aad, 'Force-wide Chair'), member(f.officer.aad, 'Officer')]);
    connector.setRoster(CHAT_MIXED, [member(chairB.aad, 'Force-wide Chair'), member(f.caseworker.aad, 'Caseworker')]);
  }, 240_000);

  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps areas apart: two areas meet on the same date, each agenda holding only its own children; a force-wide chair names the area', async () => {
    let before = connector.sent.length;
    await post(teamsGroupMessage(connector.url, `meeting new ${DATE}`, f.chair.aad, CHAT_A));
    pagesA = connector.sent.slice(before).filter(inChat(CHAT_A)).slice(1);
    expect(pagesA.length).toBeGreaterThan(1);
    // The force-wide chair is asked which area; naming it (by name) draws that area's agenda.
    const which = connector.next();
    await post(teamsGroupMessage(connector.url, `meeting new ${DATE}`, chairB.aad, CHAT_B));
    expect(textOf(cardOf(await which))).toContain('Which area’s meeting?');
    before = connector.sent.length;
    await post(teamsGroupMessage(connector.url, `meeting new ${DATE} ${areaB.name}`, chairB.aad, CHAT_B));
    const postedB = connector.sent.slice(before).filter(inChat(CHAT_B));
    expect(postedB.length).toBeGreaterThan(1);
    const meetings = await f.db.db.selectFrom('meeting').select(['meeting_id', 'area_id', 'conversation_id']).where('meeting_date', '=', DATE).orderBy('meeting_id').execute();
    expect(meetings).toEqual(
      [
        { meeting_id: `meeting-${areaA.id}-${DATE}`, area_id: areaA.id, conversation_id: CHAT_A },
        { meeting_id: `meeting-${areaB.id}-${DATE}`, area_id: areaB.id, conversation_id: CHAT_B },
      ].sort((x, y) => x.meeting_id.localeCompare(y.meeting_id)),
    );
    const itemsA = (await itemsOf(`meeting-${areaA.id}-${DATE}`)).map((i) => i.person_id);
    const itemsB = (await itemsOf(`meeting-${areaB.id}-${DATE}`)).map((i) => i.person_id);
    expect([...itemsA].sort()).toEqual([...childrenA].sort());
    expect([...itemsB].sort()).toEqual([...childrenB].sort());
    const textB = postedB.map((p) => textOf(cardOf(p))).join('\n');
    for (const id of childrenA) expect(textB).not.toContain(id);
    meetingCards.push(...pagesA.map(cardOf), ...postedB.map(cardOf));
  });

  it('names no lead professional of another area on the agenda, and does not ask them for an update', async () => {
    const meetingId = `meeting-${areaA.id}-${DATE}`;
    const text = textOf(cardOf(pagesA[(await pageOfChild(meetingId, childX)) - 1]));
    expect(text).not.toContain(otherAreaWorker.display_name);
    expect((await post(teamsInstall(connector.url, f.officer.aad, OFFICER_CHAT))).status).toBe(200);
    const before = connector.sent.length;
    await runUpdateRequests({ db: f.db.db, sender: bot.alertSender }, meetingId);
    toOfficer = connector.sent.slice(before).filter((a) => decodeURIComponent(a.path).includes(OFFICER_CHAT));
    expect(await f.db.db.selectFrom('meeting_update').select('update_id').where('meeting_id', '=', meetingId).where('worker_id', '=', otherAreaWorker.worker_id).execute()).toEqual([]);
    expect((await f.db.db.selectFrom('meeting_update').select('worker_id').where('meeting_id', '=', meetingId).where('worker_id', '=', f.officer.workerId).execute()).length).toBe(2);
  });

  it('names no child when a member works for another area', async () => {
    const reply = connector.next();
    await post(teamsGroupMessage(connector.url, `meeting new 2026-12-15 ${areaB.id}`, chairB.aad, CHAT_MIXED));
    const text = textOf(cardOf(await reply));
    expect(text).toContain(`Caseworker works for another area, not ${areaB.name}`);
    for (const id of [...childrenA, ...childrenB]) expect(text).not.toContain(id);
    expect(await f.db.db.selectFrom('meeting').select('meeting_id').where('meeting_date', '=', '2026-12-15').execute()).toEqual([]);
  });

  it('reads a score trend in publish order when two runs share an as-of date', async () => {
    const page = await pageOfChild(`meeting-${areaA.id}-${DATE}`, trendChild);
    const text = textOf(cardOf(pagesA[page - 1]));
    const score = await f.db.db.selectFrom('run_score').select(['final_score', 'band']).where('run_id', '=', f.runId).where('person_id', '=', trendChild).where('list', '=', 'children').executeTakeFirstOrThrow();
    expect(text).toContain(`2 (medium) → ${Math.round(score.final_score)} (${score.band})`);
  });

  it('names a police requester of a review to the chat as the police, not the officer', async () => {
    const text = textOf(cardOf(pagesA[(await pageOfChild(`meeting-${areaA.id}-${DATE}`, askedByOfficer)) - 1]));
    expect(text).toContain('Review requested by the police (through the exploitation team)');
    expect(text).not.toMatch(new RegExp(`Review requested by[^\\n]*${officerName}`));
  });

  it('keeps a police officer’s update out of the chat unless they share it, and never names them to partners', async () => {
    const personal = OFFICER_CHAT;
    expect(toOfficer).toHaveLength(1);
    const request = cardOf(toOfficer[0]);
    // The request card warns the officer who will read what they write.
    expect(textOf(request)).toContain('Your update is shown only in the meeting’s Police view');
    const boxes = request.body.filter((b) => b.type === 'Input.Text');
    const toggles = request.body.filter((b) => b.type === 'Input.Toggle');
    expect(boxes).toHaveLength(2);
    expect(toggles).toHaveLength(2);
    const k = (child: string) => boxes.findIndex((b) => b.label?.includes(child)) + 1;
    const send = request.actions!.find((a) => a.verb === 'meeting.update')!;
    const res = await post(
      teamsCardAction(connector.url, f.officer.aad, personal, send.verb!, { ...send.data, [`update_${k(childX)}`]: 'Police-only: disclosure interview booked', [`share_${k(childX)}`]: 'false', [`update_${k(childY)}`]: 'Shared: seen safe and well on Friday', [`share_${k(childY)}`]: 'true' }),
    );
    expect(textOf(((await res.json()) as { value: Card }).value)).toContain('Thank you: 2 updates sent to the meeting');
    const meetingId = `meeting-${areaA.id}-${DATE}`;
    for (const child of [childX, childY]) {
      const page = await pageOfChild(meetingId, child);
      const updatesBefore = connector.updated.length;
      const refreshed = await invoke(f.chair.aad, CHAT_A, MEETING_VERBS.refresh, buttonOf(cardOf(pagesA[page - 1]), MEETING_VERBS.refresh).data);
      const text = textOf(refreshed);
      // The officer is a member of the chat (the owners' list names them); no line ties them, or the police, to the child.
      expect(text).not.toContain(`${officerName} (police), `);
      expect(text).not.toContain('Topaz officer');
      expect(text).not.toContain('Police-only: disclosure interview booked');
      expect(connector.updated.length).toBe(updatesBefore + 1);
      expect(textOf(cardOf(connector.updated.at(-1)!))).not.toContain(`${officerName} (police), `);
      meetingCards.push(cardOf(connector.updated.at(-1)!));
      if (child === childY) expect(text).toContain('Police, through the exploitation team');
      if (child === childY) expect(text).toContain('Shared: seen safe and well on Friday');
    }
    // The officer reads both, with their name, in the Police view.
    const police = await invoke(f.officer.aad, CHAT_A, MEETING_VERBS.policeView, buttonOf(cardOf(pagesA[(await pageOfChild(meetingId, childX)) - 1]), MEETING_VERBS.policeView).data);
    expect(textOf(police)).toContain('Police-only: disclosure interview booked');
    expect(textOf(police)).toContain(`${officerName} (police), `);
  });

  it('audits a Refresh per child sent to the chat, a Save’s answer per child on the card, and the Police view’s markers and officers', async () => {
    const meetingId = `meeting-${areaA.id}-${DATE}`;
    const page1 = (await itemsOf(meetingId)).slice(0, ITEMS_PER_PAGE).map((i) => i.person_id);
    const refreshRows = async () => f.db.db.selectFrom('access_audit').select(['person_id', 'basis', 'shown']).where('action', '=', 'meeting_refresh').where('outcome', '=', 'allowed').execute();
    const refreshedBefore = (await refreshRows()).length;
    await invoke(f.caseworker.aad, CHAT_A, MEETING_VERBS.refresh, buttonOf(cardOf(pagesA[0]), MEETING_VERBS.refresh).data);
    const refreshed = (await refreshRows()).slice(refreshedBefore);
    expect(refreshed.map((r) => r.person_id)).toEqual(page1);
    expect(refreshed[0].basis).toContain(`shown to chat ${CHAT_A} (3 members: Area A Chair, Caseworker, Officer)`);
    expect(refreshed[0].basis).toContain('all 3 chat members are registered staff with a meeting role');
    // A Save replacing the first card: one row per child the card shows, not one row.
    const save = saveAction(cardOf(pagesA[0]), 1);
    await invoke(f.caseworker.aad, CHAT_A, save.verb!, save.data, { decision_1: 'remain' });
    const shown = await f.db.db.selectFrom('access_audit').select(['person_id', 'basis']).where('action', '=', 'meeting_card_shown').execute();
    expect(shown.map((r) => r.person_id)).toEqual(page1);
    expect(shown[0].basis).toContain('answer to Save of item 1 (saved)');
    // The Police view: Topaz markers and officers' names, to the officer alone.
    await f.db.db.insertInto('topaz_marker').values({ person_id: childX, marker: 'victim', start_date: '2026-06-01', end_date: null, note: null }).execute();
    await invoke(f.officer.aad, CHAT_A, MEETING_VERBS.policeView, buttonOf(cardOf(pagesA[(await pageOfChild(meetingId, childX)) - 1]), MEETING_VERBS.policeView).data);
    const police = await f.db.db.selectFrom('access_audit').select(['person_id', 'basis', 'shown']).where('action', '=', 'meeting_police_view').where('person_id', '=', childX).execute();
    expect(police.length).toBeGreaterThanOrEqual(1);
    expect(police.at(-1)!.shown).toContain('Op Topaz victim marker since 2026-06-01');
    expect(police.at(-1)!.shown).toContain(`agency police: Topaz officer: ${officerName}`);
    expect(police.at(-1)!.basis).toContain('shown to the presser alone');
  });

  it('checks the roster again before a card replaces the chat’s: a guest added since gets a notice naming no child, and nothing is replaced or saved', async () => {
    const meetingId = `meeting-${areaA.id}-${DATE}`;
    const roster = [{ aadObjectId: f.chair.aad, name: 'Area A Chair' }, { aadObjectId: f.caseworker.aad, name: 'Caseworker' }, { aadObjectId: f.officer.aad, name: 'Officer' }];
    // The guest's display name carries Markdown: the notice writes it as plain text.
    connector.setRoster(CHAT_A, [...roster, { ...GUEST, name: '**Guest** Visitor' }]);
    expect((await post(membersChanged(CHAT_A, 'membersAdded', GUEST.aadObjectId))).status).toBe(200);
    const updatesBefore = connector.updated.length;
    const refreshed = await invoke(f.chair.aad, CHAT_A, MEETING_VERBS.refresh, buttonOf(cardOf(pagesA[0]), MEETING_VERBS.refresh).data);
    expect(textOf(refreshed)).toContain('The agenda is not shown in this chat now');
    expect(textOf(refreshed)).toContain(`${plainText('**Guest** Visitor')} is not in the staff list`);
    expect(textOf(refreshed)).not.toContain('**Guest**');
    for (const id of childrenA) expect(textOf(refreshed)).not.toContain(id);
    const item = (await itemsOf(meetingId))[1];
    const save = saveAction(cardOf(pagesA[0]), 2);
    const saved = await invoke(f.caseworker.aad, CHAT_A, save.verb!, save.data, { decision_2: 'nfa' });
    expect(textOf(saved)).toContain('The agenda is not shown in this chat now');
    for (const id of childrenA) expect(textOf(saved)).not.toContain(id);
    expect((await itemsOf(meetingId))[1].version).toBe(item.version);
    expect(connector.updated.length).toBe(updatesBefore);
    // The guest leaves: the next Refresh reads Teams again and shows the page.
    connector.setRoster(CHAT_A, roster);
    expect((await post(membersChanged(CHAT_A, 'membersRemoved', GUEST.aadObjectId))).status).toBe(200);
    expect(textOf(await invoke(f.chair.aad, CHAT_A, MEETING_VERBS.refresh, buttonOf(cardOf(pagesA[0]), MEETING_VERBS.refresh).data))).toContain(item.person_id);
    expect(connector.updated.length).toBe(updatesBefore + 1);
  });

  it('never gives a meeting card an Adaptive Card `refresh` (it would re-render the card per viewer, outside the roster check and the audit)', () => {
    expect(meetingCards.length).toBeGreaterThan(5);
    for (const card of [...meetingCards, ...connector.updated.map(cardOf)]) expect(card).not.toHaveProperty('refresh');
  });
});
