import { bisectRight } from 'd3-array';
import { FEATURE_NAMES, FEATURE_SETS, type FeatureSetName } from '../features/feature-catalogue.js';
import { pointInTimeFeatures, type FeatureLayout } from '../features/point-in-time.js';
import { completedYears, isChildOn } from '../../domain/ages.js';
import { NO_DAY } from '../../domain/days.js';
import { Rng } from '../../domain/rng.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { fitLogistic, logOdds, type LogisticModel } from './logistic-regression.js';
import { averagePrecision } from './metrics.js';
import type { TrainingRows } from './training-set.js';

/** Which features the model uses and how hard its coefficients are pulled in. */
export interface ModelCandidate {
  readonly featureSet: FeatureSetName;
  readonly l2: number;
}

/** What a run chose, and how every candidate did. */
export interface ModelChoice extends ModelCandidate {
  /** `cohort`: chosen by cross-validation over the cohort; `default`: too few cohort children to choose. */
  readonly chosenBy: 'cohort' | 'default';
  readonly folds: number;
  /** Cohort children still children on the run date who were held out (the positives the candidates were judged on). */
  readonly heldOutChildren: number;
  /** Children (10–17, never accepted) they were ranked against. */
  readonly comparisonChildren: number;
  readonly candidates: readonly (ModelCandidate & { readonly averagePrecision: number })[];
  /**
   * For the chosen candidate, each held-out cohort child's rank on the run
   * date: how many of the comparison children its fold's model scored above
   * them (ascending). The list's threshold is read off these.
   */
  readonly heldOutRanks: readonly number[];
}

export const DEFAULT_CANDIDATE: ModelCandidate = { featureSet: 'both', l2: 10 };
export const L2_CANDIDATES: readonly number[] = [2, 10, 30];
/** Every feature set with every penalty; on a tie the earlier one wins (fewer features, stronger penalty first). */
export const MODEL_CANDIDATES: readonly ModelCandidate[] = (['all-time', 'recent', 'both'] as const).flatMap((featureSet) =>
  [...L2_CANDIDATES].reverse().map((l2) => ({ featureSet, l2 })),
);

export interface ChoiceOptions {
  readonly folds?: number;
  /** Cases used to choose (the rest still train the final model): bounds the cost on a large TFD. @defaultValue 400 */
  readonly maxCases?: number;
  /** Comparison children sampled at most. @defaultValue 20000 */
  readonly maxComparison?: number;
  /** Fewer held-out children than this and the default is used (and the list falls back to Bristol's bands). @defaultValue 4 */
  readonly minHeldOut?: number;
  readonly seed?: number;
}

const MIN_AGE = 10;

/**
 * Fits on the columns of one feature set; the model still reads the full
 * feature vector (the other coefficients are 0), so scoring, reasons and the
 * model card need not know which set was used.
 */
export function fitOnFeatureSet(x: Float64Array, y: Uint8Array, candidate: ModelCandidate, weights?: Float64Array): LogisticModel {
  return fitColumns(selectColumns(x, null, FEATURE_SETS[candidate.featureSet]), y, candidate, weights);
}

/** The given rows (all when null) of a full-width feature matrix, with only `columns`. */
function selectColumns(x: Float64Array, rows: readonly number[] | null, columns: readonly number[]): Float64Array {
  const width = FEATURE_NAMES.length;
  const n = rows ? rows.length : x.length / width;
  const sub = new Float64Array(n * columns.length);
  for (let r = 0; r < n; r++) {
    const from = (rows ? rows[r] : r) * width;
    for (let j = 0; j < columns.length; j++) sub[r * columns.length + j] = x[from + columns[j]];
  }
  return sub;
}

/** Fits on a feature set's columns already selected, and spreads the model back over the full feature vector. */
function fitColumns(sub: Float64Array, y: Uint8Array, candidate: ModelCandidate, weights?: Float64Array): LogisticModel {
  const width = FEATURE_NAMES.length;
  const columns = FEATURE_SETS[candidate.featureSet];
  const fitted = fitLogistic(columns.map((c) => FEATURE_NAMES[c]), sub, y, { l2: candidate.l2, weights });
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(1);
  const coefficients = new Array<number>(width).fill(0);
  columns.forEach((c, j) => {
    mean[c] = fitted.mean[j];
    scale[c] = fitted.scale[j];
    coefficients[c] = fitted.coefficients[j];
  });
  return { ...fitted, features: [...FEATURE_NAMES], mean, scale, coefficients };
}

/**
 * Chooses the feature set and penalty on the cohort alone (never on anything a
 * real TFD lacks). The list claims "these children look like the children the
 * exploitation service accepted", so each candidate is judged on exactly that:
 * cohort children are split into folds; a model trained without a fold ranks,
 * on the run date, that fold's children (those still under 18) against
 * children aged 10–17 the service never accepted; the candidate with the best
 * mean average precision wins. The rows are those the final model trains on
 * (cases at their start of service with matched comparison children), built
 * once; a fold's children leave the training rows entirely.
 */
