import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertCard, alertDigestCard, type AlertChildView } from '../../cards/alert-card.js';
import { POLICE_HOLD_MORE } from '../../domain/decision-support.js';
import { launchChromium, renderCard } from '../helpers/render-in-chromium.js';

const ARTEFACTS = join(process.cwd(), 'test-artifacts', 'cards');

const child = (personId: string): AlertChildView => ({
  alertId: `run-1|W1|${personId}`,
  personId,
  change: 'band_up',
  newReasonLines: [],
  previousBand: 'medium',
  band: 'high',
  chanceIn100: 7,
  reasonLines: ['They have been reported missing 3 times in the last 12 months (latest record 2025-10-02).', POLICE_HOLD_MORE],
  agencies: ['social care (allocated social worker): Sam Green', 'police: through the exploitation team'],
});

describe('alert cards as a caseworker sees them (adaptivecards HTML renderer in Debian chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders an alert after it was acknowledged: what changed, the chance, reasons, agencies, who answered, and the answers as buttons', async () => {
    const shot = join(ARTEFACTS, 'alert.png');
    const card = alertCard(child('P00012345'), [{ by: 'Sam Green', action: 'acknowledged', at: '2026-12-04T09:15:00', note: null }], 'run-1');
    const seen = await renderCard(browser, card, shot);
    expect(seen.errors).toEqual([]);
    expect(seen.text).toContain('CSE risk has emerged for P00012345');
    expect(seen.text).toContain('moved up from band medium to high');
    expect(seen.text).toContain('about 7 were accepted by the exploitation service within a year');
    expect(seen.text).toContain(POLICE_HOLD_MORE);
    expect(seen.text).toContain('Sam Green acknowledged (2026-12-04T09:15:00 UTC)');
    for (const button of ['Open profile', 'Acknowledge', 'Already known and being acted on', 'Not a concern: why', 'Request review at the next meeting']) expect(seen.text).toContain(button);
    expect(seen.text).toContain('Decision support, not a finding');
    expect(seen.text).not.toMatch(/Topaz/);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });

  it('renders a digest of many children, each opening its profile, well under Teams’ 100 KB', async () => {
    const children = Array.from({ length: 40 }, (_, i) => child(`P000${String(i).padStart(5, '0')}`));
    const card = alertDigestCard(children, 'run-1');
    const seen = await renderCard(browser, card, join(ARTEFACTS, 'alert-digest.png'));
    expect(seen.errors).toEqual([]);
    expect(seen.text).toContain('CSE risk has emerged for 40 children in your caseload');
    expect(seen.text).toContain('Acknowledge all');
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(90 * 1024);
  });
});
