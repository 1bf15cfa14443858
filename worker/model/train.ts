import { completedYears, isChildOn } from '../../domain/ages.js';
import { featureLayout, pointInTimeFeatures, type FeatureLayout } from '../features/point-in-time.js';
import { NO_DAY, isoOf } from '../../domain/days.js';
import type { TfdSnapshot, TrainingLabel } from '../snapshot/tfd-snapshot.js';
import { logOdds, probability, type LogisticModel } from './logistic-regression.js';
import { atThreshold, averagePrecision } from './metrics.js';
import { matchedTrainingRows, type TrainingRows } from './training-set.js';
import { acceptanceRate, calibrationFor, calibrationSlope, CALIBRATION_MIN_AGE, refinedToRate, type Calibration } from './calibration.js';
import { Rng } from '../../domain/rng.js';
import { DEFAULT_BLEND, fitBlend, type ModelBlend } from './model-choice.js';

export interface TrainedModel {
  readonly model: LogisticModel;
  readonly trainedOn: { readonly cases: number; readonly controls: number; readonly casesUpTo: string; readonly labels: LabelProvenance };
  /** The prior correction to the chance of acceptance within the horizon; null when the rate cannot be estimated. */
  readonly calibration: Calibration | null;
}

/** Acceptance within a year, unless a configuration says otherwise. */
export const DEFAULT_HORIZON_DAYS = 365;


/** The holdout's cut: three quarters of the way through the cohort's starts; null when too few to hold any back. */
function holdoutCut(snapshot: TfdSnapshot, asOf: number): number | null {
  const starts = Array.from(snapshot.startOfService).filter((d) => d !== NO_DAY && d <= asOf).sort((a, b) => a - b);
  return starts.length < MIN_CASES * 2 ? null : starts[Math.floor(starts.length * 0.75)];
}

export class CohortTooSmallError extends Error {
  constructor(cases: number, needed: number) {
    super(`only ${cases} children in base_cohort have a start of service and a date of birth in range; the model needs at least ${needed}`);
    this.name = 'CohortTooSmallError';
  }
}

export const MIN_CASES = 10;

/** Each row's features on its date; associates' known risk read on `riskKnownOn` when given (a model's own date), else on the row's date. */
export function featureMatrix(snapshot: TfdSnapshot, layout: FeatureLayout, rows: { person: Int32Array; date: Int32Array }, riskKnownOn?: number): Float64Array {
  const d = layout.width;
  const x = new Float64Array(rows.person.length * d);
  const buffer = new Float64Array(d);
  for (let i = 0; i < rows.person.length; i++) {
    pointInTimeFeatures(snapshot, layout, rows.person[i], rows.date[i], buffer, riskKnownOn ?? rows.date[i]);
    x.set(buffer, i * d);
  }
  return x;
}

/** How many training labels came from meetings and alerts, of which kind, from which meetings and how many people recorded them. */
export interface LabelProvenance {
  readonly positive: number;
  readonly negative: number;
  readonly weakNegative: number;
  readonly censored: number;
  /** Meeting ids (and "alert" for answers on alert cards) the labels came from. */
  readonly sources: readonly string[];
  readonly recordedBy: number;
  /** Labels about children the service had already accepted by then: known, but they change nothing. */
  readonly aboutCohortChildren: number;
}

export function labelProvenance(labels: readonly TrainingLabel[], aboutCohort: readonly TrainingLabel[] = []): LabelProvenance {
  const count = (kind: TrainingLabel['kind']) => labels.filter((l) => l.kind === kind).length;
  return {
    positive: count('positive'),
    negative: count('negative'),
    weakNegative: count('weak_negative'),
    censored: count('censored'),
    sources: [...new Set(labels.map((l) => (l.source.startsWith('alert ') ? 'alert answers' : l.source)))].sort(),
    recordedBy: new Set(labels.map((l) => l.recordedBy)).size,
    aboutCohortChildren: aboutCohort.length,
  };
}

/** The matched training rows up to `casesUpTo` and their features, built once for however many fits. */
export interface TrainingMatrix {
  readonly rows: TrainingRows;
  readonly x: Float64Array;
  readonly cases: number;
}

