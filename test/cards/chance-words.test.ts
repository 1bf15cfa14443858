import { describe, expect, it } from 'vitest';
import { alertCard } from '../../cards/alert-card.js';
import { chanceSentence } from '../../cards/chance-words.js';
import { cardTexts } from '../helpers/adaptive-card.js';

describe('chanceSentence', () => {
  it('agrees with its count', () => {
    expect(chanceSentence(0)).toBe('Of 100 children with a profile like this, fewer than 1 was accepted by the exploitation service within a year.');
    expect(chanceSentence(1)).toBe('Of 100 children with a profile like this, about 1 was accepted by the exploitation service within a year.');
    expect(chanceSentence(39, '180 days')).toBe('Of 100 children with a profile like this, about 39 were accepted by the exploitation service within 180 days.');
  });

  it('is what an alert card says of a chance of 1 in 100 (it said "about 1 were accepted")', () => {
    const card = alertCard({ alertId: 'r|W1|C1', personId: 'C1', change: 'joined_list', previousBand: 'none', band: 'high', chanceIn100: 1, reasonLines: [], newReasonLines: [], agencies: [] }, [], 'r');
    expect(cardTexts(card)).toContain('Of 100 children with a profile like this, about 1 was accepted by the exploitation service within a year.');
  });
});
