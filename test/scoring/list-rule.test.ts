import { describe, expect, it } from 'vitest';
import { placeChildren, thresholdForPrecision } from '../../worker/scoring/list-rule.js';

const child = (probability: number | null, topazVictim = false) => ({ probability, topazVictim });

describe('placeChildren', () => {
  it('lists at most `capacity` children at or above the threshold, highest first, then a watch band', () => {
    const children = [child(0.02), child(0.5), child(0.3), child(0.2), child(0.09), child(0.06), child(0.01), child(null)];
    const placed = placeChildren(children, { threshold: 0.1, capacity: 2, watch: 2 });
    expect(placed.map((p) => p.band)).toEqual(['none', 'high', 'high', 'medium', 'medium', 'low', 'none', 'none']);
    expect(placed.filter((p) => p.onList)).toHaveLength(2);
  });
  it('always lists an active Topaz victim, beyond the capacity and whatever their chance', () => {
    const placed = placeChildren([child(0.001, true), child(0.5), child(0.4)], { threshold: 0.1, capacity: 1, watch: 0 });
    expect(placed.map((p) => p.onList)).toEqual([true, true, false]);
  });
});

describe('thresholdForPrecision', () => {
  // Ten children ranked by chance; the accepted ones are the 1st, 2nd, 4th and 8th.
  const p = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
  const y = [1, 1, 0, 1, 0, 0, 0, 1, 0, 0];
  it('picks the lowest threshold whose precision reaches the target', () => {
    expect(thresholdForPrecision(p, y, 0.75, 1)).toMatchObject({ threshold: 0.6, holdoutPrecision: 0.75, holdoutFlagged: 4, reachedTarget: true });
    expect(thresholdForPrecision(p, y, 0.5, 1)).toMatchObject({ threshold: 0.2, holdoutPrecision: 0.5, holdoutFlagged: 8, reachedTarget: true });
  });
  it('falls back to the best precision when the target cannot be reached, and never flags fewer than asked', () => {
    expect(thresholdForPrecision(p, y, 0.95, 3)).toMatchObject({ threshold: 0.6, holdoutPrecision: 0.75, reachedTarget: false });
  });
  it('does not split ties', () => {
    expect(thresholdForPrecision([0.5, 0.5, 0.1], [1, 0, 0], 1, 1)).toMatchObject({ threshold: 0.5, holdoutFlagged: 2 });
  });
});
