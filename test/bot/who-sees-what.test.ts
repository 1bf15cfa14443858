import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../bot/server.js';
import { reasonLine, type ReasonItem } from '../../domain/reason-item.js';
import { POLICE_HOLD_MORE } from '../../domain/decision-support.js';
import { STAFF_ROLES, type StaffRole } from '../../domain/roles.js';
import { exportScores } from '../../reports/export-scores.js';
import { DEFAULT_POLICE_ONLY_REASONS } from '../../worker/scoring/scoring-config.js';
import { cardTexts } from '../helpers/adaptive-card.js';
import { botFixture, type BotFixture, type Identity } from '../helpers/bot-fixture.js';
import { startConnectorStandIn, teamsMessage } from '../helpers/connector-stand-in.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };
const POLICE_ROLES: readonly StaffRole[] = ['officer', 'analyst'];

/** Every police-only fact, each carrying a token that must never reach a non-police reader. */
const policeOnlyCodes = DEFAULT_POLICE_ONLY_REASONS.map((c) => (c.endsWith('*') ? `${c.slice(0, -1)}listed_children` : c));
const token = (code: string) => `SECRET-${code.replace(/[^a-z0-9]/gi, '-')}`;
const secretItem = (code: string): ReasonItem => ({ code, kind: code.startsWith('over18:') ? 'over_18' : 'because', text: `they carry ${token(code)}`, evidenceDate: '2025-06-01', source: 'police', audience: 'police' });
const openItem: ReasonItem = { code: 'feature:missing_episode', kind: 'because', text: 'they have been reported missing 3 times in the last 12 months', evidenceDate: '2025-06-01', source: 'police', audience: 'everyone' };
const TOPAZ_OFFICER = 'Topaz officer';
const OFFICER_NAME = 'DC Secret-Name';

