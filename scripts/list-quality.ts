/**
 * The list against ground truth, beside the plain baseline, on fresh
 * synthetic bundles: for each seed, the list's size, precision and recall,
 * the average precision of the run's ranking and of the baseline, and the
 * over-18 list's precision, under the default list rule and under Bristol's.
 *
 *   npm run quality:list -- [--people 30000] [--seeds 1,2,3] [--difficulties standard,realistic,quiet] [--as-of 2024-12-31]
 *
 * Truth is read only to judge: the model, the threshold and the list are
 * chosen on the temporal holdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateBundle } from '../reports/evaluate-bundle.js';
import { generateBundle } from '../synth/generate.js';
import type { DifficultyName } from '../synth/difficulty.js';
import { defaultScoringConfig } from '../worker/scoring/scoring-config.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const people = Number(arg('people') ?? 30_000);
const seeds = (arg('seeds') ?? '1,2,3').split(',').map(Number);
const difficulties = (arg('difficulties') ?? 'standard,realistic,quiet').split(',') as DifficultyName[];
const asOf = arg('as-of') ?? '2024-12-31';
const defaults = defaultScoringConfig();
const fmt = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));

const work = mkdtempSync(join(tmpdir(), 'tfd-quality-'));
console.log(`| world | seed | rule | list (share of children) | precision vs truth | recall | AP of the ranking | AP of the baseline | over-18 precision |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
try {
  for (const difficulty of difficulties) for (const seed of seeds) {
    const bundle = join(work, `bundle-${difficulty}-${seed}`);
    generateBundle({ people, seed, out: bundle, end: asOf, difficulty });
    for (const rule of ['model', 'bands'] as const) {
      const config = { ...defaults, list: { ...defaults.list, rule } };
      const { evaluation: e, summary } = await evaluateBundle(bundle, join(work, `card-${difficulty}-${seed}-${rule}`), { asOf, config });
      const t = e.truth!;
      const share = summary.onList / summary.children;
      console.log(
        `| ${difficulty} | ${seed} | ${rule === 'model' ? 'calibrated model (default)' : 'Bristol: max + bands'} | ${summary.onList} (${(100 * share).toFixed(1)}%) | ${fmt(t.precision)} | ${fmt(t.recall)} | ${fmt(e.baseline.truth?.model.averagePrecision)} | ${fmt(e.baseline.truth?.baseline.averagePrecision)} | ${t.overEighteen ? `${fmt(t.overEighteen.precision)} (${t.overEighteen.exploitersListed}/${t.overEighteen.listed})` : 'n/a'} |`,
      );
    }
    rmSync(bundle, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
