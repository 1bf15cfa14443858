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
