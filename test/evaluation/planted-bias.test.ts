import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBundle } from '../../synth/generate.js';
import { evaluateBundle, type BundleEvaluation } from '../../reports/evaluate-bundle.js';
import type { AuditFlag } from '../../worker/evaluation/bias-audit.js';
import { launchChromium } from '../helpers/render-in-chromium.js';
import { formatRunSummary } from '../../cli/format-run.js';
import { defaultScoringConfig } from '../../worker/scoring/scoring-config.js';

const PEOPLE = 40_000;
const SEED = 7;
const ARTEFACTS = join(process.cwd(), 'test-artifacts', 'model-card');

/**
 * The generator's recording-bias knob over-records police contact for one
 * group (ethnicity=Black by default) without changing who is exploited. The
 * audit against ground truth must flag that group when the knob is on, and
 * stay quiet about it when it is off: the same seed, so the same children are
 * exploited in both bundles.
 */
describe('eval --bundle: the bias audit finds a planted recording bias, and only then', () => {
  let dir: string;
  let off: BundleEvaluation;
  let on: BundleEvaluation;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-test-bias-'));
    for (const [name, bias] of [['off', 1], ['on', 3]] as const) generateBundle({ people: PEOPLE, seed: SEED, out: join(dir, name), recordingBias: bias });
    // Bristol's band rule lists enough children for the audit to see a planted bias in; the default
    // calibrated list (50 per meeting) is measured in docs/evaluation.md.
    const config = { ...defaultScoringConfig(), list: { ...defaultScoringConfig().list, rule: 'bands' as const } };
    off = await evaluateBundle(join(dir, 'off'), join(dir, 'card-off'), { config });
    on = await evaluateBundle(join(dir, 'on'), join(ARTEFACTS), { config });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const about = (flags: readonly AuditFlag[], group: string) => flags.filter((f) => f.attribute === 'ethnicity' && f.group === group);

  it('flags the over-recorded group with the knob on: more of them listed, more of them wrongly', () => {
    const flags = about(on.evaluation.bias.truth!.flags, 'Black');
    expect(flags.map((f) => `${f.metric} ${f.direction}`)).toEqual(expect.arrayContaining(['falsePositiveRate higher']));
    for (const f of flags) expect(f.low).toBeGreaterThan(1.25);
  });

  it('stays quiet about ethnicity with the knob off', () => {
    expect(off.evaluation.bias.truth!.flags.filter((f) => f.attribute === 'ethnicity')).toEqual([]);
  });

  it('judges the same children exploited in both bundles (the knob changes records, not lives)', () => {
    expect(on.evaluation.truth!.exploited).toBe(off.evaluation.truth!.exploited);
    expect(readFileSync(join(dir, 'on', 'truth.csv'), 'utf8')).toBe(readFileSync(join(dir, 'off', 'truth.csv'), 'utf8'));
  });

  it('writes a model card whose numbers come from the run, with every required part', async () => {
    const e = on.evaluation;
    expect(e.runId).toBe(on.summary.runId);
    expect(e.scores.onList).toBe(on.summary.onList);
    expect(e.holdout!.cutDate).toBe(on.summary.holdout!.cutDate);
    expect(e.holdout!.recallAtStartOfService).toBe(on.summary.holdout!.recallAtStartOfService);
    expect(e.variables.map((v) => v.name)).not.toEqual(expect.arrayContaining(['sex', 'ethnicity', 'imd_decile']));
    expect(JSON.parse(readFileSync(on.json, 'utf8'))).toEqual(e);
    const html = readFileSync(on.html, 'utf8');
    expect(html).toContain(`${(100 * e.truth!.recall).toFixed(1)}%`);
    expect(html).toContain(`${(100 * e.holdout!.recallAtStartOfService).toFixed(1)}%`);
    for (const section of ['Performance on a temporal holdout', 'Bias audit', 'Threshold sensitivity', 'Data used', 'Data quality', 'Top indicators', 'Changes since the last run', 'Labels from the multi-agency meeting', 'Decision support, not a finding']) {
      expect(html).toContain(section);
    }
    // The plain baseline, on the same holdout children and (with truth) against ground truth.
    const b = e.baseline;
    expect(b.holdout!.baseline.averagePrecision).toBeGreaterThan(0);
    expect(b.holdout!.model.averagePrecision).toBe(e.holdout!.averagePrecision);
    expect(b.modelBeatsBaseline).toBe(b.holdout!.model.averagePrecision >= b.holdout!.baseline.averagePrecision);
    expect(b.truth!.baseline.averagePrecision).toBeGreaterThan(0);
    expect(on.summary.evaluation!.baselineAveragePrecision).toBe(b.holdout!.baseline.averagePrecision);
    expect(html).toContain('Beside a plain baseline');
    expect(formatRunSummary(on.summary)).toContain('against a plain baseline on the same children');
    const worse = { ...on.summary, evaluation: { ...on.summary.evaluation!, modelBeatsBaseline: false } };
    expect(formatRunSummary(worse)).toMatch(/WARNING: the model ranks worse than the plain baseline/);
    expect(html).toContain(b.holdout!.baseline.averagePrecision.toFixed(3));
    expect(e.sensitivity.network.map((n) => n.minShared)).toEqual([2, 3, 4, 5]);
    expect(e.sensitivity.network.find((n) => n.minShared === 3)!.listSize).toBe(e.scores.onList);

    // Opened as a person would, offline, in Debian's Chromium.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
      await page.goto(`file://${on.html}`);
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('td.flag').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTEFACTS, 'model-card.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
