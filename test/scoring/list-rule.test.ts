import { describe, expect, it } from 'vitest';
import { listDepth, placeChildren } from '../../worker/scoring/list-rule.js';

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

describe('listDepth', () => {
  // Six held-out cohort children; how many of 1,000 never-accepted children ranked above each.
  const ranks = [10, 0, 3, 0, 50, 1];
  it('reaches as deep as the share of cohort children listed stays at the floor', () => {
    // Down to 4 others: 4 cohort children and 4 others; a 5th other would make 4/9.
    expect(listDepth(ranks, 1000, 0.5)).toEqual({ share: 0.004, estimatedPrecision: 0.5, estimatedRecall: 4 / 6, heldOutListed: 4, heldOut: 6, floorReached: true });
    expect(listDepth(ranks, 1000, 0.9)).toMatchObject({ share: 0, estimatedPrecision: 1, heldOutListed: 2 });
  });
  it('goes past the last cohort child when the floor allows: children nobody found rank there too', () => {
    expect(listDepth(ranks, 1000, 0.1)).toMatchObject({ share: 0.054, estimatedPrecision: 0.1, heldOutListed: 6 });
  });
  it('does not split ties, and takes the best precision when the floor cannot be reached', () => {
    expect(listDepth([0, 0, 7], 100, 0.5)).toMatchObject({ share: 0.02, heldOutListed: 2 });
    expect(listDepth([5, 9], 1000, 0.9)).toMatchObject({ share: 0.009, heldOutListed: 2, floorReached: false });
  });
  it('has nothing to say without held-out children', () => {
    expect(listDepth([], 1000, 0.4)).toBeNull();
  });
});
