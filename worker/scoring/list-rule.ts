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

export interface ThresholdChoice {
  readonly threshold: number;
  /** Precision on the holdout at that threshold, against acceptance by the run date. */
  readonly holdoutPrecision: number;
  readonly holdoutFlagged: number;
  /** The target was reached (else the threshold with the best precision among those flagging at least `minFlagged`). */
  readonly reachedTarget: boolean;
}

/**
 * The lowest threshold at which the holdout's children (calibrated chances at
 * the cut, and whether they were accepted afterwards) reach the target
 * precision, among thresholds that flag at least `minFlagged` children. When
 * no threshold reaches it, the one with the best precision.
 */
export function thresholdForPrecision(probabilities: readonly number[], accepted: readonly number[], targetPrecision: number, minFlagged = 10): ThresholdChoice | null {
  const order = probabilities.map((_, i) => i).sort((a, b) => probabilities[b] - probabilities[a]);
  let hits = 0;
  let best: ThresholdChoice | null = null;
  let lowestReaching: ThresholdChoice | null = null;
  for (let k = 0; k < order.length; k++) {
    hits += accepted[order[k]];
    const flagged = k + 1;
    // Only where the next child scores lower: a threshold cannot split ties.
    if (k + 1 < order.length && probabilities[order[k + 1]] === probabilities[order[k]]) continue;
    if (flagged < minFlagged) continue;
    const choice = { threshold: probabilities[order[k]], holdoutPrecision: hits / flagged, holdoutFlagged: flagged };
    if (!best || choice.holdoutPrecision > best.holdoutPrecision) best = { ...choice, reachedTarget: false };
    if (choice.holdoutPrecision >= targetPrecision) lowestReaching = { ...choice, reachedTarget: true };
  }
  return lowestReaching ?? best;
}

/**
 * A run's children under the rule: the final score becomes the calibrated
 * chance in 100 (the index rules are evidence inside the model, not a score
 * that overrides it), and list and band follow the rule.
 */
export function applyListRule(scored: readonly ScoredChild[], rule: ListRule): ScoredChild[] {
  const placed = placeChildren(scored, rule);
  return scored.map((s, i) => ({ ...s, final: s.probability === null ? s.final : Math.round(1000 * s.probability) / 10, band: placed[i].band, onList: placed[i].onList }));
}