describe('who sees what: every role × every police-only fact, through the bot’s HTTP pipeline', () => {
  let dir: string;
  let f: BotFixture;
  let bot: RunningBot;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let child: string;
  const identities = new Map<StaffRole, Identity>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-test-who-'));
    f = await botFixture(dir);
    const d = f.db.db;
    // A listed child with an active Topaz victim marker, known to every partner role.
    child = f.listed;
    await d.insertInto('topaz_marker').values({ person_id: child, marker: 'victim', start_date: '2024-02-02', end_date: null, note: 'Op Topaz referral' }).execute();
    const items = [openItem, ...policeOnlyCodes.filter((c) => !c.startsWith('over18:')).map(secretItem)];
    await d.updateTable('run_score').set({ reason_items: JSON.stringify(items) }).where('run_id', '=', f.runId).where('person_id', '=', child).execute();
    await d.updateTable('run_score').set({ reason_items: JSON.stringify(policeOnlyCodes.filter((c) => c.startsWith('over18:')).map(secretItem)) }).where('run_id', '=', f.runId).where('person_id', '=', f.overEighteen).execute();
    await d.insertInto('staff').values({ worker_id: 'W-TOPAZ-1', display_name: OFFICER_NAME, email: null, aad_object_id: 'aad-topaz-officer', agency: 'police', role: 'officer', school_id: null }).execute();
    await d.insertInto('agency_involvement').values([
      { person_id: child, agency: 'police', worker_id: 'W-TOPAZ-1', role: TOPAZ_OFFICER, start_date: '2024-02-02', end_date: null },
      { person_id: child, agency: 'early_help', worker_id: f.caseworker.workerId, role: 'family worker', start_date: '2025-01-01', end_date: null },
      { person_id: f.overEighteen, agency: 'early_help', worker_id: f.caseworker.workerId, role: 'family worker', start_date: '2025-01-01', end_date: null },
    ]).execute();
    await d.insertInto('school_enrolment').values({ person_id: child, school_id: f.schoolLead.schoolId, start_date: '2024-09-01', end_date: null }).execute();
    identities.set('caseworker', f.caseworker).set('school_safeguarding_lead', f.schoolLead).set('chair', f.chair).set('officer', f.officer).set('analyst', f.analyst).set('admin', f.admin);
    connector = await startConnectorStandIn();
    bot = await startBot(LOCAL, { db: f.db.db, now: () => new Date() }, () => undefined);
  });
  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ask(who: Identity, text: string): Promise<{ texts: string; shown: string }> {
    connector.sent.length = 0;
    const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, text, who.aad)) });
    expect(res.status).toBe(200);
    const reply = connector.sent.pop()!.body;
    const card = (reply.attachments as { content: Record<string, unknown> }[] | undefined)?.[0]?.content;
    const audit = await f.db.db.selectFrom('access_audit').select(['shown']).where('actor_aad_object_id', '=', who.aad).orderBy('occurred_at', 'desc').orderBy('audit_id', 'desc').executeTakeFirstOrThrow();
    return { texts: card ? cardTexts(card).join('\n') : String(reply.text), shown: audit.shown };
  }

  const secrets = (text: string) => [...policeOnlyCodes.map(token), 'Topaz', 'Secret-Name', 'Over 18', 'over-18'].filter((t) => text.includes(t));

  for (const role of STAFF_ROLES) {
    const police = POLICE_ROLES.includes(role);
    it(`${role}: the child's profile ${police ? 'shows every police-only fact' : role === 'admin' ? 'is refused and shows nothing' : 'shows none, and the neutral line once'}`, async () => {
      const r = await ask(identities.get(role)!, `profile ${child}`);
      if (role === 'admin') {
        expect(r.texts).toMatch(/Not available to you/);
        expect(secrets(r.texts)).toEqual([]);
        return;
      }
      expect(r.texts).toContain(`Person ${child}`);
      expect(r.texts).toContain(reasonLine(openItem));
      if (police) {
        for (const code of policeOnlyCodes.filter((c) => !c.startsWith('over18:'))) expect(r.texts).toContain(token(code));
        expect(r.texts).toContain('Op Topaz marker: victim');
        expect(r.texts).toContain(TOPAZ_OFFICER);
        expect(r.texts).not.toContain(POLICE_HOLD_MORE);
        expect(r.shown).toContain('index:topaz_victim');
      } else {
        expect(secrets(r.texts)).toEqual([]);
        expect(r.texts.split(POLICE_HOLD_MORE)).toHaveLength(2);
        expect(r.texts).toContain('through the exploitation team');
        // The audit records exactly what this reader was shown.
        expect(r.shown).toContain('reasons [feature:missing_episode] + "police hold further information" line');
        expect(r.shown).toContain('1 police involvement(s) without role or name');
        expect(r.shown).not.toMatch(/topaz|cse_flagged|assoc_/i);
      }
    });
  }

  for (const role of STAFF_ROLES.filter((r) => r !== 'admin' && r !== 'chair')) {
    const police = POLICE_ROLES.includes(role);
    it(`${role}: an adult on “CSE Risk – Subjects Over 18” ${police ? 'shows the listing and its reasons' : 'reads like any adult, with no hint'}`, async () => {
      const r = await ask(identities.get(role)!, `profile ${f.overEighteen}`);
      if (role === 'school_safeguarding_lead') {
        expect(r.texts).toMatch(/Not available to you/);
        return;
      }
      if (police) {
        expect(r.texts).toContain('CSE Risk – Subjects Over 18');
        expect(r.texts).toContain(token('over18:listed_children'));
      } else {
        expect(secrets(r.texts)).toEqual([]);
        expect(r.texts).not.toContain(POLICE_HOLD_MORE);
        expect(r.texts).toContain('No CSE score in the current run');
      }
    });
  }

  for (const role of STAFF_ROLES) {
    it(`${role}: the list card carries no police-only fact${POLICE_ROLES.includes(role) ? ' beyond the over-18 list it is entitled to' : ''}`, async () => {
      const r = await ask(identities.get(role)!, 'list');
      const leaked = secrets(r.texts).filter((s) => !(POLICE_ROLES.includes(role) && s === 'Over 18'));
      expect(leaked).toEqual([]);
    });
  }

  it('partner exports carry no police-only reason and no over-18 row; the analysts’ file keeps them', async () => {
    const partners = join(dir, 'partners.csv');
    const analysts = join(dir, 'analysts.csv');
    await exportScores(f.db, partners, f.runId, 'partners');
    await exportScores(f.db, analysts, f.runId, 'analysts');
    const p = readFileSync(partners, 'utf8');
    const a = readFileSync(analysts, 'utf8');
    expect(secrets(p)).toEqual([]);
    expect(p).not.toMatch(/Op Topaz|tagged CSE|call scripting/);
    expect(p).not.toContain(f.overEighteen);
    expect(p).toContain(POLICE_HOLD_MORE);
    expect(a).toContain(f.overEighteen);
    expect(a).toContain(token('index:topaz_victim'));
  });
});