export function trainingMatrix(snapshot: TfdSnapshot, layout: FeatureLayout, casesUpTo: number, seed: number): TrainingMatrix {
  const rows = matchedTrainingRows(snapshot, { casesUpTo, seed });
  const cases = rows.label.reduce((a, b) => a + b, 0);
  if (cases < MIN_CASES) throw new CohortTooSmallError(cases, MIN_CASES);
  // Who carries known risk is read on the model's own date, as for the children it will score: a victim's peers are often found after them.
  return { rows, x: featureMatrix(snapshot, layout, rows, casesUpTo), cases };
}

/**
 * A fitted model with the correction that turns its case-control
 * probabilities into the chance of acceptance within `horizonDays`, from what
 * was known on `casesUpTo` only.
 */
function withCalibration(snapshot: TfdSnapshot, layout: FeatureLayout, m: TrainingMatrix, model: LogisticModel, casesUpTo: number, seed: number, horizonDays: number, slope: SlopeReading | null = null): TrainedModel {
  const prior = calibrationFor(acceptanceRate(snapshot, casesUpTo, horizonDays), m.cases / m.rows.label.length, horizonDays);
  const withSlope = prior && slope ? { ...prior, slope: slope.slope, slopeFrom: { children: slope.children, accepted: slope.accepted } } : prior;
  const calibration = withSlope ? refinedToRate(withSlope, childLogits(snapshot, layout, model, casesUpTo, seed)) : null;
  return { model, trainedOn: { cases: m.cases, controls: m.rows.label.length - m.cases, casesUpTo: isoOf(casesUpTo), labels: labelProvenance(m.rows.labelsUsed, m.rows.labelsAboutCohort) }, calibration };
}

/** A calibration slope read off the temporal holdout, and what it was read from. */
export interface SlopeReading {
  readonly slope: number;
  readonly children: number;
  readonly accepted: number;
}

/**
 * Trains on cohort children who started with the service on or before
 * `casesUpTo` (the blend's feature sets and penalties), calibrated to
 * acceptance within `horizonDays`. `matrix`: the rows already built (seed 1);
 * `slope`: the holdout's calibration slope, when it could be read.
 */
export function trainCseModel(
  snapshot: TfdSnapshot,
  casesUpTo: number,
  seed = 1,
  layout = featureLayout(snapshot),
  horizonDays = DEFAULT_HORIZON_DAYS,
  blend: ModelBlend = DEFAULT_BLEND,
  matrix?: TrainingMatrix,
  slope: SlopeReading | null = null,
): TrainedModel {
  const m = matrix ?? trainingMatrix(snapshot, layout, casesUpTo, seed);
  return withCalibration(snapshot, layout, m, fitBlend(m.x, m.rows.label, blend, m.rows.weight, layout), casesUpTo, seed, horizonDays, slope);
}

/** Log-odds under `model` of up to 5,000 children aged 10–17 on `day` who are not yet in the cohort (a seeded sample). */
function childLogits(snapshot: TfdSnapshot, layout: FeatureLayout, model: LogisticModel, day: number, seed: number): Float64Array {
  const eligible: number[] = [];
  for (let p = 0; p < snapshot.personIds.length; p++) {
    const birth = snapshot.birth[p];
    const start = snapshot.startOfService[p];
    if (birth === NO_DAY || birth > day || completedYears(birth, day) < CALIBRATION_MIN_AGE || !isChildOn(birth, day) || (start !== NO_DAY && start <= day)) continue;
    eligible.push(p);
  }
  const rng = new Rng(seed, 0xca1b);
  const sample = eligible.length <= 5_000 ? eligible : Array.from({ length: 5_000 }, () => eligible[rng.int(eligible.length)]);
  const buffer = new Float64Array(layout.width);
  return Float64Array.from(sample, (p) => logOdds(model, pointInTimeFeatures(snapshot, layout, p, day, buffer)));
}