export function chooseModel(snapshot: TfdSnapshot, layout: FeatureLayout, asOf: number, rows: TrainingRows, x: Float64Array, options: ChoiceOptions = {}): ModelChoice {
  const folds = options.folds ?? 4;
  const rng = new Rng(options.seed ?? 1, 0xc401);
  // A case's group: its own row and its comparison rows, which follow it.
  const groups: { from: number; to: number; person: number }[] = [];
  for (let i = 0; i < rows.label.length; i++) {
    if (rows.label[i] === 1) groups.push({ from: i, to: i + 1, person: rows.person[i] });
    else if (groups.length) groups[groups.length - 1].to = i + 1;
  }
  rng.shuffle(groups);
  const used = groups.slice(0, options.maxCases ?? 400);
  const isChildNow = (p: number) => snapshot.birth[p] !== NO_DAY && snapshot.birth[p] <= asOf && isChildOn(snapshot.birth[p], asOf);
  const heldOut = used.map((g, k) => ({ ...g, fold: k % folds })).filter((g) => isChildNow(g.person));
  const comparison = comparisonChildren(snapshot, asOf, options.maxComparison ?? 20_000, rng);
  const base = { chosenBy: 'default' as const, folds, heldOutChildren: heldOut.length, comparisonChildren: comparison.length, candidates: [], heldOutRanks: [] };
  if (heldOut.length < (options.minHeldOut ?? 4) || comparison.length === 0) return { ...DEFAULT_CANDIDATE, ...base };

  const buffer = new Float64Array(layout.width);
  const compX = comparison.map((p) => Float64Array.from(pointInTimeFeatures(snapshot, layout, p, asOf, buffer)));
  const heldX = heldOut.map((g) => Float64Array.from(pointInTimeFeatures(snapshot, layout, g.person, asOf, buffer)));
  const scores = MODEL_CANDIDATES.map(() => [] as number[]);
  const ranks = MODEL_CANDIDATES.map(() => [] as number[]);
  for (let f = 0; f < folds; f++) {
    const positives = heldOut.map((g, k) => (g.fold === f ? k : -1)).filter((k) => k >= 0);
    if (positives.length === 0) continue;
    const out = new Set(used.filter((_, k) => k % folds === f).map((g) => g.person));
    const keep: number[] = [];
    used.forEach((g, k) => {
      if (k % folds === f) return;
      for (let i = g.from; i < g.to; i++) if (!out.has(rows.person[i])) keep.push(i);
    });
    const y = Uint8Array.from(keep, (i) => rows.label[i]);
    if (!y.includes(1) || !y.includes(0)) continue;
    // Each feature set's columns of this fold's rows, selected once for its three penalties.
    const subsets = new Map<FeatureSetName, Float64Array>();
    const subset = (set: FeatureSetName) => subsets.get(set) ?? subsets.set(set, selectColumns(x, keep, FEATURE_SETS[set])).get(set)!;
    const labels = [...positives.map(() => 1), ...comparison.map(() => 0)];
    MODEL_CANDIDATES.forEach((candidate, c) => {
      const model = fitColumns(subset(candidate.featureSet), y, candidate);
      const s = [...positives.map((k) => logOdds(model, heldX[k])), ...compX.map((v) => logOdds(model, v))];
      scores[c].push(averagePrecision(s, labels));
      const against = Float64Array.from(s.slice(positives.length)).sort();
      for (let k = 0; k < positives.length; k++) ranks[c].push(against.length - bisectRight(against, s[k]));
    });
  }
  if (scores[0].length === 0) return { ...DEFAULT_CANDIDATE, ...base };
  const candidates = MODEL_CANDIDATES.map((candidate, c) => ({ ...candidate, averagePrecision: scores[c].reduce((a, b) => a + b, 0) / scores[c].length }));
  const best = candidates.reduce((a, b) => (b.averagePrecision > a.averagePrecision ? b : a));
  const heldOutRanks = ranks[candidates.indexOf(best)].sort((a, b) => a - b);
  return { featureSet: best.featureSet, l2: best.l2, ...base, chosenBy: 'cohort', candidates, heldOutRanks };
}

/** Children aged 10–17 on the run date whom the service never accepted by then (a seeded sample when there are more than `max`). */
function comparisonChildren(snapshot: TfdSnapshot, asOf: number, max: number, rng: Rng): number[] {
  const out: number[] = [];
  // A child the meeting found exploited (or referred and accepted) is no comparison child.
  const knownPositive = new Set((snapshot.trainingLabels ?? []).filter((l) => l.kind === 'positive' && l.day <= asOf).map((l) => l.person));
  for (let p = 0; p < snapshot.personIds.length; p++) {
    if (knownPositive.has(p)) continue;
    const birth = snapshot.birth[p];
    const start = snapshot.startOfService[p];
    if (birth === NO_DAY || birth > asOf || !isChildOn(birth, asOf) || completedYears(birth, asOf) < MIN_AGE) continue;
    if (start !== NO_DAY && start <= asOf) continue;
    out.push(p);
  }
  if (out.length <= max) return out;
  rng.shuffle(out);
  return out.slice(0, max);
}
