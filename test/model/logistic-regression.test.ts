import { describe, expect, it } from 'vitest';
import { contributions, fitLogistic, logOdds, ModelFitError, probability } from '../../worker/model/logistic-regression.js';
import { atThreshold, averagePrecision } from '../../worker/model/metrics.js';

describe('fitLogistic', () => {
  describe('on a saturated one-feature design', () => {
    // x = 0: 1 of 2 positive; x = 1: 3 of 4 positive. The MLE reproduces both rates.
    const x = Float64Array.from([0, 0, 1, 1, 1, 1]);
    const y = Uint8Array.from([0, 1, 0, 1, 1, 1]);
    const model = fitLogistic(['x'], x, y, { l2: 1e-9 });

    it('recovers the group rates (logit 0 and ln 3)', () => {
      expect(probability(model, [0])).toBeCloseTo(0.5, 6);
      expect(probability(model, [1])).toBeCloseTo(0.75, 6);
      expect(logOdds(model, [1]) - logOdds(model, [0])).toBeCloseTo(Math.log(3), 6);
    });

    it('explains a score exactly: intercept plus contributions is the log-odds', () => {
      const c = contributions(model, [1]);
      expect(model.intercept + c[0]).toBeCloseTo(logOdds(model, [1]), 10);
    });
  });

  it('shrinks coefficients as the penalty grows', () => {
    const x = Float64Array.from([0, 0, 1, 1, 1, 1]);
    const y = Uint8Array.from([0, 1, 0, 1, 1, 1]);
    const loose = fitLogistic(['x'], x, y, { l2: 1e-6 });
    const tight = fitLogistic(['x'], x, y, { l2: 10 });
    expect(Math.abs(tight.coefficients[0])).toBeLessThan(Math.abs(loose.coefficients[0]));
  });

  it('refuses data with one outcome only, naming the module', () => {
    expect(() => fitLogistic(['x'], Float64Array.from([1, 2]), Uint8Array.from([0, 0]))).toThrow(ModelFitError);
    expect(() => fitLogistic(['x'], Float64Array.from([1, 2]), Uint8Array.from([0, 0]))).toThrow(/logistic-regression: needs both outcomes/);
  });
});

describe('averagePrecision', () => {
  it('matches a hand-computed case', () => {
    // ranks: 0.9 (pos) 0.8 (neg) 0.7 (pos) 0.1 (neg): AP = (1/1 + 2/3) / 2
    expect(averagePrecision([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });
});

describe('atThreshold', () => {
  it('counts recall and precision', () => {
    expect(atThreshold([90, 70, 50, 10], [1, 0, 1, 1], 60)).toEqual({ flagged: 2, truePositives: 1, positives: 3, recall: 1 / 3, precision: 1 / 2 });
  });
});
