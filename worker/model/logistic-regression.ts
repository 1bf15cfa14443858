import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** A fitted model: everything needed to score and to explain a score. */
export interface LogisticModel {
  readonly features: readonly string[];
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly intercept: number;
  readonly coefficients: readonly number[];
  readonly l2: number;
  readonly iterations: number;
}

export class ModelFitError extends Error {
  constructor(reason: string) {
    super(`worker/model/logistic-regression: ${reason}`);
    this.name = 'ModelFitError';
  }
}

export interface FitOptions {
  /** L2 penalty on the standardised coefficients (not the intercept). @defaultValue 1 */
  readonly l2?: number;
  /** @defaultValue 25 */
  readonly maxIterations?: number;
  /** Stop when no coefficient moves more than this. @defaultValue 1e-6 */
  readonly tolerance?: number;
  /** Each row's weight in the likelihood (a weak label counts less). @defaultValue 1 for every row */
  readonly weights?: Float64Array;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Fits an L2-regularised logistic regression by Newton's method (IRLS) on
 * standardised features. Rows are `x` (n × d, row-major) with labels `y`.
 */
export function fitLogistic(features: readonly string[], x: Float64Array, y: Uint8Array, options: FitOptions = {}): LogisticModel {
  const d = features.length;
  const n = y.length;
  if (x.length !== n * d) throw new ModelFitError(`expected ${n}×${d} feature values, got ${x.length}`);
  const positives = y.reduce((a, b) => a + b, 0);
  if (positives === 0 || positives === n) throw new ModelFitError(`needs both outcomes to learn from (${positives} of ${n} rows are positive)`);
  const l2 = options.l2 ?? 1;
  const weights = options.weights ?? new Float64Array(n).fill(1);
  if (weights.length !== n) throw new ModelFitError(`expected ${n} row weights, got ${weights.length}`);
  let weightedPositives = 0;
  let weightTotal = 0;
  for (let i = 0; i < n; i++) {
    weightedPositives += weights[i] * y[i];
    weightTotal += weights[i];
  }

  // Weighted like the likelihood, so a row of weight 2 is exactly a row given twice.
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += (weights[i] * x[i * d + j]) / weightTotal;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j] += (weights[i] * (x[i * d + j] - mean[j]) ** 2) / weightTotal;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]) || 1;

  // Design matrix with a leading intercept column.
  const k = d + 1;
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    z[i * k] = 1;
    for (let j = 0; j < d; j++) z[i * k + j + 1] = (x[i * d + j] - mean[j]) / scale[j];
  }
  const beta = new Float64Array(k);
  beta[0] = Math.log(weightedPositives / (weightTotal - weightedPositives));
  let iterations = 0;
  for (; iterations < (options.maxIterations ?? 25); iterations++) {
    const hessian = new Float64Array(k * k);
    const gradient = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < k; j++) eta += z[i * k + j] * beta[j];
      const p = sigmoid(eta);
      const w = weights[i] * Math.max(p * (1 - p), 1e-10);
      const r = weights[i] * (y[i] - p);
      for (let a = 0; a < k; a++) {
        const za = z[i * k + a];
        if (za === 0) continue;
        gradient[a] += za * r;
        const wa = w * za;
        for (let b = a; b < k; b++) hessian[a * k + b] += wa * z[i * k + b];
      }
    }
    for (let a = 1; a < k; a++) {
      gradient[a] -= l2 * beta[a];
      hessian[a * k + a] += l2;
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) hessian[a * k + b] = hessian[b * k + a];
    const h = new Matrix(k, k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) h.set(a, b, hessian[a * k + b]);
    const cholesky = new CholeskyDecomposition(h);
    if (!cholesky.isPositiveDefinite()) throw new ModelFitError('the Hessian is not positive definite; increase l2');
    const step = cholesky.solve(Matrix.columnVector(Array.from(gradient))).to1DArray();
    // Newton can overshoot where a rare feature nearly separates the classes:
    // halve the step until the penalised log-likelihood does not fall.
    const before = penalisedLogLikelihood(z, y, weights, beta, k, l2);
    let factor = 1;
    let candidate = beta.map((b, a) => b + step[a]);
    while (penalisedLogLikelihood(z, y, weights, candidate, k, l2) < before - 1e-9 && factor > 1e-6) {
      factor /= 2;
      candidate = beta.map((b, a) => b + factor * step[a]);
    }
    let moved = 0;
    for (let a = 0; a < k; a++) {
      moved = Math.max(moved, Math.abs(candidate[a] - beta[a]));
      beta[a] = candidate[a];
    }
    if (!beta.every(Number.isFinite)) throw new ModelFitError('failed to converge (coefficients diverged)');
    if (moved < (options.tolerance ?? 1e-6)) {
      iterations++;
      break;
    }
  }
  return { features: [...features], mean, scale, intercept: beta[0], coefficients: Array.from(beta.slice(1)), l2, iterations };
}

function penalisedLogLikelihood(z: Float64Array, y: Uint8Array, weights: Float64Array, beta: Float64Array, k: number, l2: number): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    let eta = 0;
    for (let j = 0; j < k; j++) eta += z[i * k + j] * beta[j];
    // log σ(η) for y = 1, log(1 − σ(η)) for y = 0, computed stably
    total -= weights[i] * (y[i] ? Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));
  }
  for (let j = 1; j < k; j++) total -= (l2 / 2) * beta[j] * beta[j];
  return total;
}

/** Each feature's additive share of the log-odds, relative to the average training row. */
export function contributions(model: LogisticModel, x: ArrayLike<number>, out = new Float64Array(model.features.length)): Float64Array {
  for (let j = 0; j < model.coefficients.length; j++) out[j] = (model.coefficients[j] * (x[j] - model.mean[j])) / model.scale[j];
  return out;
}

export function logOdds(model: LogisticModel, x: ArrayLike<number>): number {
  let eta = model.intercept;
  for (let j = 0; j < model.coefficients.length; j++) eta += (model.coefficients[j] * (x[j] - model.mean[j])) / model.scale[j];
  return eta;
}

export const probability = (model: LogisticModel, x: ArrayLike<number>) => sigmoid(logOdds(model, x));
