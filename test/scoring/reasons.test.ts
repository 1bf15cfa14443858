import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../worker/features/feature-catalogue.js';
import { DECISION_SUPPORT, explainScore, featurePhrase } from '../../worker/reasons/reasons.js';
import { bandOf, DEFAULT_BANDS } from '../../worker/scoring/scoring-config.js';

const vector = (entries: Record<string, number>) => Float64Array.from(FEATURE_NAMES, (n) => entries[n] ?? 0);

describe('explainScore', () => {
  it('puts index reasons first, then the strongest model contributions, then family context, and says it is decision support', () => {
    const values = vector({ missing_episode_12m: Math.log1p(4), child_protection_plan_open: 1, family_homeless_36m: 1, family_child_protection_plan_36m: 1, age: 0.8 });
    const contributions = vector({ missing_episode_12m: 1.2, child_protection_plan_open: 0.6, family_homeless_36m: 0.3, age: 0.5 });
    const text = explainScore({ indexReasons: ['they are monitored by Op Topaz'], features: FEATURE_NAMES, values, contributions, missingPersonRisk: 42.4, conductFlags: 0, conductRisk: false });
    expect(text).toBe(
      'This person was deemed at risk because they are monitored by Op Topaz; they have been reported missing 4 times in the last 12 months; they are on a child protection plan. ' +
        'This person has the following contextual risk factors relating to at least one member of their family - they are on a CP Plan and they have been reported as homeless. ' +
        'Missing Person risk (of going missing again): 42%. ' +
        DECISION_SUPPORT,
    );
  });

  it('says so when nothing stands out, and still carries the decision-support statement', () => {
    const zero = vector({});
    const text = explainScore({ indexReasons: [], features: FEATURE_NAMES, values: zero, contributions: zero, missingPersonRisk: null, conductFlags: 4, conductRisk: true });
    expect(text).toMatch(/^No single factor stands out/);
    expect(text).toMatch(/Conduct disorder risk: 4 conduct-related records/);
    expect(text.endsWith(DECISION_SUPPORT)).toBe(true);
  });

  it('never calls anyone a victim or an offender', () => {
    for (const name of FEATURE_NAMES) expect(featurePhrase(name, 1) ?? '').not.toMatch(/\b(victim of CSE|offender|perpetrator of CSE)\b/);
  });
});

describe('bandOf', () => {
  it('applies the configured thresholds inclusively', () => {
    expect(bandOf(DEFAULT_BANDS.high, DEFAULT_BANDS)).toBe('high');
    expect(bandOf(DEFAULT_BANDS.high - 0.1, DEFAULT_BANDS)).toBe('medium');
    expect(bandOf(DEFAULT_BANDS.low - 0.1, DEFAULT_BANDS)).toBe('none');
  });
});

describe('loadScoringConfig', () => {
  it('reads the shipped v1 file', async () => {
    const { loadScoringConfig } = await import('../../worker/scoring/scoring-config.js');
    const config = loadScoringConfig();
    expect(config.indexRules.version).toBe('scoring-v1');
    expect(config.indexRules.rules.map((r) => r.id)).toContain('topaz_victim');
  });
  it('refuses bands out of order and unknown rules, naming the file and the field', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadScoringConfig, ScoringConfigError } = await import('../../worker/scoring/scoring-config.js');
    const path = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'bad.json');
    writeFileSync(path, JSON.stringify({ version: 'x', bands: { high: 10, medium: 50, low: 5 }, conductThreshold: 3, indexRules: [{ id: 'astrology', points: 5, reason: 'r' }] }));
    expect(() => loadScoringConfig(path)).toThrow(ScoringConfigError);
    expect(() => loadScoringConfig(path)).toThrow(/bad\.json is not valid: .*indexRules\.0\.id/);
  });
});
