import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingHeaderCard, meetingPageCard, type MeetingItemView } from '../../cards/meeting-card.js';
import { POLICE_HOLD_MORE } from '../../domain/decision-support.js';
import { launchChromium, renderCard } from '../helpers/render-in-chromium.js';

const ARTEFACTS = join(process.cwd(), 'test-artifacts', 'cards');

const item = (number: number, personId: string, over: Partial<MeetingItemView> = {}): MeetingItemView => ({
  itemId: `meeting-2026-12-14|${personId}`,
  personId,
  number,
  section: 'new',
  version: 1,
  band: 'high',
  chanceIn100: 9,
  trend: '38 (low) → 52 (medium) → 71 (high)',
  reasonLines: ['They have been reported missing 4 times in the last 12 months (latest record 2026-11-20).', 'They were excluded from school in the last 6 months.', POLICE_HOLD_MORE],
  agencies: ['social care: allocated social worker: Sam Green', 'police: through the exploitation team', 'education: designated safeguarding lead: Ann Lee'],
  lastDecision: null,
  carriedActions: [],
  requestedBy: [],
  recorded: null,
  actions: [],
  ...over,
});

describe('the meeting’s agenda cards as its members see them (adaptivecards HTML renderer in Debian chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the agenda’s first card: sections, attendance, confidentiality', async () => {
    const card = meetingHeaderCard({ meetingId: 'meeting-2026-12-14', meetingDate: '2026-12-14', runId: 'run-2026-12-14-a1b2', chair: 'Priya Smith', counts: { new: 6, escalated: 2, continuing: 9, closure_proposed: 3 }, pages: 4, present: ['Priya Smith (council)', 'Tom Evans (police)'], apologies: ['Ellie Khan (early help)'] });
    const seen = await renderCard(browser, card, join(ARTEFACTS, 'meeting-header.png'), { markdown: true });
    expect(seen.errors).toEqual([]);
    for (const text of ['Victim-list meeting, 2026-12-14', 'New since the last meeting', 'Proposed for closure', 'Present: Priya Smith (council); Tom Evans (police)', 'Apologies: Ellie Khan (early help)', 'OFFICIAL-SENSITIVE', 'I am here', 'Send apologies']) expect(seen.text).toContain(text);
  });

  it('renders a page of the agenda: trend, chance, reasons (police-only as the neutral line), agencies, last decision, what was recorded, and a Record button per child', async () => {
    const shot = join(ARTEFACTS, 'meeting-agenda.png');
    const card = meetingPageCard({
      meetingId: 'meeting-2026-12-14',
      meetingDate: '2026-12-14',
      page: 1,
      pages: 4,
      owners: [{ workerId: 'W1', name: 'Sam Green (social_care)' }],
      agencies: ['education', 'police', 'social_care'],
      items: [
        item(1, 'P00012345', {
          recorded: { rag: 'red', decision: 'refer', outcome: null, leadAgency: 'social_care', nextReview: '2027-01-11', notes: 'Strategy discussion agreed', by: 'Tom Evans', at: '2026-12-14 10:20' },
          actions: ['Strategy discussion with police and school (Sam Green, due 2026-12-21, open)'],
        }),
        item(2, 'P00023456', { section: 'escalated', band: 'high', lastDecision: '2026-11-16: remain on the list; RAG amber; lead social_care', carriedActions: [{ actionId: 'a1', text: 'Return home interview (Sam Green, due 2026-11-30, open)' }] }),
        item(3, 'P00034567', { section: 'continuing', band: 'medium', chanceIn100: 4, requestedBy: ['Sam Green (2026-12-01 10:00)'] }),
      ],
    });
    const seen = await renderCard(browser, card, shot, { markdown: true });
    expect(seen.errors).toEqual([]);
    for (const text of ['agenda card 1 of 4', 'P00012345: New since the last meeting', 'score trend 38 (low) → 52 (medium) → 71 (high)', POLICE_HOLD_MORE, 'Recorded by Tom Evans', 'refer to the exploitation service', 'P00023456: Escalated', 'Open action: Return home interview', 'Review requested by Sam Green', 'Record 1', 'Record 3', 'Decision support, not a finding'])
      expect(seen.text).toContain(text);
    expect(seen.text).not.toMatch(/Topaz/);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });
});
