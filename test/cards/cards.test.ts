import { describe, expect, it } from 'vitest';
import { CARD_BYTE_LIMIT, CardTooLargeError } from '../../cards/expand-card.js';
import { listCard, noticeCard, profileCard } from '../../cards/build-cards.js';
import type { ProfileView } from '../../cards/views.js';
import { cardProblems, cardTexts } from '../helpers/adaptive-card.js';

const view = (extra: Partial<ProfileView> = {}): ProfileView => ({
  personId: 'P1',
  ageBand: '13–15',
  school: 'Hillside Academy',
  area: 'Bristol',
  headline: 'On the weekly list',
  indicators: [{ indicator: 'CSE risk', date: '2025-12-31', value: '72', notes: 'high band' }],
  reasons: ['They have been reported missing.'],
  agencies: [{ agency: 'social_care', role: 'allocated social worker', worker: 'Sam Smith', since: '2024-01-01' }],
  run: { runId: 'run-1', asOf: '2025-12-31', publishedAt: '2026-01-01 06:00', modelId: 'cse-1', modelTrainedAt: '2026-01-01' },
  viewer: 'Alex (analyst)',
  ...extra,
});

describe('cards', () => {
  it('the validator used by the bot tests is real: it reports an unknown element', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] })).not.toEqual([]);
    expect(cardProblems(profileCard(view()))).toEqual([]);
  });

  it('treats text from the TFD as text: template expressions and markup in data are not evaluated', () => {
    const card = profileCard(view({ school: '${$root.personId} ${viewer}', agencies: [{ agency: 'x', role: '${count(agencies)}', worker: '<script>alert(1)</script>', since: '' }] }));
    const texts = cardTexts(card);
    expect(texts).toContain('School: ${$root.personId} ${viewer}');
    expect(texts).toContain('${count(agencies)}');
    expect(texts).toContain('<script>alert(1)</script>');
    expect(cardProblems(card)).toEqual([]);
  });

  it('leaves out empty sections rather than showing empty tables', () => {
    const texts = cardTexts(profileCard(view({ indicators: [], reasons: [], agencies: [], run: null })));
    expect(texts).not.toContain('Indicator Date');
    expect(texts).not.toContain('Why this person is shown');
    expect(texts).not.toContain('Agencies involved');
    expect(texts.some((t) => t.startsWith('Scoring run'))).toBe(false);
    expect(texts.some((t) => t.startsWith('Decision support, not a finding'))).toBe(true);
  });

  it('refuses to build a card over the Teams message budget', () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => ({ personId: `P${i}`, ageBand: '13–15', score: '50', band: 'medium', notes: 'x'.repeat(40) }));
    expect(() => listCard({ title: 't', sections: [{ title: 's', caption: 'c', rows, more: 0 }], run: null, viewer: 'v' })).toThrow(CardTooLargeError);
    expect(Buffer.byteLength(JSON.stringify(noticeCard({ title: 't', text: 'x', tone: 'default' })))).toBeLessThan(CARD_BYTE_LIMIT);
  });
});
