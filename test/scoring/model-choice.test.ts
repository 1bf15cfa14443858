import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_SETS, FEATURES, POLICE_RECORD_TYPES } from '../../worker/features/feature-catalogue.js';
import { fitLogistic, logOdds } from '../../worker/model/logistic-regression.js';
import { blendModels, fitBlend, fitOnFeatureSet, MODEL_CANDIDATES } from '../../worker/model/model-choice.js';
import { EVENT_TYPES } from '../../worker/snapshot/tfd-snapshot.js';
import { Rng } from '../../domain/rng.js';

/** `n` rows of uniform features whose outcome follows the sum of two of them. */
function rowsFollowing(features: readonly [string, string], n: number, seed: number): { x: Float64Array; y: Uint8Array } {
  const rng = new Rng(seed);
  const width = FEATURE_NAMES.length;
  const x = new Float64Array(n * width);
  const y = new Uint8Array(n);
  const [a, b] = features.map((f) => FEATURE_NAMES.indexOf(f));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) x[i * width + j] = rng.float();
    const signal = x[i * width + a] + x[i * width + b];
    y[i] = rng.float() < 1 / (1 + Math.exp(-(6 * signal - 6))) ? 1 : 0;
  }
  return { x, y };
}

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
    expect(MODEL_CANDIDATES.map((c) => `${c.featureSet}/${c.l2}`)).toEqual([
      'all-time/30', 'all-time/10', 'all-time/2', 'all-time-network/30', 'all-time-network/10', 'all-time-network/2',
      'recent/30', 'recent/10', 'recent/2', 'both/30', 'both/10', 'both/2',
    ]);
  });
  it('all-time-network is the all-time set with the network features (associates, closeness, risky places)', () => {
    const allTime = new Set(FEATURE_SETS['all-time']);
    const added = FEATURE_SETS['all-time-network'].filter((i) => !allTime.has(i)).map((i) => FEATURE_NAMES[i]);
    expect(added.sort()).toEqual(['assoc_at_risk_1hop', 'assoc_at_risk_2hop', 'assoc_risky_tie_strength', 'network_degree', 'network_proximity_to_risk', 'network_unavailable', 'risky_place_visits_12m']);
    for (const i of FEATURE_SETS['all-time']) expect(FEATURE_SETS['all-time-network']).toContain(i);
  });
});

describe('fitOnFeatureSet', () => {
  it('fits on the set’s columns only, and scores the full vector exactly as that fit does', () => {
    const width = FEATURE_NAMES.length;
    const n = 400;
    // The outcome follows one all-time feature and one recent one.
    const { x, y } = rowsFollowing(['missing_episode_ever', 'missing_episode_3m'], n, 7);
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

describe('fitBlend', () => {
  it('is one logistic model whose log-odds are the mean of its members’ fitted alone', () => {
    const width = FEATURE_NAMES.length;
    const n = 300;
    const { x, y } = rowsFollowing(['police_cse_tagged_ever', 'assoc_at_risk_2hop'], n, 11);
    const members = [
      { featureSet: 'all-time', l2: 30 },
      { featureSet: 'recent', l2: 10 },
      { featureSet: 'all-time-network', l2: 2 },
    ] as const;
    const alone = members.map((m) => fitOnFeatureSet(x, y, m));
    const blend = fitBlend(x, y, { members });
    expect(blend.features).toEqual(FEATURE_NAMES);
    for (let i = 0; i < n; i += 7) {
      const row = x.subarray(i * width, (i + 1) * width);
      expect(logOdds(blend, row)).toBeCloseTo(alone.reduce((a, m) => a + logOdds(m, row), 0) / 3, 10);
    }
    // A feature no member uses stays out of the blend.
    const unused = FEATURE_NAMES.map((_, j) => j).filter((j) => alone.every((m) => m.coefficients[j] === 0));
    for (const j of unused) expect(blend.coefficients[j]).toBe(0);
    expect(blendModels([alone[0]])).toBe(alone[0]);
  });
});
