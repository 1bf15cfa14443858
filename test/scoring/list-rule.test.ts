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
  const depth = (r: readonly number[], comparison: number, minPrecision: number, more: { acceptedShare?: number; comparisonWeight?: number } = {}) =>
    listDepth({ ranks: r, comparison, comparisonWeight: more.comparisonWeight }, { minPrecision, acceptedShare: more.acceptedShare ?? 1 });
  it('reaches as deep as the share of cohort children listed stays at the floor', () => {
    // Down to 4 others: 4 cohort children and 4 others; a 5th other would make 4/9.
    expect(depth(ranks, 1000, 0.5)).toEqual({ share: 0.004, estimatedPrecision: 0.5, assumedPrecision: 0.5, estimatedRecall: 4 / 6, heldOutListed: 4, heldOut: 6, floorReached: true });
    expect(depth(ranks, 1000, 0.9)).toMatchObject({ share: 0, estimatedPrecision: 1, heldOutListed: 2 });
  });
  it('goes past the last cohort child when the floor allows: children nobody found rank there too', () => {
    expect(depth(ranks, 1000, 0.1)).toMatchObject({ share: 0.054, estimatedPrecision: 0.1, heldOutListed: 6 });
  });
  it('reads each cohort child listed as 1/acceptedShare exploited children: the floor on the cohort is minPrecision × acceptedShare', () => {
    // 0.5 of those listed exploited, if the service accepted half of them, is 0.25 of those listed in the cohort: 5 cohort children (ranks ≤ 10) allow 15 others.
    const halfFound = depth(ranks, 1000, 0.5, { acceptedShare: 0.5 })!;
    expect(halfFound).toMatchObject({ share: 0.015, estimatedPrecision: 0.25, assumedPrecision: 0.5, heldOutListed: 5, floorReached: true });
    expect(depth(ranks, 1000, 0.25)).toMatchObject({ share: 0.015, estimatedPrecision: 0.25, assumedPrecision: 0.25 });
    expect(depth(ranks, 1000, 0.9, { acceptedShare: 0.5 })!.assumedPrecision).toBe(1);
  });
  it('weighs comparison children sampled more thinly than the cohort, so a sample does not flatter the precision', () => {
    // Each comparison child stands for two children of the run: 3 cohort children and 1 other are 3/(3 + 2); a 4th cohort child needs 3 others, 4/(4 + 6).
    expect(depth(ranks, 1000, 0.5, { comparisonWeight: 2 })).toMatchObject({ share: 0.001, heldOutListed: 3, estimatedPrecision: 0.6, floorReached: true });
    expect(depth(ranks, 1000, 0.5, { comparisonWeight: 2 })!.share).toBeLessThan(depth(ranks, 1000, 0.5)!.share);
  });
  it('does not split ties, and takes the best precision when the floor cannot be reached', () => {
    expect(depth([0, 0, 7], 100, 0.5)).toMatchObject({ share: 0.02, heldOutListed: 2 });
    expect(depth([5, 9], 1000, 0.9)).toMatchObject({ share: 0.009, heldOutListed: 2, floorReached: false });
  });
  it('has nothing to say without held-out children', () => {
    expect(depth([], 1000, 0.4)).toBeNull();
  });
});