export interface HoldoutMetrics {
  readonly cutDate: string;
  readonly trainCases: number;
  readonly testCases: number;
  /** Share of later cohort children flagged (score ≥ threshold) at their start of service. */
  readonly recallAtStartOfService: number;
  /** Among children flagged on the cut date, the share who are (or became) cohort members. */
  readonly flaggedInCohort: number;
  readonly flaggedOnCutDate: number;
  /** Children on the cut date ranked by score against eventual cohort membership. */
  readonly averagePrecision: number;
  readonly threshold: number;
}

/**
 * Temporal holdout: a model trained only on children who started before the
 * cut is judged on those who started after it, as Bristol reported (94% of
 * the cohort identified; 69% of those flagged in the cohort).
 */
export function temporalHoldout(snapshot: TfdSnapshot, asOf: number, threshold: number, layout = featureLayout(snapshot)): HoldoutMetrics | null {
  const detail = holdoutDetail(snapshot, asOf, layout);
  return detail ? summariseHoldout(detail, threshold) : null;
}

/** The headline holdout figures from its per-child detail. */
export function summariseHoldout(detail: HoldoutDetail, threshold: number): HoldoutMetrics {
  const onCut = atThreshold(detail.scores, detail.everInCohort, threshold);
  return {
    cutDate: isoOf(detail.cut),
    trainCases: detail.trainCases,
    testCases: detail.laterStartScores.length,
    recallAtStartOfService: detail.laterStartScores.filter((s) => s >= threshold).length / Math.max(1, detail.laterStartScores.length),
    flaggedInCohort: onCut.precision,
    flaggedOnCutDate: onCut.flagged,
    averagePrecision: averagePrecision(detail.scores, detail.everInCohort),
    threshold,
  };
}

/** Everything the temporal holdout computes, per child, for the model card and the bias audit. */
export interface HoldoutDetail {
  readonly cut: number;
  readonly trainCases: number;
  /** Scores of the later cohort children at their own start of service. */
  readonly laterStartScores: number[];
  /** Children aged 8–17 on the cut date (snapshot indexes) and their predictive scores then (0–100). */
  readonly children: number[];
  readonly scores: number[];
  /** 1 if the child is in the cohort by the as-of date (started before or after the cut). */
  readonly everInCohort: number[];
  /** 1 if the child started after the cut: the prospective outcome; children who started before are not comparable. */
  readonly joinedAfterCut: number[];
  /**
   * The calibrated chance of acceptance within `horizonDays` of the cut (null
   * without a calibration), and who was. For children aged 10+ not yet in the
   * cohort the slope in it was read off the other half of them (alternate
   * children), so the holdout checks the slope out of sample.
   */
  readonly probabilities: (number | null)[];
  readonly joinedWithinHorizon: number[];
  /** The horizon the holdout can check: the configured one, or the time from the cut to the run date if shorter. */
  readonly horizonDays: number;
  /** The blend the holdout model was trained as (the run's choice). */
  readonly blend: ModelBlend;
  /** The calibration slope read off all of them, for the run's model; null when too few were accepted within the horizon. */
  readonly slope: SlopeReading | null;
}

/**
 * The temporal holdout: the run's kind of model (its blend of feature sets and penalties)
 * trained only on children who started before the cut, judged on children
 * aged 10–17 not yet in the cohort at the cut, against joining it by the run
 * date (and within the horizon, for calibration). It also gives the run's
 * calibration slope. The choice itself was made on the cohort as of the run date,
 * which includes these later starters, so the figures are slightly optimistic.
 */
