import { calibrated } from './calibration.js';
import { chooseModel, fitBlend, type ModelChoice } from './model-choice.js';
import type { LogisticModel } from './logistic-regression.js';
import { runHoldout } from './run-holdout.js';
import { CohortTooSmallError, trainCseModel, trainingMatrix, type HoldoutDetail, type TrainedModel } from './train.js';
import type { MeetingLabelEffect } from '../evaluation/run-evaluation.js';
import type { FeatureLayout } from '../features/point-in-time.js';
import { trainMissingPersonModel } from '../scoring/missing-person-risk.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/** The models a run trains, and what the holdout and the meeting's labels say of them. */
export interface RunModels {
  /** Null: no CSE model could be trained (`unavailable` says why). */
  readonly cse: TrainedModel | null;
  readonly choice: ModelChoice | null;
  readonly holdout: HoldoutDetail | null;
  readonly labelEffect: MeetingLabelEffect | null;
  readonly unavailable: string | null;
  readonly missingPerson: LogisticModel | null;
}

/**
 * The run's training stage. A new area, or an export without the service's
 * cohort, still gets the index score and the Topaz rule; the run says why
 * there is no model.
 */
export function trainRunModels(snapshot: TfdSnapshot, layout: FeatureLayout, asOf: number, horizonDays: number): RunModels {
  const missingPerson = () => trainMissingPersonModel(snapshot, layout, asOf);
  // The kind of model is chosen on the cohort first; the holdout then measures that kind prospectively.
  let choice: ModelChoice | null = null;
  try {
    const matrix = trainingMatrix(snapshot, layout, asOf, 1);
    choice = chooseModel(snapshot, layout, asOf, matrix.rows, matrix.x);
    const chosen = choice;
    // The holdout comes first: the run's calibration takes its slope from it.
    const holdout = runHoldout(snapshot, asOf, layout, horizonDays, chosen);
    const cse = trainCseModel(snapshot, asOf, 1, layout, horizonDays, chosen, matrix, holdout?.slope ?? null);
    const effect = matrix.rows.labelsUsed.length > 0 ? labelEffect(snapshot, layout, asOf, chosen, cse) : { provenance: cse.trainedOn.labels, moves: [] };
    return { cse, choice, holdout, labelEffect: effect, unavailable: null, missingPerson: missingPerson() };
  } catch (error) {
    if (!(error instanceof CohortTooSmallError)) throw error;
    return { cse: null, choice, holdout: null, labelEffect: null, unavailable: error.message, missingPerson: missingPerson() };
  }
}

/** The CSE model with its intercept corrected to the chance of acceptance within the horizon, when it could be calibrated. */
export const acceptanceModel = (cse: TrainedModel | null) => (cse?.calibration ? calibrated(cse.model, cse.calibration) : null);

/**
 * What the meeting's labels changed: the same model kind trained on the same
 * run without them, and the coefficients that moved most.
 */
function labelEffect(snapshot: TfdSnapshot, layout: FeatureLayout, asOf: number, choice: ModelChoice, withLabels: TrainedModel): MeetingLabelEffect {
  const without = trainingMatrix({ ...snapshot, trainingLabels: [] }, layout, asOf, 1);
  const before = fitBlend(without.x, without.rows.label, choice, without.rows.weight, layout);
  const after = withLabels.model;
  const moves = after.features
    .map((feature, j) => ({ feature, without: before.coefficients[j], with: after.coefficients[j] }))
    .filter((m) => m.without !== m.with)
    .sort((a, b) => Math.abs(b.with - b.without) - Math.abs(a.with - a.without))
    .slice(0, 8);
  return { provenance: withLabels.trainedOn.labels, moves };
}
