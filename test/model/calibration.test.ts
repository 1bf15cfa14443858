import { describe, expect, it } from 'vitest';
import { calibrated, calibrationFor, refinedToRate } from '../../worker/model/calibration.js';
import { fitLogistic, probability } from '../../worker/model/logistic-regression.js';
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
