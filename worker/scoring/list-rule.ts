import type { ScoredChild } from './score-children.js';
import type { Band } from './scoring-config.js';

/**
 * The list a partnership chooses (scoring configuration `list`): children
 * whose calibrated chance of acceptance is at or above a threshold chosen on
 * the temporal holdout for a target precision, at most `capacity` of them
 * (children per meeting), highest first; every active Topaz victim on top of
 * that. Below them a watch band of up to `watch` children, shown to lead
 * professionals and not put on the meeting's list.
 */
export interface ListRule {
  /** The calibrated chance (0–1) from which a child may be listed. */
  readonly threshold: number;
  readonly capacity: number;
  readonly watch: number;
}

export interface Listable {
  readonly probability: number | null;
  readonly topazVictim: boolean;
}

export interface Placement {
  readonly onList: boolean;
  readonly band: Band;
}

/**
 * Where each child lands under the rule, in input order. Bands: `high` on the
 * meeting's list, `medium` the watch band, `low` at least a quarter of the
 * threshold, `none` the rest.
 */
export function placeChildren(children: readonly Listable[], rule: ListRule): Placement[] {
  const order = children.map((_, i) => i).filter((i) => children[i].probability !== null).sort((a, b) => children[b].probability! - children[a].probability! || a - b);
  const out: Placement[] = children.map((c) => ({ onList: c.topazVictim, band: c.topazVictim ? 'high' : 'none' }));
  let listed = 0;
  let watched = 0;
  for (const i of order) {
    const p = children[i].probability!;
    if (children[i].topazVictim) continue;
    if (p >= rule.threshold && listed < rule.capacity) {
      out[i] = { onList: true, band: 'high' };
      listed++;
    } else if (p >= rule.threshold / 2 && watched < rule.watch) {
      out[i] = { onList: false, band: 'medium' };
      watched++;
    } else if (p >= rule.threshold / 4) out[i] = { onList: false, band: 'low' };
  }
  return out;
}

export interface ShareChoice {
  /** The share of never-accepted children aged 10–17 the list reaches down to. */
  readonly share: number;
  /** Of the children listed down to there, the estimated share who are cohort children (a lower bound: children nobody has found count against it). */
  readonly estimatedPrecision: number;
  /** The same read as exploited children, under the configured share of them the service accepts (`estimatedPrecision / acceptedShare`, at most 1). */
  readonly assumedPrecision: number;
  /** The share of held-out cohort children ranked within it. */
  readonly estimatedRecall: number;
  readonly heldOutListed: number;
  readonly heldOut: number;
  /** The floor could not be reached anywhere: the depth with the best precision there is. */
  readonly floorReached: boolean;
}

/** What the cross-validation ranked, and how many children each side stands for. */
export interface HeldOutRanking {
  /** `ranks[i]`: how many of the comparison children a model that never saw held-out cohort child i scored above them. */
  readonly ranks: readonly number[];
  /** Comparison children ranked against (never accepted, 10–17). */
  readonly comparison: number;
  /**
   * How many children of the run each comparison child stands for, relative to
   * each held-out child: 1 when every cohort child under 18 was held out and
   * every never-accepted child compared; more when the comparison children
   * were sampled more thinly than the cohort (a large TFD), so a sample does
   * not flatter the precision.
   */
  readonly comparisonWeight?: number;
}

/** The partnership's target, and what it assumes about children nobody found. */
export interface DepthTarget {
  /** Of the children listed, the share who should be exploited. */
  readonly minPrecision: number;
  /**
   * Of exploited children, the share the service has accepted (0–1]. A listed
   * never-accepted child who is exploited but unfound counts against the
   * cohort's precision; with `acceptedShare` c, each cohort child ranked
   * within the list stands for 1/c exploited children there, so the floor on
   * the cohort is `minPrecision × c`. 1 reads the cohort as the whole truth.
   */
  readonly acceptedShare: number;
}

/**
 * How far down the list reaches, from the cohort's cross-validation. Listing
 * the top `a` never-accepted children also lists the K held-out children with
 * rank ≤ a: precision against the cohort K / (K + w·a) (w the comparison
 * weight), recall K / n. The list goes as deep as that stays at
 * `minPrecision × acceptedShare` or above, past the last cohort child if the
 * floor allows (children nobody found rank there too); the meeting's
 * capacity limits it afterwards.
 */
export function listDepth(ranking: HeldOutRanking, target: DepthTarget): ShareChoice | null {
  const { comparison } = ranking;
  const w = ranking.comparisonWeight ?? 1;
  const floor = target.minPrecision * target.acceptedShare;
  const sorted = [...ranking.ranks].sort((x, y) => x - y);
  const n = sorted.length;
  if (n === 0 || comparison <= 0) return null;
  const precisionAt = (k: number, a: number) => k / (k + w * a);
  // With K listed, precision stays ≥ the floor while a ≤ K(1 − floor)/(w·floor), until the next cohort child comes in.
  const allowance = (k: number) => Math.floor((k * (1 - floor)) / (w * floor) + 1e-9);
  const choice = (a: number, k: number, floorReached: boolean): ShareChoice => {
    const estimatedPrecision = precisionAt(k, a);
    return { share: a / comparison, estimatedPrecision, assumedPrecision: Math.min(1, estimatedPrecision / target.acceptedShare), estimatedRecall: k / n, heldOutListed: k, heldOut: n, floorReached };
  };
  let depth = -1;
  let best = { a: sorted[0], k: 1, precision: -1 };
  for (let k = 1; k <= n; k++) {
    if (k < n && sorted[k] === sorted[k - 1]) continue;
    const a = sorted[k - 1];
    const precision = precisionAt(k, a);
    if (precision > best.precision) best = { a, k, precision };
    if (precision >= floor) depth = Math.max(depth, Math.min(allowance(k), k < n ? sorted[k] - 1 : Infinity, comparison));
  }
  if (depth < 0) return choice(best.a, best.k, false);
  return choice(depth, sorted.filter((r) => r <= depth).length, true);
}

/** The chance as stored with the run (five decimals); the final score is read from this, so the two never disagree at a rounding edge. */
export const storedChance = (p: number) => Math.round(p * 1e5) / 1e5;

/**
 * A run's children under the rule: the final score becomes the calibrated
 * chance in 100 (the index rules are evidence inside the model, not a score
 * that overrides it), and list and band follow the rule.
 */
export function applyListRule(scored: readonly ScoredChild[], rule: ListRule): ScoredChild[] {
  const placed = placeChildren(scored, rule);
  return scored.map((s, i) => ({ ...s, final: s.probability === null ? s.final : Math.round(1000 * storedChance(s.probability)) / 10, band: placed[i].band, onList: placed[i].onList }));
}
