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

/** Which features a candidate model uses and how hard its coefficients are pulled in. */
export interface ModelCandidate {
  readonly featureSet: FeatureSetName;
  readonly l2: number;
}

/**
 * The model a run uses: the mean log-odds of its members, each fitted on its
 * own feature set with its own penalty. A mean of logistic models is still
 * one logistic model (the coefficients average), so every score still
 * decomposes indicator by indicator.
 */
export interface ModelBlend {
  readonly members: readonly ModelCandidate[];
}

/** What a run chose, and how every candidate did. */
export interface ModelChoice extends ModelBlend {
  /** `cohort`: chosen by cross-validation over the cohort; `default`: too few cohort children to choose. */
  readonly chosenBy: 'cohort' | 'default';
  readonly folds: number;
  /** Cohort children still children on the run date who were held out (the positives the candidates were judged on). */
  readonly heldOutChildren: number;
  /** Children (10–17, never accepted) they were ranked against. */
  readonly comparisonChildren: number;
  /**
   * How many children of the run each comparison child stands for, relative
   * to each held-out child (1 unless the cohort or the comparison children
   * were sampled to bound the cost): the list's precision is read with it.
   */
  readonly comparisonWeight: number;
  readonly candidates: readonly (ModelCandidate & { readonly averagePrecision: number })[];
  /** The blend's own mean average precision over the same folds; null with the default. */
  readonly averagePrecision: number | null;
  /**
   * For the blend, each held-out cohort child's rank on the run date: how
   * many of the comparison children its fold's blend scored above them
   * (ascending). The list's threshold is read off these.
   */
  readonly heldOutRanks: readonly number[];
}

