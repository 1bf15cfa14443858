import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consultList } from '../../bot/lookups/list-lookup.js';
import { consultProfile } from '../../bot/lookups/profile-lookup.js';
import { listCard, noticeCard, profileCard } from '../../cards/build-cards.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';
import { launchChromium, renderCard } from '../helpers/render-in-chromium.js';

const ARTEFACTS = join(process.cwd(), 'test-artifacts', 'cards');

describe('cards as a person sees them (adaptivecards HTML renderer in Debian chromium)', () => {
  let dir: string;
  let f: BotFixture;
  let browser: Browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-test-cards-'));
    f = await botFixture(dir, 20_000);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const deps = () => ({ db: f.db.db, now: () => new Date() });

  it('renders a profile: header, the indicator table, reasons, agencies and the decision-support statement', async () => {
    const outcome = await consultProfile(deps(), { aadObjectId: f.analyst.aad, channel: 'test', conversationType: 'personal' }, f.listedWithAgency);
    if (outcome.kind !== 'profile') throw new Error(`expected a profile, got ${outcome.notice.title}`);
    const shot = join(ARTEFACTS, 'profile.png');
    const seen = await renderCard(browser, profileCard(outcome.view), shot);
    expect(seen.errors).toEqual([]);
    expect(seen.text).toContain(`Person ${f.listedWithAgency}`);
    expect(seen.text).toMatch(/Indicator\s+Indicator Date\s+Value\s+Notes/);
    // Under the model's list rule the row the list reads is the chance in 100 (a predictive score beside it read as a contradiction).
    expect(seen.text).toMatch(/CSE risk\s+\d{4}-\d{2}-\d{2}\s+\d+\s+on the meeting’s list; the chance in 100 below/);
    expect(seen.text).not.toContain('CSE predictive score');
    expect(seen.text).toContain('CSE index score');
    // A model was trained on this TFD, so the calibrated chance is shown and reads as a frequency.
    expect(seen.text).toContain('Chance of acceptance within a year');
    expect(seen.text).toMatch(/of 100 children with a profile like this, (about \d+ (was|were)|fewer than 1 was) accepted by the exploitation service within a year/i);
    expect(seen.text).toContain('Why this person is shown');
    expect(seen.text).toContain('Agencies involved');
    expect(seen.text).toContain('Decision support, not a finding');
    expect(seen.tables).toBeGreaterThanOrEqual(1);
    expect(seen.height).toBeGreaterThan(400);
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  });

  it('renders what a partner sees of a child with police-only reasons: the neutral line, no Topaz, and TFD text as plain text', async () => {
    const d = f.db.db;
    const child = f.caseworker.ownCase;
    const school = await d.selectFrom('school_enrolment').innerJoin('school', 'school.school_id', 'school_enrolment.school_id').select(['school.school_id', 'school.name']).where('school_enrolment.person_id', '=', child).where('school_enrolment.end_date', 'is', null).executeTakeFirst();
    const stored = await d.selectFrom('run_score').select(['reason_items']).where('run_id', '=', f.runId).where('person_id', '=', child).executeTakeFirst();
    const items = [
      { code: 'index:topaz_victim', kind: 'because', text: 'they are monitored by Op Topaz', evidenceDate: '2024-02-02', source: 'topaz', audience: 'police' },
      { code: 'feature:missing_episode', kind: 'because', text: 'they have been reported missing 3 times in the last 12 months', evidenceDate: '2025-10-02', source: 'police', audience: 'everyone' },
    ];
    expect(school, 'the fixture’s case has a school').toBeDefined();
    const hostile = '[Reset your Teams password](https://evil.example/login) \u202Eevil';
    await d.updateTable('run_score').set({ reason_items: JSON.stringify(items) }).where('run_id', '=', f.runId).where('person_id', '=', child).execute();
    if (school) await d.updateTable('school').set({ name: hostile }).where('school_id', '=', school.school_id).execute();
    await d.insertInto('agency_involvement').values({ person_id: child, agency: 'police', worker_id: 'W-T1', role: 'Topaz officer', start_date: '2024-02-02', end_date: null }).execute();
    try {
      const outcome = await consultProfile(deps(), { aadObjectId: f.caseworker.aad, channel: 'test', conversationType: 'personal' }, child);
      if (outcome.kind !== 'profile') throw new Error(`expected a profile, got ${outcome.notice.title}`);
      const seen = await renderCard(browser, profileCard(outcome.view), join(ARTEFACTS, 'partner-profile.png'), { markdown: true });
      expect(seen.errors).toEqual([]);
      expect(seen.text).toContain('They have been reported missing 3 times in the last 12 months (latest record 2025-10-02).');
      expect(seen.text).toContain('Police hold further information relevant to this child: contact the exploitation team.');
      expect(seen.text).not.toMatch(/Topaz/);
      // The calibrated model makes this TFD's list, so the index (mostly police-only rules) is not shown to partners.
      expect(seen.text).not.toContain('CSE index score');
      expect(seen.text).toMatch(/on the meeting’s list|watch band|band; the chance in 100 below/);
      expect(seen.links).toBe(0);
      if (school) expect(seen.text).toContain('[Reset your Teams password](https://evil.example/login) evil');
    } finally {
      await d.deleteFrom('agency_involvement').where('person_id', '=', child).where('worker_id', '=', 'W-T1').execute();
      if (school) await d.updateTable('school').set({ name: school.name }).where('school_id', '=', school.school_id).execute();
      await d.updateTable('run_score').set({ reason_items: stored?.reason_items ?? null }).where('run_id', '=', f.runId).where('person_id', '=', child).execute();
    }
  });

  it('renders the weekly lists and a refusal', async () => {
    const list = await consultList(deps(), { aadObjectId: f.analyst.aad, channel: 'test', conversationType: 'personal' });
    if (list.kind !== 'list') throw new Error('expected a list');
    const seen = await renderCard(browser, listCard(list.view), join(ARTEFACTS, 'weekly-lists.png'));
    expect(seen.errors).toEqual([]);
    expect(seen.text).toContain('CSE Risk – Subjects Over 18');
    expect(seen.text).toContain(f.listed);

    const refusal = await consultProfile(deps(), { aadObjectId: f.caseworker.aad, channel: 'test', conversationType: 'personal' }, f.caseworker.notOwnCase);
    if (refusal.kind !== 'notice') throw new Error('expected a notice');
    const shown = await renderCard(browser, noticeCard(refusal.notice), join(ARTEFACTS, 'not-available.png'));
    expect(shown.text).toContain('Not available to you');
    expect(shown.text).not.toMatch(/Age band|Indicator|School/);
  });
});
