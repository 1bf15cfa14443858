import { completedYears, isChildOn } from '../../domain/ages.js';
import { NO_DAY } from '../../domain/days.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { fitLogistic, type LogisticModel } from './logistic-regression.js';

/**
 * The model is fitted on one cohort child (at their start of service) to about
 * ten comparison children, so its probabilities answer "case or control in
 * this sample", not "how likely is acceptance". King & Zeng's prior
 * correction moves the intercept by the log of the ratio between the
 * sample's case odds and the population's:
 *
 *   b0' = b0 − ln[ ((1 − τ) / τ) · (ȳ / (1 − ȳ)) ]
 *
 * with ȳ the share of cases among training rows and τ the population rate
 * of the event. Here the event is "accepted onto the exploitation service
 * within `horizonDays`", so a corrected probability reads "of 100 children
 * with a profile like this, about N were accepted within a year".
 */
export interface Calibration {
  readonly horizonDays: number;
  /** τ: the share of children aged 10–17 accepted within the horizon, estimated before the training cut-off. */
  readonly acceptanceRate: number;
  /** ȳ: the share of cases among the training rows. */
  readonly sampleCaseShare: number;
  /** The amount subtracted from the (slope-scaled) log-odds. */
  readonly interceptShift: number;
  /** The prior correction's shift, when calibration in the large refined it. */
  readonly refinedFrom?: number;
  /**
   * The calibration slope the log-odds are multiplied by (1 when absent): read
   * off the temporal holdout, where the model's spread of chances was too
   * wide (`calibrationSlope`).
   */
  readonly slope?: number;
  /** What the slope was read from: the holdout's children and how many of them were accepted within the horizon. */
  readonly slopeFrom?: { readonly children: number; readonly accepted: number };
}

/** The ages lists are made for (the holdout and the bias audit use the same). */
export const CALIBRATION_MIN_AGE = 10;
const MIN_AGE = CALIBRATION_MIN_AGE;

/**
 * τ for the horizon: cohort starts of children aged 10–17 in the three years
 * up to `upTo`, per child aged 10–17 in the middle of that window, scaled to
 * the horizon. Uses only what was known on `upTo`. A small TFD with fewer than
 * five starts in three years looks back six, then ten years.
 */
export function acceptanceRate(snapshot: TfdSnapshot, upTo: number, horizonDays: number): number {
  let rate = Number.NaN;
  for (const years of [3, 6, 10]) {
    const { starts, children } = startsAndChildren(snapshot, upTo, years * 365);
    rate = children > 0 && starts > 0 ? Math.min(0.5, (starts / children) * (horizonDays / (years * 365))) : Number.NaN;
    if (starts >= 5) break;
  }
  return rate;
}

function startsAndChildren(snapshot: TfdSnapshot, upTo: number, windowDays: number): { starts: number; children: number } {
  const from = upTo - windowDays;
  const middle = upTo - Math.floor(windowDays / 2);
  let starts = 0;
  let children = 0;
  for (let p = 0; p < snapshot.personIds.length; p++) {
    const birth = snapshot.birth[p];
    if (birth === NO_DAY) continue;
    const start = snapshot.startOfService[p];
    if (start !== NO_DAY && start > from && start <= upTo && birth <= start && completedYears(birth, start) >= MIN_AGE && isChildOn(birth, start)) starts++;
    if (birth <= middle && completedYears(birth, middle) >= MIN_AGE && isChildOn(birth, middle)) children++;
  }
  return { starts, children };
}

/** The prior correction for a model trained with `sampleCaseShare` cases, to a population rate `acceptanceRate`. */
export function calibrationFor(acceptance: number, sampleCaseShare: number, horizonDays: number): Calibration | null {
  if (!(acceptance > 0 && acceptance < 1 && sampleCaseShare > 0 && sampleCaseShare < 1)) return null;
  const interceptShift = Math.log(((1 - acceptance) / acceptance) * (sampleCaseShare / (1 - sampleCaseShare)));
  return { horizonDays, acceptanceRate: acceptance, sampleCaseShare, interceptShift };
}

/**
 * The prior correction is exact for an unpenalised model; an L2 penalty
 * pulls the coefficients in, and the mean of the corrected probabilities
 * drifts from τ. This refines the shift so that the mean chance over children
 * on the training date (`logits`: their log-odds under the uncorrected
 * model, a sample is enough) equals τ: calibration in the large, from what
 * was known then.
 */
export function refinedToRate(calibration: Calibration, logits: ArrayLike<number>): Calibration {
  if (logits.length === 0) return calibration;
  const slope = calibration.slope ?? 1;
  const meanAt = (shift: number) => {
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += 1 / (1 + Math.exp(shift - slope * logits[i]));
    return sum / logits.length;
  };
  // The mean falls as the shift grows: bisect around the prior correction.
  let low = calibration.interceptShift - 20;
  let high = calibration.interceptShift + 20;
  for (let k = 0; k < 100; k++) {
    const mid = (low + high) / 2;
    if (meanAt(mid) > calibration.acceptanceRate) low = mid;
    else high = mid;
  }
  return { ...calibration, interceptShift: (low + high) / 2, refinedFrom: calibration.refinedFrom ?? calibration.interceptShift };
}

/** Fewer children accepted within the horizon than this on the holdout, and no slope is read (it stays 1). */
export const MIN_SLOPE_EVENTS = 5;
/** The slope is kept within these: below, a handful of events would flatten every chance; above 1 would sharpen a model the holdout cannot vouch for. */
export const SLOPE_RANGE = [0.2, 1] as const;

/**
 * The calibration slope: regressing who was accepted within the horizon on
 * the holdout model's calibrated log-odds (a logistic regression with an
 * intercept) gives the factor its log-odds should be multiplied by. Below 1
 * the model's chances are spread too wide: overconfident at the top, as a
 * model trained on cases at their start of service against matched children
 * tends to be. Null with fewer than MIN_SLOPE_EVENTS events.
 */
export function calibrationSlope(logits: ArrayLike<number>, accepted: ArrayLike<number>): number | null {
  let events = 0;
  for (let i = 0; i < accepted.length; i++) events += accepted[i];
  if (events < MIN_SLOPE_EVENTS || events === accepted.length) return null;
  // A one-variable logistic regression (Newton's method with step-halving, as the model itself), barely penalised.
  const fit = fitLogistic(['log_odds'], Float64Array.from(logits), Uint8Array.from(accepted), { l2: 1e-6, maxIterations: 50 });
  const b = fit.coefficients[0] / fit.scale[0];
  if (!Number.isFinite(b)) return null;
  return Math.min(SLOPE_RANGE[1], Math.max(SLOPE_RANGE[0], b));
}

/**
 * The same model with its log-odds corrected (scaled by the slope, then
 * shifted): its probability is the chance of acceptance within the horizon.
 * Still one logistic model, so the chance decomposes indicator by indicator.
 */
export function calibrated(model: LogisticModel, calibration: Calibration): LogisticModel {
  const slope = calibration.slope ?? 1;
  return { ...model, coefficients: model.coefficients.map((c) => c * slope), intercept: slope * model.intercept - calibration.interceptShift };
}
