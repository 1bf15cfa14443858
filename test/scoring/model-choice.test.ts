import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_SETS, FEATURES, POLICE_RECORD_TYPES } from '../../worker/features/feature-catalogue.js';
import { fitLogistic, logOdds } from '../../worker/model/logistic-regression.js';
import { fitOnFeatureSet, MODEL_CANDIDATES } from '../../worker/model/model-choice.js';
import { EVENT_TYPES } from '../../worker/snapshot/tfd-snapshot.js';
import { Rng } from '../../domain/rng.js';

describe('feature sets', () => {
  it('split the catalogue: recent and all-time share only the context features, and both is everything', () => {
    const recent = new Set(FEATURE_SETS.recent);
    const allTime = new Set(FEATURE_SETS['all-time']);
    const shared = FEATURE_SETS.recent.filter((i) => allTime.has(i)).map((i) => FEATURE_NAMES[i]);
    expect(shared.sort()).toEqual(['age', 'age_11_17', 'no_dwp_source', 'no_early_help_source', 'no_education_source', 'no_health_source', 'no_housing_source', 'no_police_source', 'no_school_census_source', 'no_social_care_source']);
    expect(FEATURE_SETS.both.length).toBe(FEATURES.length);
    for (let i = 0; i < FEATURES.length; i++) expect(recent.has(i) || allTime.has(i)).toBe(true);
    expect(FEATURE_SETS['all-time'].map((i) => FEATURE_NAMES[i])).toContain('police_cse_tagged_ever');
    expect(FEATURE_SETS.recent.map((i) => FEATURE_NAMES[i])).not.toContain('missing_episode_ever');
  });
  it('name police record types in the snapshot’s order', () => {
    expect([...POLICE_RECORD_TYPES]).toEqual([...EVENT_TYPES]);
  });
  it('offer every set with every penalty', () => {
    expect(MODEL_CANDIDATES.map((c) => `${c.featureSet}/${c.l2}`)).toEqual(['all-time/30', 'all-time/10', 'all-time/2', 'recent/30', 'recent/10', 'recent/2', 'both/30', 'both/10', 'both/2']);
  });
});

describe('fitOnFeatureSet', () => {
  it('fits on the set’s columns only, and scores the full vector exactly as that fit does', () => {
    const rng = new Rng(7);
    const width = FEATURE_NAMES.length;
    const n = 400;
    const x = new Float64Array(n * width);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < width; j++) x[i * width + j] = rng.float();
      // The outcome follows one all-time feature and one recent one.
      const signal = x[i * width + FEATURE_NAMES.indexOf('missing_episode_ever')] + x[i * width + FEATURE_NAMES.indexOf('missing_episode_3m')];
      y[i] = rng.float() < 1 / (1 + Math.exp(-(6 * signal - 6))) ? 1 : 0;
    }
    const columns = FEATURE_SETS['all-time'];
    const model = fitOnFeatureSet(x, y, { featureSet: 'all-time', l2: 10 });
    const sub = new Float64Array(n * columns.length);
    for (let i = 0; i < n; i++) columns.forEach((c, j) => (sub[i * columns.length + j] = x[i * width + c]));
    const direct = fitLogistic(columns.map((c) => FEATURE_NAMES[c]), sub, y, { l2: 10 });
    expect(model.features).toEqual(FEATURE_NAMES);
    FEATURE_NAMES.forEach((name, i) => {
      if (!columns.includes(i)) expect(model.coefficients[i], name).toBe(0);
    });
    expect(model.coefficients[FEATURE_NAMES.indexOf('missing_episode_3m')]).toBe(0);
    expect(model.coefficients[FEATURE_NAMES.indexOf('missing_episode_ever')]).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) expect(logOdds(model, x.subarray(i * width, (i + 1) * width))).toBeCloseTo(logOdds(direct, sub.subarray(i * columns.length, (i + 1) * columns.length)), 10);
  });
});
