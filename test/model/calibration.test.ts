import { describe, expect, it } from 'vitest';
import { calibrated, calibrationFor, calibrationSlope, MIN_SLOPE_EVENTS, refinedToRate } from '../../worker/model/calibration.js';
import { fitLogistic, logOdds, probability } from '../../worker/model/logistic-regression.js';
import { Rng } from '../../domain/rng.js';

describe('prior correction of a case-control model', () => {
  it('shifts the intercept by ln[((1−τ)/τ)·(ȳ/(1−ȳ))]', () => {
    const c = calibrationFor(0.01, 1 / 11, 365)!;
    expect(c.interceptShift).toBeCloseTo(Math.log((0.99 / 0.01) * (1 / 11 / (10 / 11))), 12);
    expect(calibrationFor(0, 0.1, 365)).toBeNull();
    expect(calibrationFor(Number.NaN, 0.1, 365)).toBeNull();
  });

  it('recovers population probabilities from a 1:10 case-control sample of a simulated population', () => {
    // A population where the event's log-odds are −5 + 1.5·x, x ~ N(0, 1): about 1.6% have it.
    const rng = new Rng(3, 1);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
    const population: { x: number; y: number }[] = [];
    for (let i = 0; i < 200_000; i++) {
      const x = normal();
      population.push({ x, y: rng.float() < 1 / (1 + Math.exp(5 - 1.5 * x)) ? 1 : 0 });
    }
    const cases = population.filter((r) => r.y === 1);
    const controls = population.filter((r) => r.y === 0);
    const sample = [...cases, ...Array.from({ length: cases.length * 10 }, () => controls[Math.floor(rng.float() * controls.length)])];
    const model = fitLogistic(['x'], Float64Array.from(sample, (r) => r.x), Uint8Array.from(sample, (r) => r.y), { l2: 0.001 });
    const tau = cases.length / population.length;
    const corrected = calibrated(model, calibrationFor(tau, 1 / 11, 365)!);
    // Uncorrected, a child at x = 1 looks about 5 times likelier than they are; corrected, within 15% of the truth.
    const truth = 1 / (1 + Math.exp(5 - 1.5));
    expect(probability(model, [1])).toBeGreaterThan(3 * truth);
    expect(probability(corrected, [1])).toBeGreaterThan(0.85 * truth);
    expect(probability(corrected, [1])).toBeLessThan(1.15 * truth);
    // Calibration in the large: the mean corrected probability over the population matches the event rate.
    const mean = population.reduce((s, r) => s + probability(corrected, [r.x]), 0) / population.length;
    expect(mean / tau).toBeGreaterThan(0.9);
    expect(mean / tau).toBeLessThan(1.1);
  });

  it('refines the shift so that the mean chance over a population equals the rate (calibration in the large)', () => {
    const logits = Float64Array.from({ length: 1000 }, (_, i) => -3 + (i / 1000) * 4);
    const refined = refinedToRate(calibrationFor(0.02, 1 / 11, 365)!, logits);
    const mean = logits.reduce((s, z) => s + 1 / (1 + Math.exp(refined.interceptShift - z)), 0) / logits.length;
    expect(mean).toBeCloseTo(0.02, 6);
    expect(refined.refinedFrom).toBeDefined();
  });
});

describe('the calibration slope', () => {
  const rng = new Rng(5, 2);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());

  it('reads off how much too wide a model spreads its chances', () => {
    // The model says log-odds η; in truth they are −3 + 0.5·η (a model twice as confident as it should be).
    const eta = Float64Array.from({ length: 40_000 }, () => -6 + 2 * normal());
    const accepted = Uint8Array.from(eta, (z) => (rng.float() < 1 / (1 + Math.exp(3 - 0.5 * z)) ? 1 : 0));
    expect(calibrationSlope(eta, accepted)).toBeGreaterThan(0.42);
    expect(calibrationSlope(eta, accepted)).toBeLessThan(0.58);
  });

  it('is not read off fewer than five events, and stays within 0.2–1', () => {
    const eta = Float64Array.from({ length: 100 }, (_, i) => i / 10);
    expect(calibrationSlope(eta, Uint8Array.from(eta, (_, i) => (i >= 100 - (MIN_SLOPE_EVENTS - 1) ? 1 : 0)))).toBeNull();
    // Events only at the very top: a steeper curve than the model's, held at 1.
    expect(calibrationSlope(eta, Uint8Array.from(eta, (_, i) => (i >= 90 ? 1 : 0)))).toBe(1);
  });

  it('scales the calibrated model’s log-odds, and the refined shift keeps the mean chance at the rate', () => {
    const model = { features: ['x'], mean: [0], scale: [1], intercept: -2, coefficients: [1.5], l2: 1, iterations: 1 };
    const logits = Float64Array.from({ length: 1000 }, (_, i) => -2 + 1.5 * (-3 + (i / 1000) * 6));
    const refined = refinedToRate({ ...calibrationFor(0.02, 1 / 11, 365)!, slope: 0.5 }, logits);
    const corrected = calibrated(model, refined);
    for (const x of [-2, 0, 3]) expect(logOdds(corrected, [x])).toBeCloseTo(0.5 * logOdds(model, [x]) - refined.interceptShift, 10);
    const mean = logits.reduce((sum, _, i) => sum + probability(corrected, [-3 + (i / 1000) * 6]), 0) / logits.length;
    expect(mean).toBeCloseTo(0.02, 6);
  });
});