export const DEFAULT_CANDIDATE: ModelCandidate = { featureSet: 'both', l2: 10 };
export const DEFAULT_BLEND: ModelBlend = { members: [DEFAULT_CANDIDATE] };
/** How many of the best candidates the blend averages. */
export const BLEND_SIZE = 3;
export const L2_CANDIDATES: readonly number[] = [2, 10, 30];
/** Every feature set with every penalty; on a tie the earlier one wins (fewer features, stronger penalty first). */
export const MODEL_CANDIDATES: readonly ModelCandidate[] = (['all-time', 'all-time-network', 'recent', 'both'] as const).flatMap((featureSet) =>
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

/** The feature vector a model reads: its names and each feature set's positions (a run's layout, or the catalogue alone). */
export interface ModelColumns {
  readonly names: readonly string[];
  readonly sets: Readonly<Record<FeatureSetName, readonly number[]>>;
}

export const CATALOGUE_COLUMNS: ModelColumns = { names: FEATURE_NAMES, sets: FEATURE_SETS };

/**
 * Fits on the columns of one feature set; the model still reads the full
 * feature vector (the other coefficients are 0), so scoring, reasons and the
 * model card need not know which set was used.
 */
export function fitOnFeatureSet(x: Float64Array, y: Uint8Array, candidate: ModelCandidate, weights?: Float64Array, columns: ModelColumns = CATALOGUE_COLUMNS): LogisticModel {
  return fitColumns(selectColumns(x, null, columns.sets[candidate.featureSet], columns.names.length), y, candidate, columns, weights);
}

/** "all-time features with L2 penalty 30, …": the blend's members in words. */
export function describeBlend(blend: ModelBlend): string {
  return blend.members.map((m) => `${m.featureSet} features with L2 penalty ${m.l2}`).join('; ');
}

/** Fits every member of the blend and averages them into one model. */
export function fitBlend(x: Float64Array, y: Uint8Array, blend: ModelBlend, weights?: Float64Array, columns: ModelColumns = CATALOGUE_COLUMNS): LogisticModel {
  return blendModels(blend.members.map((m) => fitOnFeatureSet(x, y, m, weights, columns)));
}

/**
 * The model whose log-odds are the mean of `models`' (fitted on the same rows
 * over the full feature vector). A feature's standardisation is the same in
 * every model that uses it (same rows), so its coefficients simply average;
 * a model that leaves it out contributes 0.
 */
export function blendModels(models: readonly LogisticModel[]): LogisticModel {
  if (models.length === 0) throw new Error('a blend needs at least one model');
  if (models.length === 1) return models[0];
  const width = models[0].features.length;
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(1);
  const coefficients = new Array<number>(width).fill(0);
  for (const m of models) {
    for (let j = 0; j < width; j++) {
      if (m.coefficients[j] === 0) continue;
      mean[j] = m.mean[j];
      scale[j] = m.scale[j];
      coefficients[j] += m.coefficients[j] / models.length;
    }
  }
  return {
    features: models[0].features,
    mean,
    scale,
    coefficients,
    intercept: models.reduce((a, m) => a + m.intercept, 0) / models.length,
    l2: Math.min(...models.map((m) => m.l2)),
    iterations: Math.max(...models.map((m) => m.iterations)),
  };
}

/** The given rows (all when null) of a full-width feature matrix, with only `columns`. */
function selectColumns(x: Float64Array, rows: readonly number[] | null, columns: readonly number[], width: number): Float64Array {
  const n = rows ? rows.length : x.length / width;
  const sub = new Float64Array(n * columns.length);
  for (let r = 0; r < n; r++) {
    const from = (rows ? rows[r] : r) * width;
    for (let j = 0; j < columns.length; j++) sub[r * columns.length + j] = x[from + columns[j]];
  }
  return sub;
}

/** Fits on a feature set's columns already selected, and spreads the model back over the full feature vector. */
function fitColumns(sub: Float64Array, y: Uint8Array, candidate: ModelCandidate, all: ModelColumns, weights?: Float64Array): LogisticModel {
  const width = all.names.length;
  const columns = all.sets[candidate.featureSet];
  const fitted = fitLogistic(columns.map((c) => all.names[c]), sub, y, { l2: candidate.l2, weights });
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(1);
  const coefficients = new Array<number>(width).fill(0);
  columns.forEach((c, j) => {
    mean[c] = fitted.mean[j];
    scale[c] = fitted.scale[j];
    coefficients[c] = fitted.coefficients[j];
  });
  return { ...fitted, features: [...all.names], mean, scale, coefficients };
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
  const { sample: comparison, population } = comparisonChildren(snapshot, asOf, options.maxComparison ?? 20_000, rng);
  const cohortChildren = groups.filter((g) => isChildNow(g.person)).length;
  const comparisonWeight = heldOut.length === 0 || comparison.length === 0 ? 1 : population / comparison.length / (cohortChildren / heldOut.length);
  const base = { chosenBy: 'default' as const, folds, heldOutChildren: heldOut.length, comparisonChildren: comparison.length, comparisonWeight, candidates: [], averagePrecision: null, heldOutRanks: [] };
  if (heldOut.length < (options.minHeldOut ?? 4) || comparison.length === 0) return { ...DEFAULT_BLEND, ...base };

  const buffer = new Float64Array(layout.width);
  const compX = comparison.map((p) => Float64Array.from(pointInTimeFeatures(snapshot, layout, p, asOf, buffer)));
  const heldX = heldOut.map((g) => Float64Array.from(pointInTimeFeatures(snapshot, layout, g.person, asOf, buffer)));
  // Per fold, every candidate's log-odds for that fold's held-out children then the comparison children: the blend is judged on the same folds.
  const folded: { positives: number; labels: Uint8Array; logits: Float64Array[] }[] = [];
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
    const subset = (set: FeatureSetName) => subsets.get(set) ?? subsets.set(set, selectColumns(x, keep, layout.sets[set], layout.width)).get(set)!;
    folded.push({
      positives: positives.length,
      labels: Uint8Array.from({ length: positives.length + comparison.length }, (_, i) => (i < positives.length ? 1 : 0)),
      logits: MODEL_CANDIDATES.map((candidate) => {
        const model = fitColumns(subset(candidate.featureSet), y, candidate, layout);
        return Float64Array.from([...positives.map((k) => logOdds(model, heldX[k])), ...compX.map((v) => logOdds(model, v))]);
      }),
    });
  }
  if (folded.length === 0) return { ...DEFAULT_BLEND, ...base };
  const meanAp = (logitsOf: (fold: (typeof folded)[number]) => Float64Array) => folded.reduce((a, fold) => a + averagePrecision(logitsOf(fold), fold.labels), 0) / folded.length;
  const candidates = MODEL_CANDIDATES.map((candidate, c) => ({ ...candidate, averagePrecision: meanAp((fold) => fold.logits[c]) }));
  // The best few, not the best one: with a few dozen held-out children the winner is partly luck, and the mean of the leaders ranks more steadily.
  const leaders = candidates.map((_, c) => c).sort((a, b) => candidates[b].averagePrecision - candidates[a].averagePrecision || a - b).slice(0, BLEND_SIZE);
  const blended = (fold: (typeof folded)[number]) => {
    const out = new Float64Array(fold.logits[0].length);
    for (const c of leaders) for (let i = 0; i < out.length; i++) out[i] += fold.logits[c][i] / leaders.length;
    return out;
  };
  const heldOutRanks: number[] = [];
  for (const fold of folded) {
    const s = blended(fold);
    const against = s.slice(fold.positives).sort();
    for (let k = 0; k < fold.positives; k++) heldOutRanks.push(against.length - bisectRight(against, s[k]));
  }
  heldOutRanks.sort((a, b) => a - b);
  return { members: leaders.map((c) => MODEL_CANDIDATES[c]), ...base, chosenBy: 'cohort', candidates, averagePrecision: meanAp(blended), heldOutRanks };
}

/** Children aged 10–17 on the run date whom the service never accepted by then (a seeded sample when there are more than `max`), and how many there are. */
function comparisonChildren(snapshot: TfdSnapshot, asOf: number, max: number, rng: Rng): { sample: number[]; population: number } {
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
  if (out.length <= max) return { sample: out, population: out.length };
  rng.shuffle(out);
  return { sample: out.slice(0, max), population: out.length };
}
