import { baselineScores, trainBaseline } from './baseline.js';
import type { ModelBlend } from './model-choice.js';
import { CohortTooSmallError, holdoutDetail, MIN_CASES, type HoldoutDetail } from './train.js';
import type { FeatureLayout } from '../features/point-in-time.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/**
 * A run's temporal holdout (worker/model/train.ts `holdoutDetail`), or none
 * when too few children started before its cut to train on: a run without a
 * holdout still scores, it only cannot measure itself prospectively.
 */
export function runHoldout(snapshot: TfdSnapshot, asOf: number, layout: FeatureLayout, horizonDays: number, blend: ModelBlend): HoldoutDetail | null {
  try {
    return holdoutDetail(snapshot, asOf, layout, horizonDays, blend);
  } catch (error) {
    if (error instanceof CohortTooSmallError) return null;
    throw error;
  }
}

/**
 * The plain baseline on the holdout (trained before the cut, like the
 * holdout model) and, with ground truth, on the run date (trained on every
 * cohort child).
 */
export function holdoutBaselines(snapshot: TfdSnapshot, holdout: HoldoutDetail | null, children: readonly number[] | null, asOf: number) {
  const beforeCut = holdout ? trainBaseline(snapshot, holdout.cut - 1, 2, MIN_CASES) : null;
  const now = children ? trainBaseline(snapshot, asOf, 1, MIN_CASES) : null;
  return {
    holdout: holdout && beforeCut ? baselineScores(snapshot, beforeCut, holdout.children, holdout.cut) : null,
    runDate: children && now ? baselineScores(snapshot, now, children, asOf) : null,
  };
}
