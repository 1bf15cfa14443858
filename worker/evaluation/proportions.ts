/** Confidence intervals for rates and rate ratios (95% by default). */

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Wilson score interval for k successes in n trials; NaN bounds when n = 0. */
export function wilsonInterval(k: number, n: number, z = 1.96): Interval {
  if (n === 0) return { low: Number.NaN, high: Number.NaN };
  const p = k / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface RateRatio extends Interval {
  readonly ratio: number;
}

/**
 * The ratio of two rates (k1/n1) / (k0/n0) with the Katz log interval. A zero
 * count gets 0.5 added to every cell (Haldane), so a small group with no
 * events yields a wide interval rather than a ratio of 0 or infinity.
 */
export function rateRatio(k1: number, n1: number, k0: number, n0: number, z = 1.96): RateRatio {
  if (n1 === 0 || n0 === 0) return { ratio: Number.NaN, low: Number.NaN, high: Number.NaN };
  const corrected = k1 === 0 || k0 === 0 || k1 === n1 || k0 === n0;
  const [a, b, c, d] = corrected ? [k1 + 0.5, n1 + 1, k0 + 0.5, n0 + 1] : [k1, n1, k0, n0];
  const ratio = a / b / (c / d);
  const se = Math.sqrt(1 / a - 1 / b + 1 / c - 1 / d);
  return { ratio, low: Math.exp(Math.log(ratio) - z * se), high: Math.exp(Math.log(ratio) + z * se) };
}
