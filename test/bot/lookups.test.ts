import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../bot/server.js';
import type { AccessAuditRow } from '../../db/schema/database-schema.js';
import { cardProblems, cardTexts } from '../helpers/adaptive-card.js';
import { cardAsText } from '../../cards/card-as-text.js';
import { botFixture, type BotFixture, type Identity } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, teamsGroupMessage, teamsInstall, teamsMessage, type SentActivity } from '../helpers/connector-stand-in.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };
const CARD = 'application/vnd.microsoft.card.adaptive';

describe('profile and list through the real teams-ai/botbuilder pipeline, with access control and audit', () => {
  let dir: string;
  let f: BotFixture;
  let bot: RunningBot;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  const log: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-test-bot-'));
    f = await botFixture(dir);
    connector = await startConnectorStandIn();
    bot = await startBot(LOCAL, { db: f.db.db, now: () => new Date() }, (line) => log.push(line));
  });
  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    connector.sent.length = 0;
  });

  const auditRows = () => f.db.db.selectFrom('access_audit').selectAll().orderBy('occurred_at').orderBy('audit_id').execute();

  /** Sends one message as `who`; returns the one reply and the audit rows it added. */
  const GROUP_CHAT = '19:meeting-chat@thread.v2';
  const TEAM_CHANNEL = '19:cse-partnership@thread.tacv2';
  /** The message as Teams delivers it from a 1:1 chat, a group chat (the bot @mentioned) or a team channel. */
  function messageIn(where: 'personal' | 'groupChat' | 'channel', text: string, aad: string | undefined) {
    if (where === 'personal') return teamsMessage(connector.url, text, aad as string);
    const group = teamsGroupMessage(connector.url, text, aad as string, GROUP_CHAT);
    if (where === 'groupChat') return group;
    return {
      ...group,
      conversation: { id: TEAM_CHANNEL, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
      channelData: { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2' }, channel: { id: TEAM_CHANNEL } },
    };
  }

  async function ask(who: Identity | string | null, text: string, value?: object, where: 'personal' | 'groupChat' | 'channel' = 'personal'): Promise<{ reply: SentActivity['body']; card: Record<string, unknown> | null; texts: string; audit: AccessAuditRow[] }> {
    const before = new Set((await auditRows()).map((r) => r.audit_id));
    const aad = who === null ? undefined : typeof who === 'string' ? who : who.aad;
    const activity = { ...messageIn(where, text, aad), ...(value ? { value, text: undefined, entities: undefined } : {}) };
    const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    expect(connector.sent).toHaveLength(1);
    const reply = connector.sent.pop()!.body;
    const attachment = (reply.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined)?.[0];
    const card = attachment ? attachment.content : null;
    if (attachment) {
      expect(attachment.contentType).toBe(CARD);
      expect(cardProblems(card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(reply))).toBeLessThan(100 * 1024);
    }
    const audit = (await auditRows()).filter((r) => !before.has(r.audit_id));
    return { reply, card, texts: card ? cardTexts(card).join('\n') : (reply.text ?? ''), audit };
  }

  /** Puts the other area's child on the weekly list (this small TFD lists few, all of one area) for the duration of `body`. */
  const withOtherAreaListed = async (body: () => Promise<void>) => {
    const row = () => f.db.db.updateTable('run_score').where('run_id', '=', f.runId).where('person_id', '=', f.otherChair.childHere);
    const before = await f.db.db.selectFrom('run_score').select('on_list').where('run_id', '=', f.runId).where('person_id', '=', f.otherChair.childHere).executeTakeFirstOrThrow();
    await row().set({ on_list: 1 }).execute();
    try {
      await body();
    } finally {
      await row().set({ on_list: before.on_list }).execute();
    }
  };

  const everyCardSaysDecisionSupport = (texts: string) => expect(texts).toMatch(/Decision support, not a finding/);

  describe('profile <id>', () => {
    it('shows an analyst any child: header, TFD-style indicator table, reasons, agencies, run and model, decision support; audited as allowed', async () => {
      const { card, texts, audit } = await ask(f.analyst, `profile ${f.listed}`);
      expect(card).not.toBeNull();
      expect(texts).toContain(`Person ${f.listed}`);
      expect(texts).toMatch(/Age band: /);
      expect(texts).toMatch(/School: /);
      expect(texts).toMatch(/Area: /);
      for (const header of ['Indicator', 'Indicator Date', 'Value', 'Notes']) expect(texts.split('\n')).toContain(header);
      for (const row of ['CSE risk', 'CSE predictive score', 'CSE index score', 'Missing person risk (MPRsk)', 'Conduct disorder risk']) expect(texts.split('\n')).toContain(row);
      // This small TFD has too few cohort children for a model, so there is no calibrated chance to show.
      expect(texts).not.toContain('Chance of acceptance');
      expect(texts).toContain('Why this person is shown');
      expect(texts).toMatch(new RegExp(`Scoring run ${f.runId}, data as of \\d{4}-\\d{2}-\\d{2}`));
      const run = await f.db.db.selectFrom('run').select('model_id').where('run_id', '=', f.runId).executeTakeFirstOrThrow();
      expect(texts).toContain(`Model ${run.model_id ?? 'index rules only (no model trained)'}`);
      everyCardSaysDecisionSupport(texts);
      // As `cli ask` prints it in a terminal.
      expect(cardAsText(card).split('\n')).toEqual(expect.arrayContaining(['Indicator | Indicator Date | Value | Notes', expect.stringMatching(/^CSE risk \| \d{4}-\d{2}-\d{2} \| \d+ \| /)]));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'profile', person_id: f.listed, outcome: 'allowed', actor_aad_object_id: f.analyst.aad, actor_worker_id: f.analyst.workerId, actor_role: 'analyst', run_id: f.runId });
      expect(audit[0].basis).toMatch(/analysts may consult every person/);
      expect(audit[0].shown).toMatch(/scores \(final \d+, band \w+\)/);
      expect(audit[0].channel).toBe('msteams:personal:a:personal-chat');
    });

    it('under the model’s list rule shows the chance the list reads, without a predictive score that contradicts it; "about 1 was accepted"', async () => {
      const d = f.db.db;
      const run = await d.selectFrom('run').select(['summary', 'model_id']).where('run_id', '=', f.runId).executeTakeFirstOrThrow();
      const score = await d.selectFrom('run_score').select(['final_score', 'predictive_score', 'probability']).where('run_id', '=', f.runId).where('person_id', '=', f.listed).executeTakeFirstOrThrow();
      const summary = JSON.parse(run.summary ?? '{}') as { list?: object };
      // This small TFD has no calibrated model: give the run one, as a large TFD's run has (list rule "model", a year's horizon).
      await d.insertInto('model_version').values({ model_id: 'm-calibrated', kind: 'cse', trained_at: '2026-01-01T00:00:00', as_of: '2026-01-01', cohort_size: 900, artefact: '{}', metrics: JSON.stringify({ calibration: { horizonDays: 365 } }) }).execute();
      await d.updateTable('run').set({ summary: JSON.stringify({ ...summary, list: { ...summary.list, rule: 'model' } }), model_id: 'm-calibrated' }).where('run_id', '=', f.runId).execute();
      const setScore = (finalScore: number, probability: number) => d.updateTable('run_score').set({ final_score: finalScore, predictive_score: 100, probability }).where('run_id', '=', f.runId).where('person_id', '=', f.listed).execute();
      try {
        await setScore(39, 0.39);
        const { texts } = await ask(f.analyst, `profile ${f.listed}`);
        const lines = texts.split('\n');
        expect(lines).toContain('CSE risk');
        expect(lines).not.toContain('CSE predictive score');
        expect(lines).not.toContain('100');
        expect(lines).toContain('39');
        expect(lines).toContain('about 39 in 100');
        expect(texts).toContain('Of 100 children with a profile like this, about 39 were accepted by the exploitation service within a year.');
        await setScore(1, 0.01);
        const one = await ask(f.analyst, `profile ${f.listed}`);
        expect(one.texts).toContain('Of 100 children with a profile like this, about 1 was accepted by the exploitation service within a year.');
      } finally {
        await d.updateTable('run').set({ summary: run.summary, model_id: run.model_id }).where('run_id', '=', f.runId).execute();
        await d.updateTable('run_score').set(score).where('run_id', '=', f.runId).where('person_id', '=', f.listed).execute();
        await d.deleteFrom('model_version').where('model_id', '=', 'm-calibrated').execute();
      }
    });

    it('the score on the card is the one the run stored', async () => {
      const stored = await f.db.db.selectFrom('run_score').select(['final_score', 'band']).where('run_id', '=', f.runId).where('person_id', '=', f.listed).executeTakeFirstOrThrow();
      const { card } = await ask(f.officer, `profile ${f.listed}`);
      const table = JSON.stringify(card);
      expect(table).toContain(`"text":"${Math.round(stored.final_score)}"`);
      expect(cardTexts(card).some((t) => t.startsWith(`${stored.band} band`))).toBe(true);
    });

    it('lets a caseworker see their own open case and not anyone else’s; the refusal is audited and reveals nothing', async () => {
      const own = await ask(f.caseworker, `profile ${f.caseworker.ownCase}`);
      expect(own.texts).toContain(`Person ${f.caseworker.ownCase}`);
      expect(own.audit[0]).toMatchObject({ outcome: 'allowed', person_id: f.caseworker.ownCase, actor_role: 'caseworker' });
      expect(own.audit[0].basis).toMatch(/has an open \w+ involvement with this person/);

      const other = await ask(f.caseworker, `profile ${f.caseworker.notOwnCase}`);
      expect(other.texts).toContain('Not available to you');
      expect(other.texts).not.toContain(`Person ${f.caseworker.notOwnCase}`);
      everyCardSaysDecisionSupport(other.texts);
      expect(other.audit).toHaveLength(1);
      expect(other.audit[0]).toMatchObject({ outcome: 'refused', person_id: f.caseworker.notOwnCase, shown: '' });
      expect(other.audit[0].basis).toMatch(/no open involvement/);

      // Not yours and does not exist read the same, so the TFD cannot be probed.
      const missing = await ask(f.caseworker, 'profile P99999999');
      expect(missing.texts.replace('P99999999', 'ID')).toBe(other.texts.replace(f.caseworker.notOwnCase, 'ID'));
      expect(missing.audit[0]).toMatchObject({ outcome: 'refused', basis: 'no such person in the TFD' });
    });

    it('lets a school safeguarding lead see their own pupils only', async () => {
      const pupil = await ask(f.schoolLead, `profile ${f.schoolLead.pupil}`);
      expect(pupil.texts).toContain(`Person ${f.schoolLead.pupil}`);
      expect(pupil.audit[0].basis).toContain(`safeguarding lead at ${f.schoolLead.schoolId}`);
      const other = await ask(f.schoolLead, `profile ${f.schoolLead.notPupil}`);
      expect(other.texts).toContain('Not available to you');
      expect(other.audit[0].outcome).toBe('refused');
    });

    it('lets a chair see children on the list their meeting reviews, not others', async () => {
      expect((await ask(f.chair, `profile ${f.listed}`)).texts).toContain(`Person ${f.listed}`);
      const off = await ask(f.chair, `profile ${f.unlisted}`);
      expect(off.texts).toContain('Not available to you');
      expect(off.audit[0].basis).toMatch(/not on the weekly list/);
    });

    it('refuses a chair (audited) the profile of a listed child of another area; a force-wide chair sees both areas’ children', () => withOtherAreaListed(async () => {
      const other = { ...f.otherChair, listedHere: f.otherChair.childHere };
      const own = await ask(other, `profile ${other.listedHere}`);
      expect(own.texts).toContain(`Person ${other.listedHere}`);
      const away = await ask(other, `profile ${f.listed}`);
      expect(away.texts).toContain('Not available to you');
      expect(away.texts).not.toMatch(/CSE risk|School: |Why this person is shown/);
      expect(away.audit).toHaveLength(1);
      expect(away.audit[0]).toMatchObject({ action: 'profile', person_id: f.listed, outcome: 'refused', actor_worker_id: other.workerId, actor_role: 'chair', shown: '' });
      expect(away.audit[0].basis).toMatch(new RegExp(`chairs the meeting of area ${other.areaId}: this child lives in area (?!${other.areaId})`));
      await f.db.db.updateTable('staff').set({ area_id: null }).where('worker_id', '=', other.workerId).execute();
      try {
        for (const child of [f.listed, other.listedHere]) {
          const r = await ask(other, `profile ${child}`);
          expect(r.texts).toContain(`Person ${child}`);
          expect(r.audit.map((a) => [a.person_id, a.outcome])).toEqual([[child, 'allowed']]);
        }
      } finally {
        await f.db.db.updateTable('staff').set({ area_id: other.areaId }).where('worker_id', '=', other.workerId).execute();
      }
    }));

    it('refuses an administrator person-level access', async () => {
      const r = await ask(f.admin, `profile ${f.listed}`);
      expect(r.texts).toContain('Not available to you');
      expect(r.audit[0].basis).toMatch(/administrators run the service/);
    });

    it('shows officers an adult under “CSE Risk – Subjects Over 18”, never as an offender', async () => {
      const r = await ask(f.officer, `profile ${f.overEighteen}`);
      expect(r.texts).toContain('CSE Risk – Subjects Over 18');
      expect(r.texts).toMatch(/not a finding of any wrongdoing/);
      expect(r.texts).not.toMatch(/offender|suspect|perpetrator/i);
    });

    it('withholds the over-18 listing from a caseworker who works with that adult', async () => {
      await f.db.db
        .insertInto('agency_involvement')
        .values({ person_id: f.overEighteen, agency: 'early_help', worker_id: f.caseworker.workerId, role: 'family worker', start_date: '2025-01-01', end_date: null })
        .execute();
      try {
        const r = await ask(f.caseworker, `profile ${f.overEighteen}`);
        expect(r.texts).toContain(`Person ${f.overEighteen}`);
        expect(r.texts).not.toContain('CSE Risk – Subjects Over 18');
        // Read exactly as any unscored adult: no score, and no hint that something is held back.
        expect(r.texts).toContain('No CSE score in the current run: the model scores children.');
        expect(r.texts).not.toMatch(/police officers and analysts|withheld|shown only/i);
        expect(r.audit[0].shown).not.toMatch(/over-18|scores/);
      } finally {
        await f.db.db.deleteFrom('agency_involvement').where('person_id', '=', f.overEighteen).where('worker_id', '=', f.caseworker.workerId).where('agency', '=', 'early_help').execute();
      }
    });

    it('shows Op Topaz markers to police roles only', async () => {
      const marked = await f.db.db.selectFrom('topaz_marker').select('person_id').where('marker', '=', 'victim').where('end_date', 'is', null).orderBy('person_id').executeTakeFirstOrThrow();
      expect((await ask(f.analyst, `profile ${marked.person_id}`)).texts).toContain('Op Topaz marker: victim');
      await f.db.db.insertInto('agency_involvement').values({ person_id: marked.person_id, agency: 'early_help', worker_id: f.caseworker.workerId, role: 'family worker', start_date: '2025-01-01', end_date: null }).execute();
      try {
        expect((await ask(f.caseworker, `profile ${marked.person_id}`)).texts).not.toContain('Op Topaz marker');
      } finally {
        await f.db.db.deleteFrom('agency_involvement').where('person_id', '=', marked.person_id).where('worker_id', '=', f.caseworker.workerId).where('agency', '=', 'early_help').execute();
      }
    });

    it('tells an analyst plainly when there is no such person', async () => {
      const r = await ask(f.analyst, 'profile P99999999');
      expect(r.texts).toContain('There is no person with id P99999999 in the TFD.');
    });

    const BAD_INPUT: [string, RegExp, RegExp][] = [
      ['profile', /Which person\?/, /no person id given/],
      ["profile ' OR 1=1 --", /Nothing was looked up/, /input rejected/],
      ['profile P1; DROP TABLE person', /Nothing was looked up/, /input rejected/],
      ['profile <script>alert(1)</script>', /Nothing was looked up/, /input rejected/],
      ['profile ${$root}', /Nothing was looked up/, /input rejected/],
      [`profile ${'X'.repeat(65)}`, /at most 64 characters/, /input rejected/],
      ['profile P1\u202Eevil', /letters, digits/, /input rejected/],
      ['profile P£1', /letters, digits/, /input rejected/],
    ];
    for (const [text, reply, basis] of BAD_INPUT) {
      it(`answers ${JSON.stringify(text.slice(0, 30))} with a polite card, no stack trace, audited`, async () => {
        const r = await ask(f.analyst, text);
        expect(r.card).not.toBeNull();
        expect(r.texts).toMatch(reply);
        expect(r.texts).not.toMatch(/Error|at \w+ \(|stack/);
        everyCardSaysDecisionSupport(r.texts);
        expect(r.audit).toHaveLength(1);
        expect(r.audit[0]).toMatchObject({ outcome: 'refused', person_id: null, shown: '' });
        expect(r.audit[0].basis).toMatch(basis);
      });
    }

    it('shows an unknown caller nothing but how to get access, and audits the attempt', async () => {
      const stranger = '99999999-0000-4000-a000-000000000000';
      const r = await ask(stranger, `profile ${f.listed}`);
      expect(r.texts).toContain('You do not have access yet');
      expect(r.texts).toContain(stranger);
      expect(r.texts).not.toContain(`Person ${f.listed}`);
      expect(r.audit[0]).toMatchObject({ outcome: 'refused', actor_aad_object_id: stranger, actor_worker_id: null, person_id: f.listed });
      const none = await ask(null, 'list');
      expect(none.texts).toContain('You do not have access yet');
    });

    it('recognises an Entra object id whatever its case', async () => {
      const r = await ask(f.analyst.aad.toUpperCase(), `profile ${f.listed}`);
      expect(r.texts).toContain(`Person ${f.listed}`);
    });
  });

  describe('list', () => {
    it('gives an analyst the weekly list and “CSE Risk – Subjects Over 18”, each person audited', async () => {
      const { card, texts, audit } = await ask(f.analyst, 'list');
      expect(texts).toContain('Weekly lists');
      expect(texts).toContain('Weekly list (children)');
      expect(texts).toContain('CSE Risk – Subjects Over 18');
      expect(texts).toContain('Being listed is not a finding of any wrongdoing.');
      expect(texts).toContain(f.listed);
      expect(texts).not.toMatch(/offender|suspect/i);
      everyCardSaysDecisionSupport(texts);
      // Selecting a person submits { command: 'profile', personId }: Teams delivers a message with that value and no text.
      const select = JSON.stringify(card).match(/"selectAction":\{[^}]*"data":\{"command":"profile","personId":"([^"]+)"\}/);
      expect(select?.[1]).toBeTruthy();
      const followed = await ask(f.analyst, '', { command: 'profile', personId: select![1] });
      expect(followed.texts).toContain(`Person ${select![1]}`);
      expect(followed.audit[0]).toMatchObject({ action: 'profile', person_id: select![1], outcome: 'allowed' });
      const shownIds = audit.map((a) => a.person_id);
      expect(shownIds).toContain(f.listed);
      expect(shownIds).toContain(f.overEighteen);
      expect(audit.every((a) => a.action === 'list' && a.outcome === 'allowed')).toBe(true);
    });

    it('opens from the list a person whose id the import accepts but the old bot rule refused (spaces, # and /)', async () => {
      const id = 'SC 2024/0031#7';
      const person = await f.db.db.selectFrom('person').selectAll().where('person_id', '=', f.listed).executeTakeFirstOrThrow();
      await f.db.db.insertInto('person').values({ ...person, person_id: id }).execute();
      await f.db.db.updateTable('run_score').set({ person_id: id }).where('run_id', '=', f.runId).where('person_id', '=', f.listed).execute();
      try {
        const { card } = await ask(f.analyst, 'list');
        expect(JSON.stringify(card)).toContain(`"personId":"${id}"`);
        const followed = await ask(f.analyst, '', { command: 'profile', personId: id });
        expect(followed.texts).toContain(`Person ${id}`);
        expect(followed.audit[0]).toMatchObject({ person_id: id, outcome: 'allowed' });
      } finally {
        await f.db.db.updateTable('run_score').set({ person_id: f.listed }).where('run_id', '=', f.runId).where('person_id', '=', id).execute();
        await f.db.db.deleteFrom('person').where('person_id', '=', id).execute();
      }
    });

    it('shows names from the TFD as plain text: no link, no emphasis, no reversed text', async () => {
      const school = await f.db.db.selectFrom('school').select(['school_id', 'name']).where('school_id', '=', f.schoolLead.schoolId).executeTakeFirstOrThrow();
      await f.db.db.updateTable('school').set({ name: '[Reset your Teams password](https://evil.example/login) **now** \u202Eevil' }).where('school_id', '=', school.school_id).execute();
      try {
        const { card } = await ask(f.schoolLead, `profile ${f.schoolLead.pupil}`);
        const json = JSON.stringify(card);
        expect(json).not.toContain('\u202E');
        const md = new MarkdownIt({ linkify: true });
        for (const text of cardTexts(card!)) expect(md.renderInline(text), text).not.toMatch(/<a |<strong>|<em>/);
        expect(cardTexts(card!).join('\n')).toContain('Reset your Teams password');
      } finally {
        await f.db.db.updateTable('school').set({ name: school.name }).where('school_id', '=', school.school_id).execute();
      }
    });

    it('gives a caseworker their caseload with scores, and nobody else', async () => {
      const { texts, audit } = await ask(f.caseworker, 'list');
      expect(texts).toContain('Your caseload');
      expect(texts).toContain(f.caseworker.ownCase);
      expect(texts).not.toContain(f.caseworker.notOwnCase);
      const caseload = await f.db.db.selectFrom('agency_involvement').select('person_id').distinct().where('worker_id', '=', f.caseworker.workerId).where('end_date', 'is', null).execute();
      const own = new Set(caseload.map((c) => c.person_id));
      expect(audit.length).toBe(Math.min(own.size, 40));
      for (const entry of audit) expect(own.has(entry.person_id!)).toBe(true);
    });

    it('writes agency codes as words on the caseload (social care, not social_care)', async () => {
      const { card, texts } = await ask(f.caseworker, 'list');
      const own = await f.db.db.selectFrom('agency_involvement').select(['agency', 'role']).where('worker_id', '=', f.caseworker.workerId).where('end_date', 'is', null).orderBy('person_id').executeTakeFirstOrThrow();
      expect(own.agency).toMatch(/_/);
      expect(texts).toContain(`${own.agency.replace(/_/g, ' ')}${own.role ? ` (${own.role})` : ''}`);
      expect(JSON.stringify(card)).not.toMatch(/\b[a-z]+_[a-z]+\b(?!":)/);
    });

    it('gives a school lead only their pupils on the list', async () => {
      const { texts, audit } = await ask(f.schoolLead, 'list');
      expect(texts).toContain(`Pupils at ${f.schoolLead.schoolId} on the weekly list`);
      const pupilsOnList = await f.db.db
        .selectFrom('school_enrolment')
        .innerJoin('run_score', 'run_score.person_id', 'school_enrolment.person_id')
        .select('run_score.person_id')
        .where('school_enrolment.school_id', '=', f.schoolLead.schoolId)
        .where('school_enrolment.end_date', 'is', null)
        .where('run_score.run_id', '=', f.runId)
        .where('run_score.on_list', '=', 1)
        .where('run_score.list', '=', 'children')
        .execute();
      expect(audit.filter((a) => a.person_id !== null).map((a) => a.person_id).sort()).toEqual(pupilsOnList.map((p) => p.person_id).sort());
      expect(texts).not.toContain('CSE Risk – Subjects Over 18');
    });

    it('gives a chair the meeting list without the over-18 list', async () => {
      const { texts } = await ask(f.chair, 'list');
      expect(texts).toContain('The list your meeting reviews');
      expect(texts).toContain(f.listed);
      expect(texts).not.toContain('CSE Risk – Subjects Over 18');
    });

    it('gives a chair of one area only that area’s listed children; a force-wide chair the whole list', () => withOtherAreaListed(async () => {
      const d = f.db.db;
      const other = { ...f.otherChair, listedHere: f.otherChair.childHere };
      const listedOf = (areaId: string | null) => {
        const q = d.selectFrom('run_score').innerJoin('person', 'person.person_id', 'run_score.person_id').select('run_score.person_id').where('run_score.run_id', '=', f.runId).where('run_score.list', '=', 'children').where('run_score.on_list', '=', 1);
        return (areaId === null ? q : q.where('person.area_id', '=', areaId)).execute().then((rows) => rows.map((r) => r.person_id).sort());
      };
      const mine = await listedOf(other.areaId);
      const all = await listedOf(null);
      expect(mine.length).toBeGreaterThan(0);
      expect(all.length).toBeGreaterThan(mine.length);
      const { texts, audit } = await ask(other, 'list');
      const shown = audit.filter((a) => a.person_id !== null).map((a) => a.person_id).sort();
      // The card shows (and the audit records) the first 40 rows; every one of them of the chair's own area.
      expect(shown).toHaveLength(Math.min(mine.length, 40));
      expect(shown.filter((p) => !mine.includes(p!))).toEqual([]);
      expect(texts).toContain(other.listedHere);
      expect(texts).not.toContain(f.listed);
      expect(texts).toMatch(new RegExp(`(^|\\s)${mine.length} ${mine.length === 1 ? 'person' : 'people'}\\b`));
      await d.updateTable('staff').set({ area_id: null }).where('worker_id', '=', other.workerId).execute();
      try {
        const wide = await ask(other, 'list');
        expect(wide.texts).toMatch(new RegExp(`(^|\\s)${all.length} people\\b`));
        expect(wide.texts).toContain(f.listed);
        expect(wide.texts).not.toContain('CSE Risk – Subjects Over 18');
      } finally {
        await d.updateTable('staff').set({ area_id: other.areaId }).where('worker_id', '=', other.workerId).execute();
      }
    }));

    it('refuses an administrator a list', async () => {
      const { texts, audit } = await ask(f.admin, 'list');
      expect(texts).toContain('No list for your role');
      expect(audit[0].outcome).toBe('refused');
    });
  });

  describe('the audit', () => {
    it('is append-only: the database refuses to change or remove an entry', async () => {
      const [row] = await auditRows();
      await expect(f.db.db.updateTable('access_audit').set({ basis: 'edited' }).where('audit_id', '=', row.audit_id).execute()).rejects.toThrow(/append-only/);
      await expect(f.db.db.deleteFrom('access_audit').where('audit_id', '=', row.audit_id).execute()).rejects.toThrow(/append-only/);
    });

    it('records the run’s combination of police records for network inference', async () => {
      const entries = await f.db.db.selectFrom('access_audit').selectAll().where('action', '=', 'network_inference').where('run_id', '=', f.runId).execute();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ outcome: 'processed', actor_role: 'system', channel: 'worker' });
      expect(entries[0].basis).toMatch(/combined police records \(crime, intelligence, missing_report, call_card\)/);
      const edges = await f.db.db.selectFrom('run_edge').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', f.runId).executeTakeFirstOrThrow();
      expect(entries[0].shown).toMatch(new RegExp(`^${Number(edges.n)} relationships among \\d+ people`));
    });

    it('discloses nothing when the audit cannot be written', async () => {
      await sql.raw(`create trigger "tr_test_audit_down" before insert on "access_audit" begin select raise(abort, 'disk full'); end`).execute(f.db.db);
      try {
        const { texts } = await ask(f.analyst, `profile ${f.listed}`);
        expect(texts).toMatch(/^Nothing was shown\nThe access log could not be written/);
        expect(texts).not.toContain(`Person ${f.listed}`);
        expect(log.some((l) => l.includes('disk full'))).toBe(true);
      } finally {
        await sql.raw('drop trigger "tr_test_audit_down"').execute(f.db.db);
      }
    });
  });

  describe('model', () => {
    it('shows an analyst the run’s model summary with a link to its model card, which the bot serves', async () => {
      const { card, texts, audit } = await ask(f.analyst, 'model');
      expect(texts).toContain('How the model is doing');
      expect(texts).toContain(`Run ${f.runId}`);
      expect(texts).toMatch(/Bias audit/);
      everyCardSaysDecisionSupport(texts);
      const action = (card!.actions as { type: string; url: string }[])[0];
      expect(action.type).toBe('Action.OpenUrl');
      expect(action.url).toMatch(new RegExp(`^${bot.url}/model-cards/${f.runId}\\?expires=\\d+&sig=[\\w-]+$`));
      const page = await fetch(action.url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`Run <strong>${f.runId}</strong>`);
      expect(html).toContain('Bias audit');
      expect(audit[0]).toMatchObject({ action: 'model', outcome: 'allowed', person_id: null });
      // Only a link the bot signed opens the page: not a bare or altered one, nor one for another run.
      expect((await fetch(`${bot.url}/model-cards/${f.runId}`)).status).toBe(403);
      // Alter the signature's first character to one it is not (a fixed letter would leave it unchanged one time in 64).
      expect((await fetch(action.url.replace(/sig=(.)/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`))).status).toBe(403);
      expect((await fetch(action.url.replace(`/model-cards/${f.runId}`, '/model-cards/another-run'))).status).toBe(403);
    });

    it('refuses the model summary to roles other than officers and analysts', async () => {
      const { texts, audit } = await ask(f.caseworker, 'model');
      expect(texts).toContain('For officers and analysts');
      expect(audit[0]).toMatchObject({ action: 'model', outcome: 'refused' });
    });
  });

  describe('outside a 1:1 chat (a group chat, a team channel)', () => {
    const places = [
      ['groupChat', 'group chat', `msteams:groupChat:${'19:meeting-chat@thread.v2'}`],
      ['channel', 'team channel', `msteams:channel:${'19:cse-partnership@thread.tacv2'}`],
    ] as const;
    for (const [where, place, channel] of places) {
      it(`profile in a ${place} shows nobody's information there, points to the 1:1 chat, and the audit names the chat`, async () => {
        const { card, texts, audit } = await ask(f.chair, `profile ${f.listed}`, undefined, where);
        expect(card).not.toBeNull();
        expect(texts).toContain('Ask me in your 1:1 chat');
        expect(texts).toContain(`Everyone in this ${place} would read the answer`);
        expect(texts).not.toContain(f.listed);
        expect(texts).not.toMatch(/CSE risk|Why this person is shown|Agencies/);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          action: 'profile',
          person_id: f.listed,
          outcome: 'refused',
          actor_worker_id: f.chair.workerId,
          actor_role: 'chair',
          shown: '',
          basis: `asked in a ${place}, where every member would read the answer: profile answers only in the caller's 1:1 chat; nothing shown to the chat`,
          channel,
        });
      });

      it(`list in a ${place} posts no list there, and the audit names the chat`, async () => {
        const { texts, audit } = await ask(f.chair, 'list', undefined, where);
        expect(texts).toContain('Ask me in your 1:1 chat');
        expect(texts).not.toContain(f.listed);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          action: 'list',
          person_id: null,
          outcome: 'refused',
          actor_role: 'chair',
          shown: '',
          basis: `asked in a ${place}, where every member would read the answer: list answers only in the caller's 1:1 chat; nothing shown to the chat`,
          channel,
        });
      });
    }

    for (const [where, place, channel] of places) {
      for (const command of ['alerts', 'model'] as const) {
        it(`${command} in a ${place} is answered only in the 1:1 chat (no alerted child, no signed model-card link there), and the audit names the chat`, async () => {
          const { texts, card, audit } = await ask(f.analyst, command, undefined, where);
          expect(texts).toContain('Ask me in your 1:1 chat');
          expect(texts).toContain(`\`${command}\` is answered only in your own 1:1 chat`);
          expect(JSON.stringify(card)).not.toContain('/model-cards/');
          expect(audit).toHaveLength(1);
          expect(audit[0]).toMatchObject({
            action: command,
            person_id: null,
            outcome: 'refused',
            actor_worker_id: f.analyst.workerId,
            actor_role: 'analyst',
            shown: '',
            basis: `asked in a ${place}, where every member would read the answer: ${command} answers only in the caller's 1:1 chat; nothing shown to the chat`,
            channel,
          });
        });
      }
    }

    it('refuses a list card’s profile button pressed in a group chat too, even for an analyst', async () => {
      const { texts, audit } = await ask(f.analyst, '', { command: 'profile', personId: f.listed }, 'groupChat');
      expect(texts).toContain('Ask me in your 1:1 chat');
      expect(texts).not.toContain(f.listed);
      expect(audit.map((r) => [r.action, r.outcome, r.person_id, r.channel])).toEqual([['profile', 'refused', f.listed, 'msteams:groupChat:19:meeting-chat@thread.v2']]);
    });

    it('in the 1:1 chat the audit says the caller alone was shown the answer', async () => {
      const profile = await ask(f.chair, `profile ${f.listed}`);
      expect(profile.audit).toHaveLength(1);
      expect(profile.audit[0].shown).toMatch(/; to the caller alone \(1:1 chat\)$/);
      const list = await ask(f.chair, 'list');
      expect(list.audit.length).toBeGreaterThan(0);
      expect(list.audit.filter((r) => r.shown.endsWith('; to the caller alone (1:1 chat)'))).toHaveLength(list.audit.length);
    });
  });

  it('help lists the commands and says it is decision support', async () => {
    const { texts } = await ask(f.caseworker, 'help');
    expect(texts).toContain('"profile P00012345"');
    expect(texts).toContain('"list"');
    everyCardSaysDecisionSupport(texts);
  });

  it('welcomes someone who installs the app, once, in their 1:1 chat: what it is, decision support, and help', async () => {
    const post = (activity: object) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const install = teamsInstall(connector.url, f.caseworker.aad, 'a:welcome-chat');
    expect((await post(install)).status).toBe(200);
    // The conversationUpdate Teams sends beside the install says nothing more.
    expect((await post({ ...install, type: 'conversationUpdate', action: undefined, membersAdded: [{ id: '28:bot' }] })).status).toBe(200);
    expect(connector.sent).toHaveLength(1);
    const welcome = connector.sent[0].body as { text?: string; textFormat?: string };
    expect(welcome.textFormat).toBe('plain');
    expect(welcome.text).toMatch(/^Hello\. This is Think Family CSE insight: /);
    expect(welcome.text).toContain('It is decision support for professionals, not a finding');
    expect(welcome.text).toContain('Type "help" to see what you can ask');
    expect(welcome.text).not.toMatch(/[*`]/);
  });

  it('help is plain text, so the chat preview shows no raw Markdown', async () => {
    const { reply, card } = await ask(f.caseworker, 'help');
    expect(card).toBeNull();
    expect((reply as { textFormat?: string }).textFormat).toBe('plain');
    expect(reply.text).toMatch(/^Think Family CSE insight\n/);
    expect(reply.text).not.toMatch(/[*`_]{1,2}\w/);
  });

  it('says how to reach the app in a group chat: @mention it (Teams passes it nothing else)', async () => {
    const help = await ask(f.caseworker, 'help');
    expect(help.texts).toContain('In a group chat or channel, @mention the app first (type @ and its name, TFD CSE insight), then the command: Teams passes the app only the messages that mention it.');
    const refusal = await ask(f.caseworker, 'meeting new', undefined, 'groupChat');
    expect(refusal.texts).toContain('Ask the chair of the victim-list meeting to @mention the app, then type `meeting new` in the meeting’s chat.');
  });
});
