import { describe, expect, it } from 'vitest';
import { brierScore, calibrationBins, precisionRecallCurve, rocAuc } from '../../worker/model/metrics.js';
import { biasAudit, type AuditSubject } from '../../worker/evaluation/bias-audit.js';
import { rateRatio, wilsonInterval } from '../../worker/evaluation/proportions.js';
import { bandSensitivity } from '../../worker/evaluation/sensitivity.js';

describe('evaluation measures against hand-computed cases', () => {
  it('ROC AUC counts the share of positive–negative pairs ranked the right way, ties half', () => {
    // Pairs (pos, neg): (0.9,0.1) ✓, (0.9,0.4) ✓, (0.3,0.1) ✓, (0.3,0.4) ✗ → 3/4.
    expect(rocAuc([0.9, 0.3, 0.1, 0.4], [1, 1, 0, 0])).toBeCloseTo(0.75, 12);
    // One tie between a positive and a negative counts half: (0.5,0.5) ½ + (0.5,0.2) 1 → 0.75.
    expect(rocAuc([0.5, 0.5, 0.2], [1, 0, 0])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNaN();
  });

  it('Brier score is the mean squared error of probabilities', () => {
    // (0.8−1)² + (0.4−0)² + (0.5−1)² = 0.04 + 0.16 + 0.25 = 0.45 → 0.15.
    expect(brierScore([0.8, 0.4, 0.5], [1, 0, 1])).toBeCloseTo(0.15, 12);
  });

  it('calibration bins hold mean predicted and observed rate, empty bins dropped', () => {
    const bins = calibrationBins([0.05, 0.15, 0.12, 0.95], [0, 1, 0, 1], 10);
    expect(bins.map((b) => [b.from, b.count])).toEqual([
      [0, 1],
      [0.1, 2],
      [0.9, 1],
    ]);
    expect(bins[1].meanPredicted).toBeCloseTo(0.135, 12);
    expect(bins[1].observedRate).toBe(0.5);
  });

  it('the precision–recall curve steps through each distinct score', () => {
    expect(precisionRecallCurve([0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0])).toEqual([
      { threshold: 0.9, recall: 0.5, precision: 1, flagged: 1 },
      { threshold: 0.8, recall: 1, precision: 2 / 3, flagged: 3 },
      { threshold: 0.1, recall: 1, precision: 0.5, flagged: 4 },
    ]);
  });

  it('Wilson interval and the Katz rate-ratio interval match published worked values', () => {
    // Wilson, 8 of 10: 0.490–0.943 (Newcombe 1998, table I).
    const w = wilsonInterval(8, 10);
    expect(w.low).toBeCloseTo(0.4902, 3);
    expect(w.high).toBeCloseTo(0.9433, 3);
    // (20/100)/(10/100) = 2; SE(log) = sqrt(1/20 − 1/100 + 1/10 − 1/100) = sqrt(0.13).
    const r = rateRatio(20, 100, 10, 100);
    expect(r.ratio).toBe(2);
    expect(r.low).toBeCloseTo(2 * Math.exp(-1.96 * Math.sqrt(0.13)), 10);
    expect(r.high).toBeCloseTo(2 * Math.exp(1.96 * Math.sqrt(0.13)), 10);
    // A zero count gets the Haldane correction rather than a ratio of 0.
    expect(rateRatio(0, 10, 5, 100).ratio).toBeGreaterThan(0);
  });

  it('band sensitivity lists Topaz victims at every threshold', () => {
    const children = [
      { person: 0, final: 80, topazVictim: false },
      { person: 1, final: 40, topazVictim: false },
      { person: 2, final: 5, topazVictim: true },
      { person: 3, final: 10, topazVictim: false },
    ];
    const rows = bandSensitivity(children, (p) => p === 1 || p === 3, [35, 60]);
    expect(rows).toEqual([
      { threshold: 35, listSize: 3, recall: 0.5, precision: 1 / 3 },
      { threshold: 60, listSize: 2, recall: 0, precision: 0 },
    ]);
  });
});

describe('biasAudit', () => {
  const subject = (ethnicity: string, listed: boolean, positive: boolean): AuditSubject => ({ groups: { sex: 'F', ethnicity, imd_quintile: 'Q3', area: 'A1', age_band: '13–15' }, listed, positive });
  const many = (n: number, make: () => AuditSubject) => Array.from({ length: n }, make);

  it('computes each group’s rates and ratios to the largest group, and flags a disparity the data supports', () => {
    const subjects = [
      // Reference (largest): 1,000 children, 20 positives of whom 10 listed, 20 false positives of 980.
      ...many(10, () => subject('A', true, true)),
      ...many(10, () => subject('A', false, true)),
      ...many(20, () => subject('A', true, false)),
      ...many(960, () => subject('A', false, false)),
      // B: 400 children, no positives, 40 false positives of 400 (10% vs 2.04%: ratio 4.9).
      ...many(40, () => subject('B', true, false)),
      ...many(360, () => subject('B', false, false)),
    ];
    const audit = biasAudit(subjects, 'test');
    const ethnicity = audit.attributes.find((a) => a.attribute === 'ethnicity')!;
    expect(ethnicity.reference).toBe('A');
    const b = ethnicity.groups.find((g) => g.group === 'B')!;
    expect(b.rates.falsePositiveRate.value).toBeCloseTo(0.1, 12);
    expect(b.disparities.falsePositiveRate!.ratio).toBeCloseTo(0.1 / (20 / 980), 10);
    expect(b.disparities.falsePositiveRate!.flagged).toBe(true);
    expect(b.rates.recall.denominator).toBe(0);
    expect(b.disparities.recall).toBeUndefined();
    // Error rates are flagged; a list rate outside the band is context (need differs between groups).
    expect(audit.flags.map((f) => `${f.group} ${f.metric} ${f.direction}`)).toEqual(['B falsePositiveRate higher']);
    expect(audit.context.map((f) => `${f.group} ${f.metric} ${f.direction}`)).toEqual(['B listRate higher']);
  });

  it('does not flag a small group on a handful of children, however far its point estimate is', () => {
    const subjects = [...many(20, () => subject('A', true, false)), ...many(980, () => subject('A', false, false)), ...many(1, () => subject('C', true, false)), ...many(9, () => subject('C', false, false))];
    const c = biasAudit(subjects, 'test').attributes.find((a) => a.attribute === 'ethnicity')!.groups.find((g) => g.group === 'C')!;
    expect(c.disparities.falsePositiveRate!.ratio).toBeCloseTo(5, 10);
    expect(c.disparities.falsePositiveRate!.flagged).toBe(false);
  });
});
