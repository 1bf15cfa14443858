/** Evaluation measures on plain arrays; scores and labels are aligned by index. */

export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = Array.from(labels).filter((l) => l === 1).length;
  if (positives === 0) return Number.NaN;
  let hits = 0;
  let sum = 0;
  for (let rank = 0; rank < order.length; rank++) {
    if (labels[order[rank]] === 1) {
      hits++;
      sum += hits / (rank + 1);
    }
  }
  return sum / positives;
}

export interface ConfusionAtThreshold {
  readonly flagged: number;
  readonly truePositives: number;
  readonly positives: number;
  /** Share of positives flagged. */
  readonly recall: number;
  /** Share of the flagged who are positive. */
  readonly precision: number;
}

export function atThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ConfusionAtThreshold {
  let flagged = 0;
  let tp = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const hit = scores[i] >= threshold;
    if (hit) flagged++;
    if (labels[i] === 1) {
      positives++;
      if (hit) tp++;
    }
  }
  return { flagged, truePositives: tp, positives, recall: positives ? tp / positives : Number.NaN, precision: flagged ? tp / flagged : Number.NaN };
}

/**
 * Area under the ROC curve: the chance a random positive outranks a random
 * negative (ties count half), by ranks (Mann–Whitney U).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of probabilities (0–1) against 0/1 outcomes. */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (probabilities.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i] - labels[i]) ** 2;
  return sum / probabilities.length;
}

export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/** Predicted against observed in equal-width probability bins (empty bins left out). */
export function calibrationBins(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const count = new Array<number>(bins).fill(0);
  const predicted = new Array<number>(bins).fill(0);
  const observed = new Array<number>(bins).fill(0);
  for (let i = 0; i < probabilities.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(probabilities[i] * bins)));
    count[b]++;
    predicted[b] += probabilities[i];
    observed[b] += labels[i];
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] > 0) out.push({ from: b / bins, to: (b + 1) / bins, count: count[b], meanPredicted: predicted[b] / count[b], observedRate: observed[b] / count[b] });
  }
  return out;
}

/**
 * Predicted against observed in groups of equal size, ordered by prediction:
 * for a rare outcome nearly every child falls in the first equal-width bin,
 * so the deciles of risk are what show whether a probability can be read.
 */
export function calibrationByGroups(probabilities: ArrayLike<number>, labels: ArrayLike<number>, groups = 10): CalibrationBin[] {
  const order = Array.from({ length: probabilities.length }, (_, i) => i).sort((a, b) => probabilities[a] - probabilities[b]);
  const out: CalibrationBin[] = [];
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * order.length) / groups);
    const to = Math.floor(((g + 1) * order.length) / groups);
    if (to <= from) continue;
    let predicted = 0;
    let observed = 0;
    for (let k = from; k < to; k++) {
      predicted += probabilities[order[k]];
      observed += labels[order[k]];
    }
    out.push({ from: probabilities[order[from]], to: probabilities[order[to - 1]], count: to - from, meanPredicted: predicted / (to - from), observedRate: observed / (to - from) });
  }
  return out;
}

export interface CurvePoint {
  readonly threshold: number;
  readonly recall: number;
  readonly precision: number;
  readonly flagged: number;
}

/** Precision and recall at every distinct score, highest first, thinned to at most `maxPoints`. */
export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): CurvePoint[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = Array.from(labels).filter((l) => l === 1).length;
  if (positives === 0) return [];
  const points: CurvePoint[] = [];
  let tp = 0;
  for (let i = 0; i < order.length; i++) {
    tp += labels[order[i]] === 1 ? 1 : 0;
    const last = i + 1 === order.length || scores[order[i + 1]] !== scores[order[i]];
    if (last) points.push({ threshold: scores[order[i]], recall: tp / positives, precision: tp / (i + 1), flagged: i + 1 });
  }
  if (points.length <= maxPoints) return points;
  const step = points.length / maxPoints;
  return Array.from({ length: maxPoints }, (_, k) => points[Math.min(points.length - 1, Math.round((k + 1) * step) - 1)]);
}
