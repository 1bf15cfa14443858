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
    const outcome = await consultProfile(deps(), { aadObjectId: f.analyst.aad, channel: 'test' }, f.listedWithAgency);
    if (outcome.kind !== 'profile') throw new Error(`expected a profile, got ${outcome.notice.title}`);
    const shot = join(ARTEFACTS, 'profile.png');
    const seen = await renderCard(browser, profileCard(outcome.view), shot);
    expect(seen.errors).toEqual([]);
    expect(seen.text).toContain(`Person ${f.listedWithAgency}`);
    expect(seen.text).toMatch(/Indicator\s+Indicator Date\s+Value\s+Notes/);
    expect(seen.text).toContain('CSE predictive score');
    expect(seen.text).toContain('Why this person is shown');
    expect(seen.text).toContain('Agencies involved');
    expect(seen.text).toContain('Decision support, not a finding');
    expect(seen.tables).toBeGreaterThanOrEqual(1);
    expect(seen.height).toBeGreaterThan(400);
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  });

  it('renders the weekly lists and a refusal', async () => {
    const list = await consultList(deps(), { aadObjectId: f.analyst.aad, channel: 'test' });
    if (list.kind !== 'list') throw new Error('expected a list');
    const seen = await renderCard(browser, listCard(list.view), join(ARTEFACTS, 'weekly-lists.png'));
    expect(seen.errors).toEqual([]);
    expect(seen.text).toContain('CSE Risk – Subjects Over 18');
    expect(seen.text).toContain(f.listed);

    const refusal = await consultProfile(deps(), { aadObjectId: f.caseworker.aad, channel: 'test' }, f.caseworker.notOwnCase);
    if (refusal.kind !== 'notice') throw new Error('expected a notice');
    const shown = await renderCard(browser, noticeCard(refusal.notice), join(ARTEFACTS, 'not-available.png'));
    expect(shown.text).toContain('Not available to you');
    expect(shown.text).not.toMatch(/Age band|Indicator|School/);
  });
});