export function holdoutDetail(snapshot: TfdSnapshot, asOf: number, layout = featureLayout(snapshot), horizonDays = DEFAULT_HORIZON_DAYS, blend: ModelBlend = DEFAULT_BLEND): HoldoutDetail | null {
  const cut = holdoutCut(snapshot, asOf);
  if (cut === null) return null;
  const horizon = Math.max(1, Math.min(horizonDays, asOf - cut));
  const m = trainingMatrix(snapshot, layout, cut - 1, 2);

  const laterStarters: number[] = [];
  const children: number[] = [];
  for (let p = 0; p < snapshot.personIds.length; p++) {
    const start = snapshot.startOfService[p];
    if (start !== NO_DAY && start >= cut && start <= asOf) laterStarters.push(p);
    const birth = snapshot.birth[p];
    if (birth !== NO_DAY && birth <= cut && completedYears(birth, cut) >= 8 && isChildOn(birth, cut)) children.push(p);
  }
  const start = (p: number) => snapshot.startOfService[p];
  const d = layout.width;
  const held = featureMatrix(snapshot, layout, { person: Int32Array.from(children), date: new Int32Array(children.length).fill(cut) });
  const row = (i: number) => held.subarray(i * d, (i + 1) * d);
  const trained = withCalibration(snapshot, layout, m, fitBlend(m.x, m.rows.label, blend, m.rows.weight, layout), cut - 1, 2, horizon);
  const buffer = new Float64Array(d);
  const raw = children.map((_, i) => logOdds(trained.model, row(i)));
  const joinedWithinHorizon = children.map((p) => (start(p) !== NO_DAY && start(p) >= cut && start(p) < cut + horizon ? 1 : 0));
  const slopes = trained.calibration ? holdoutSlopes(snapshot, cut, children, raw, joinedWithinHorizon, trained.calibration) : null;
  return {
    cut,
    trainCases: trained.trainedOn.cases,
    laterStartScores: laterStarters.map((p) => 100 * probability(trained.model, pointInTimeFeatures(snapshot, layout, p, start(p), buffer))),
    children,
    scores: raw.map((eta) => 100 / (1 + Math.exp(-eta))),
    everInCohort: children.map((p) => (start(p) !== NO_DAY && start(p) <= asOf ? 1 : 0)),
    joinedAfterCut: children.map((p) => (start(p) !== NO_DAY && start(p) >= cut && start(p) <= asOf ? 1 : 0)),
    probabilities: children.map((_, i) => (slopes ? slopes.probability(i) : null)),
    joinedWithinHorizon,
    horizonDays: horizon,
    blend,
    slope: slopes?.all ?? null,
  };
}

/**
 * The calibration slope on the holdout: read off every child aged 10+ not yet
 * in the cohort at the cut (for the run's model), and off each half of them
 * (alternate children) for the other half's chances, each half's shift
 * refined again so its mean stays τ: the holdout's calibration figures then
 * check a slope they did not see.
 */
function holdoutSlopes(snapshot: TfdSnapshot, cut: number, children: readonly number[], raw: readonly number[], accepted: readonly number[], calibration: Calibration) {
  const start = (p: number) => snapshot.startOfService[p];
  const eligible = children.map((p, i) => (completedYears(snapshot.birth[p], cut) >= CALIBRATION_MIN_AGE && !(start(p) !== NO_DAY && start(p) < cut) ? i : -1)).filter((i) => i >= 0);
  const corrected = (i: number) => raw[i] - calibration.interceptShift;
  const read = (rows: readonly number[]): SlopeReading | null => {
    const slope = calibrationSlope(rows.map(corrected), rows.map((i) => accepted[i]));
    return slope === null ? null : { slope, children: rows.length, accepted: rows.reduce((a, i) => a + accepted[i], 0) };
  };
  const halves = [eligible.filter((_, k) => k % 2 === 0), eligible.filter((_, k) => k % 2 === 1)];
  const half = new Map(eligible.map((i, k) => [i, k % 2]));
  const eligibleRaw = eligible.map((i) => raw[i]);
  // A slope (none: 1) with the shift refined on all eligible children, so the mean chance stays τ.
  const scaledBy = (reading: SlopeReading | null): Calibration => (reading ? refinedToRate({ ...calibration, slope: reading.slope }, eligibleRaw) : calibration);
  const all = read(eligible);
  const whole = scaledBy(all);
  // Each half's chances use the slope read off the other half.
  const byHalf = [scaledBy(read(halves[1])), scaledBy(read(halves[0]))];
  const chance = (i: number, c: Calibration) => 1 / (1 + Math.exp(c.interceptShift - (c.slope ?? 1) * raw[i]));
  return {
    all,
    probability: (i: number) => {
      const h = half.get(i);
      return chance(i, h === undefined ? whole : byHalf[h]);
    },
  };
}
