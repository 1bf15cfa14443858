import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../worker/features/feature-catalogue.js';
import { explainReasons, featurePhrase } from '../../worker/reasons/reasons.js';
import { bandOf, DEFAULT_BANDS, DEFAULT_POLICE_ONLY_REASONS } from '../../worker/scoring/scoring-config.js';
import type { FiredRule } from '../../worker/scoring/index-score.js';
import { DECISION_SUPPORT_STATEMENT } from '../../domain/decision-support.js';
import { dayOf, NO_DAY } from '../../domain/days.js';
import { audienceOf, reasonParagraph } from '../../domain/reason-item.js';

const vector = (entries: Record<string, number>) => Float64Array.from(FEATURE_NAMES, (n) => entries[n] ?? 0);

const NO_EVIDENCE = () => ({ day: NO_DAY, source: 'model' });
const TOPAZ: FiredRule = { id: 'topaz_victim', text: 'they are monitored by Op Topaz', day: dayOf('2025-03-01'), source: 'topaz' };

describe('explainReasons', () => {
  it('puts index reasons first, then the strongest model contributions, then family context; the paragraph says it is decision support', () => {
    const values = vector({ missing_episode_12m: Math.log1p(4), child_protection_plan_open: 1, family_homeless_36m: 1, family_child_protection_plan_36m: 1, age: 0.8 });
    const contributions = vector({ missing_episode_12m: 1.2, child_protection_plan_open: 0.6, family_homeless_36m: 0.3, age: 0.5 });
    const items = explainReasons({ fired: [TOPAZ], features: FEATURE_NAMES, values, contributions, missingPersonRisk: 42.4, conductFlags: 0, conductRisk: false, evidence: NO_EVIDENCE, policeOnly: DEFAULT_POLICE_ONLY_REASONS });
    expect(reasonParagraph(items)).toBe(
      'This person was deemed at risk because they are monitored by Op Topaz; they have been reported missing 4 times in the last 12 months; they are on a child protection plan. ' +
        'This person has the following contextual risk factors relating to at least one member of their family - they are on a CP Plan and they have been reported as homeless. ' +
        'Missing Person risk (of going missing again): 42%. ' +
        DECISION_SUPPORT_STATEMENT,
    );
    expect(items.map((i) => i.code)).toEqual(['index:topaz_victim', 'feature:missing_episode', 'feature:child_protection_plan', 'family:child_protection_plan', 'family:homeless', 'missing_person_risk']);
  });

  it('marks police-only reasons by the configuration, and carries evidence dates and sources', () => {
    const values = vector({ cse_flagged_events_12m: Math.log1p(2), missing_episode_12m: Math.log1p(2) });
    const contributions = vector({ cse_flagged_events_12m: 1.0, missing_episode_12m: 0.9 });
    const evidence = (feature: string) => (feature === 'missing_episode_12m' ? { day: dayOf('2025-05-02'), source: 'police' } : { day: dayOf('2025-04-01'), source: 'police' });
    const items = explainReasons({ fired: [TOPAZ], features: FEATURE_NAMES, values, contributions, missingPersonRisk: null, conductFlags: 0, conductRisk: false, evidence, policeOnly: DEFAULT_POLICE_ONLY_REASONS });
    expect(items.map((i) => [i.code, i.audience, i.evidenceDate, i.source])).toEqual([
      ['index:topaz_victim', 'police', '2025-03-01', 'topaz'],
      ['feature:cse_flagged_events_12m', 'police', '2025-04-01', 'police'],
      ['feature:missing_episode', 'everyone', '2025-05-02', 'police'],
    ]);
    const open = explainReasons({ fired: [TOPAZ], features: FEATURE_NAMES, values, contributions, missingPersonRisk: null, conductFlags: 0, conductRisk: false, evidence, policeOnly: [] });
    expect(open.every((i) => i.audience === 'everyone')).toBe(true);
  });

  it('says so when nothing stands out, and still carries the decision-support statement', () => {
    const zero = vector({});
    const text = reasonParagraph(explainReasons({ fired: [], features: FEATURE_NAMES, values: zero, contributions: zero, missingPersonRisk: null, conductFlags: 4, conductRisk: true, evidence: NO_EVIDENCE, policeOnly: [] }));
    expect(text).toMatch(/^No single factor stands out/);
    expect(text).toMatch(/Conduct disorder risk: 4 conduct-related records/);
    expect(text.endsWith(DECISION_SUPPORT_STATEMENT)).toBe(true);
  });

  it('reads all-time counts as counts "in all", and a spell as having happened at some time', () => {
    expect(featurePhrase('missing_episode_ever', Math.log1p(5))).toBe('they have been reported missing 5 times in all');
    expect(featurePhrase('looked_after_ever', Math.log1p(1))).toBe('they have been looked after (in care) at some time');
    expect(featurePhrase('police_intelligence_ever', Math.log1p(3))).toBe('they appear in 3 police intelligence record(s) in all');
    expect(featurePhrase('police_cse_tagged_ever', Math.log1p(2))).toBe('they are named in 2 police record(s) tagged CSE in all');
    // Family context is told once, from the 36-month flags, not from the family's all-time counts.
    expect(featurePhrase('family_ever_offence', Math.log1p(4))).toBeNull();
  });

  it('never calls anyone a victim or an offender', () => {
    for (const name of FEATURE_NAMES) expect(featurePhrase(name, 1) ?? '').not.toMatch(/\b(victim of CSE|offender|perpetrator of CSE)\b/);
  });
});

describe('audienceOf', () => {
  it('matches exact codes and prefixes ending in *', () => {
    expect(audienceOf('over18:listed_children', ['over18:*'])).toBe('police');
    expect(audienceOf('index:topaz_victim', ['index:topaz_victim'])).toBe('police');
    expect(audienceOf('index:topaz_victim_x', ['index:topaz_victim'])).toBe('everyone');
    expect(audienceOf('feature:missing_episode', DEFAULT_POLICE_ONLY_REASONS)).toBe('everyone');
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
    expect(config.indexRules.version).toBe('scoring-v1.3');
    expect(config.policeOnlyReasons).toEqual(DEFAULT_POLICE_ONLY_REASONS);
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
