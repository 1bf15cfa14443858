import type { ModelChoice } from '../model/model-choice.js';
import type { LabelProvenance } from '../model/train.js';
import { DECISION_SUPPORT_STATEMENT } from '../../domain/decision-support.js';
import { FEATURES, type FeatureDefinition } from '../features/feature-catalogue.js';
import type { LogisticModel } from '../model/logistic-regression.js';
import { atThreshold, averagePrecision, brierScore, calibrationBins, calibrationByGroups, precisionRecallCurve, rocAuc, type CalibrationBin, type CurvePoint } from '../model/metrics.js';
import type { HoldoutDetail } from '../model/train.js';
import { ageBand, completedYears } from '../../domain/ages.js';
import { isoOf, NO_DAY } from '../../domain/days.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { biasAudit, imdQuintile, type AuditSubject, type BiasAudit } from './bias-audit.js';
import { dataProfile, type DataProfile } from './data-profile.js';
import { bandSensitivity, type NetworkThresholdRow, type ThresholdRow } from './sensitivity.js';


/** A child scored by the run, as the evaluation needs them. */
export interface EvaluatedChild {
  readonly person: number;
  readonly age: number;
  readonly final: number;
  /** What the list ranks by: the calibrated chance where there is one (unrounded), else the final score. */
  readonly ranking: number;
  readonly onList: boolean;
  readonly topazVictim: boolean;
}

/** Synthetic ground truth, when the bundle has it (never in production). */
export interface TruthLabels {
  /** Exploited on or before the day (a day number): children exploited only later are not victims yet. */
  readonly exploited: (personId: string, asOf: number) => boolean;
  /** Known to an agency by the run date (a day number): in the cohort or with a Topaz victim marker. */
  readonly known: (personId: string, asOf: number) => boolean;
  /** An adult the generator made an exploiter or facilitator. */
  readonly exploiter?: (personId: string) => boolean;
}

/** What the meeting's outcomes (and answers on alerts) added to this run's training, and how the model moved because of them. */
export interface MeetingLabelEffect {
  readonly provenance: LabelProvenance | null;
  /** The standardised coefficients that moved most between the model trained without these labels and with them. */
  readonly moves: readonly { readonly feature: string; readonly without: number; readonly with: number }[];
}

function meetingLabelsSection(effect: MeetingLabelEffect | null): RunEvaluation['meetingLabels'] {
  const p = effect?.provenance ?? null;
  const count = p ? p.positive + p.negative + p.weakNegative + p.censored : 0;
  const cohortNote = p && p.aboutCohortChildren > 0 ? ` ${p.aboutCohortChildren} recorded outcome${p.aboutCohortChildren === 1 ? ' was' : 's were'} about children the service had already accepted, so changed nothing.` : '';
  if (!p || count === 0) return { provenance: p, moves: [], count: 0, note: `No outcome recorded by the multi-agency meeting (and no "not a concern" answer on an alert) added to training by the training date; when one does, it is counted here.${cohortNote}` };
  return {
    provenance: p,
    moves: effect!.moves,
    count,
    note: `${p.positive} positive (referral accepted or exploitation confirmed: cases as of the meeting date), ${p.negative} negative (no further action), ${p.weakNegative} weak negative ("not a concern" on an alert, half weight), ${p.censored} censored (closed: never a comparison child from then on); from ${p.sources.join(', ')}, recorded by ${p.recordedBy} ${p.recordedBy === 1 ? 'person' : 'people'}.${cohortNote}`,
  };
}

export interface EvaluationInput {
  readonly run: { readonly runId: string; readonly asOf: number; readonly modelId: string | null; readonly indexRules: string };
  readonly snapshot: TfdSnapshot;
  readonly children: readonly EvaluatedChild[];
  readonly model: LogisticModel | null;
  /** The variables the run computed: the catalogue's, then any additional indicators' (the catalogue alone when absent). */
  readonly variables?: readonly FeatureDefinition[];
  readonly cohortSize: number;
  readonly holdout: HoldoutDetail | null;
  /** How the feature set and penalty were chosen (null: no model). */
  readonly modelChoice?: ModelChoice | null;
  /** Labels from the meeting and alerts used in training, and their effect (absent: none). */
  readonly meetingLabels?: MeetingLabelEffect | null;
  /** The score from which a child is listed (the medium band). */
  readonly threshold: number;
  /** Final-score thresholds for the sensitivity table (default: the band scale, 15–80; a calibrated list uses chances in 100). */
  readonly sensitivityThresholds?: readonly number[];
  readonly changes: Readonly<Record<string, number>>;
  readonly networkSensitivity: readonly NetworkThresholdRow[];
  readonly truth: TruthLabels | null;
  /** The plain baseline's scores (0–100): on the holdout's children at the cut (aligned with `holdout.children`), and on `children` at the run date (only with truth). */
  readonly baseline: { readonly holdout: readonly number[] | null; readonly runDate: readonly number[] | null } | null;
  /** Adults on (or considered for) "CSE Risk – Subjects Over 18". */
  readonly overEighteen?: readonly { readonly person: number; readonly onList: boolean }[];
  readonly generatedAt: string;
}

/** The model beside the plain baseline, on the same children and outcomes. */
export interface BaselineComparison {
  readonly description: string;
  /** The temporal holdout's prospective population (children 10–17 not yet in the cohort at the cut). */
  readonly holdout: null | { readonly model: { readonly averagePrecision: number; readonly rocAuc: number }; readonly baseline: { readonly averagePrecision: number; readonly rocAuc: number } };
  /** Synthetic ground truth: the run's final score against the baseline trained on every cohort child. */
  readonly truth: null | { readonly model: { readonly averagePrecision: number }; readonly baseline: { readonly averagePrecision: number } };
  /** The model's average precision on the holdout is at least the baseline's (null: no holdout). */
  readonly modelBeatsBaseline: boolean | null;
}

export const BASELINE_DESCRIPTION =
  'A plain logistic regression on all-time counts of each indicator and of police records by type and CSE tag, own and family, plus age, trained the same way as the model (cohort children at their start of service against matched comparison children).';

export interface HoldoutEvaluation {
  readonly cutDate: string;
  readonly trainCases: number;
  readonly testCases: number;
  readonly threshold: number;
  /** Share of later cohort children scored at or above the threshold at their own start of service. */
  readonly recallAtStartOfService: number;
  /** Children aged 10–17 on the cut date and not yet in the cohort, scored then, against joining it later. */
  readonly population: number;
  readonly laterJoiners: number;
  readonly flagged: number;
  readonly flaggedInCohort: number;
  /** Precision among the top N children on the cut date, N = this run's list size. */
  readonly precisionAtListSize: number;
  readonly listSize: number;
  readonly averagePrecision: number;
  readonly rocAuc: number;
  /** Of the calibrated chance of acceptance within `horizonDays` against who was (uncalibrated scores / 100 against joining by the run date for runs without a calibration). */
  readonly brierScore: number;
  readonly calibration: readonly CalibrationBin[];
  readonly calibrated: boolean;
  readonly horizonDays: number | null;
  readonly acceptedWithinHorizon: number;
  /** Mean predicted chance over the holdout population: against acceptedWithinHorizon / population, calibration in the large. */
  readonly meanProbability: number;
  /** The same at the top: the `listSize` children with the highest calibrated chance on the cut date, mean predicted against the share accepted within the horizon. */
  readonly topOfList: { readonly children: number; readonly meanPredicted: number; readonly observed: number } | null;
  /** The calibration slope read off these children for the run's model (null: too few accepted within the horizon, so none applied); each half's chances here used the other half's. */
  readonly calibrationSlope?: { readonly slope: number; readonly children: number; readonly accepted: number } | null;
  readonly precisionRecall: readonly CurvePoint[];
}

export interface RunEvaluation {
  readonly version: 1;
  readonly runId: string;
  readonly asOf: string;
  readonly generatedAt: string;
  readonly modelId: string | null;
  readonly indexRules: string;
  readonly statement: string;
  readonly data: DataProfile;
  readonly variables: readonly { name: string; description: string }[];
  /** Cohort children the run's model was trained on (at their start of service). */
  readonly cohort: { readonly trainedOn: number };
  readonly holdout: HoldoutEvaluation | null;
  readonly scores: { readonly children: number; readonly onList: number; readonly distribution: readonly { from: number; to: number; listed: number; notListed: number }[] };
  readonly topIndicators: readonly { name: string; description: string; weight: number }[];
  readonly changes: Readonly<Record<string, number>>;
  readonly meetingLabels: MeetingLabelEffect & { readonly count: number; readonly note: string };
  readonly bias: { readonly cohort: BiasAudit | null; readonly truth: BiasAudit | null };
  readonly truth: null | {
    readonly exploited: number;
    readonly onList: number;
    readonly recall: number;
    readonly neverKnown: number;
    readonly neverKnownOnList: number;
    readonly neverKnownRecall: number;
    readonly precision: number;
    /** "CSE Risk – Subjects Over 18" against the generator's exploiters and facilitators (listing is never a finding). */
    readonly overEighteen?: { readonly listed: number; readonly exploitersListed: number; readonly precision: number; readonly exploiters: number };
  };
  readonly sensitivity: { readonly bands: { readonly holdout: readonly ThresholdRow[]; readonly truth: readonly ThresholdRow[] | null }; readonly network: readonly NetworkThresholdRow[] };
  readonly baseline: BaselineComparison;
  /** The feature set and penalty, chosen on the cohort, with every candidate's average precision (absent on runs evaluated before). */
  readonly modelChoice?: ModelChoice | null;
}

const AUDIT_MIN_AGE = 10;
const BAND_THRESHOLDS = [15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 80];

function groupsOf(snapshot: TfdSnapshot, person: number, age: number): AuditSubject['groups'] {
  const area = snapshot.area[person];
  return {
    sex: snapshot.audit.sex[person] ?? 'not recorded',
    ethnicity: snapshot.audit.ethnicity[person] ?? 'not recorded',
    imd_quintile: imdQuintile(snapshot.audit.imd[person] > 0 ? snapshot.audit.imd[person] : null),
    area: area >= 0 ? snapshot.areaIds[area] : 'not recorded',
    age_band: ageBand(age),
  };
}

interface ProspectiveRow {
  readonly person: number;
  readonly score: number;
  readonly label: number;
  readonly age: number;
  /** The baseline's score for the same child on the same day, when it was computed. */
  readonly baseline: number | null;
  /** The calibrated chance of acceptance within the holdout's horizon, and whether the child was. */
  readonly probability: number | null;
  readonly withinHorizon: number;
}

/** The holdout judged prospectively: children aged 10–17 on the cut date and not yet in the cohort; outcome = joining it later. */
function prospectiveRows(snapshot: TfdSnapshot, h: HoldoutDetail, baseline: readonly number[] | null): ProspectiveRow[] {
  const rows: ProspectiveRow[] = [];
  for (let i = 0; i < h.children.length; i++) {
    const p = h.children[i];
    const alreadyIn = h.everInCohort[i] === 1 && h.joinedAfterCut[i] === 0;
    const age = completedYears(snapshot.birth[p], h.cut);
    if (!alreadyIn && age >= AUDIT_MIN_AGE) rows.push({ person: p, score: h.scores[i], label: h.joinedAfterCut[i], age, baseline: baseline ? baseline[i] : null, probability: h.probabilities?.[i] ?? null, withinHorizon: h.joinedWithinHorizon?.[i] ?? 0 });
  }
  return rows;
}

function topOfList(rows: readonly ProspectiveRow[], listSize: number): HoldoutEvaluation['topOfList'] {
  const top = [...rows].sort((a, b) => b.probability! - a.probability!).slice(0, listSize);
  return {
    children: top.length,
    meanPredicted: top.reduce((a, r) => a + r.probability!, 0) / top.length,
    observed: top.filter((r) => r.withinHorizon === 1).length / top.length,
  };
}

function baselineComparison(input: EvaluationInput, rows: readonly ProspectiveRow[], children: readonly EvaluatedChild[]): BaselineComparison {
  const labels = rows.map((r) => r.label);
  const holdout =
    input.baseline?.holdout && rows.length > 0
      ? {
          model: { averagePrecision: averagePrecision(rows.map((r) => r.score), labels), rocAuc: rocAuc(rows.map((r) => r.score), labels) },
          baseline: { averagePrecision: averagePrecision(rows.map((r) => r.baseline ?? 0), labels), rocAuc: rocAuc(rows.map((r) => r.baseline ?? 0), labels) },
        }
      : null;
  let truth: BaselineComparison['truth'] = null;
  const runDate = input.baseline?.runDate;
  if (input.truth && runDate) {
    const exploited = children.map((c) => (input.truth!.exploited(input.snapshot.personIds[c.person], input.run.asOf) ? 1 : 0));
    truth = { model: { averagePrecision: averagePrecision(children.map((c) => c.ranking), exploited) }, baseline: { averagePrecision: averagePrecision(runDate, exploited) } };
  }
  return {
    description: BASELINE_DESCRIPTION,
    holdout,
    truth,
    modelBeatsBaseline: holdout ? holdout.model.averagePrecision >= holdout.baseline.averagePrecision : null,
  };
}

function holdoutEvaluation(input: EvaluationInput, rows: readonly ProspectiveRow[], listSize: number): { evaluation: HoldoutEvaluation; audit: BiasAudit } | null {
  const { holdout: h, snapshot, threshold } = input;
  if (!h) return null;
  const scores = rows.map((r) => r.score);
  const labels = rows.map((r) => r.label);
  // Calibration is judged on the calibrated chance of acceptance within the horizon, against who was accepted within it.
  const calibratedRows = rows.every((r) => r.probability !== null);
  const probabilities = calibratedRows ? rows.map((r) => r.probability!) : scores.map((s) => s / 100);
  const horizonLabels = calibratedRows ? rows.map((r) => r.withinHorizon) : labels;
  const flagged = atThreshold(scores, labels, threshold);
  const top = [...rows].sort((a, b) => b.score - a.score).slice(0, listSize);
  const evaluation: HoldoutEvaluation = {
    cutDate: isoOf(h.cut),
    trainCases: h.trainCases,
    testCases: h.laterStartScores.length,
    threshold,
    recallAtStartOfService: h.laterStartScores.length ? h.laterStartScores.filter((s) => s >= threshold).length / h.laterStartScores.length : Number.NaN,
    population: rows.length,
    laterJoiners: labels.filter((l) => l === 1).length,
    flagged: flagged.flagged,
    flaggedInCohort: flagged.precision,
    precisionAtListSize: top.length ? top.filter((r) => r.label === 1).length / top.length : Number.NaN,
    listSize,
    averagePrecision: averagePrecision(scores, labels),
    rocAuc: rocAuc(scores, labels),
    brierScore: brierScore(probabilities, horizonLabels),
    calibration: calibratedRows ? calibrationByGroups(probabilities, horizonLabels) : calibrationBins(probabilities, horizonLabels),
    calibrated: calibratedRows,
    horizonDays: h.horizonDays ?? null,
    acceptedWithinHorizon: horizonLabels.filter((l) => l === 1).length,
    meanProbability: probabilities.length ? probabilities.reduce((a, b) => a + b, 0) / probabilities.length : Number.NaN,
    topOfList: calibratedRows && listSize > 0 ? topOfList(rows, listSize) : null,
    calibrationSlope: h.slope ?? null,
    precisionRecall: precisionRecallCurve(scores, labels),
  };
  const audit = biasAudit(
    rows.map((r) => ({ groups: groupsOf(snapshot, r.person, r.age), listed: r.score >= threshold, positive: r.label === 1 })),
    `temporal holdout: children aged 10–17 on ${evaluation.cutDate} not yet in the cohort, flagged by the model trained before then (score ≥ ${threshold}); positive = accepted onto the service by ${isoOf(input.run.asOf)}`,
  );
  return { evaluation, audit };
}

/** Everything the model card shows, as plain data (its JSON twin). */
export function buildRunEvaluation(input: EvaluationInput): RunEvaluation {
  const { snapshot, children, truth } = input;
  const listSize = children.filter((c) => c.onList).length;
  const prospective = input.holdout ? prospectiveRows(snapshot, input.holdout, input.baseline?.holdout ?? null) : [];
  const held = holdoutEvaluation(input, prospective, listSize);

  const distribution = Array.from({ length: 20 }, (_, i) => ({ from: i * 5, to: i * 5 + 5, listed: 0, notListed: 0 }));
  for (const c of children) {
    const bin = distribution[Math.min(19, Math.floor(c.final / 5))];
    if (c.onList) bin.listed++;
    else bin.notListed++;
  }

  const model = input.model;
  const variables = input.variables ?? FEATURES;
  const descriptions = new Map(variables.map((f) => [f.name, f.description]));
  const topIndicators = model
    ? model.features
        .map((name, i) => ({ name, description: descriptions.get(name) ?? '', weight: model.coefficients[i] }))
        .filter((f) => f.weight > 0)
        .sort((a, b) => b.weight - a.weight)
        .slice(0, 12)
    : [];

  let truthSummary: RunEvaluation['truth'] = null;
  let truthAudit: BiasAudit | null = null;
  let truthBands: ThresholdRow[] | null = null;
  if (truth) {
    const id = (p: number) => snapshot.personIds[p];
    const exploited = children.filter((c) => truth.exploited(id(c.person), input.run.asOf));
    const neverKnown = exploited.filter((c) => !truth.known(id(c.person), input.run.asOf));
    truthSummary = {
      exploited: exploited.length,
      onList: exploited.filter((c) => c.onList).length,
      recall: exploited.length ? exploited.filter((c) => c.onList).length / exploited.length : Number.NaN,
      neverKnown: neverKnown.length,
      neverKnownOnList: neverKnown.filter((c) => c.onList).length,
      neverKnownRecall: neverKnown.length ? neverKnown.filter((c) => c.onList).length / neverKnown.length : Number.NaN,
      precision: listSize ? exploited.filter((c) => c.onList).length / listSize : Number.NaN,
      overEighteen: overEighteenAgainstTruth(input),
    };
    truthAudit = biasAudit(
      children.filter((c) => c.age >= AUDIT_MIN_AGE).map((c) => ({ groups: groupsOf(snapshot, c.person, c.age), listed: c.onList, positive: truth.exploited(id(c.person), input.run.asOf) })),
      'the run’s list, children aged 10–17, against synthetic ground truth (exploited by the run date)',
    );
    truthBands = bandSensitivity(children, (p) => truth.exploited(id(p), input.run.asOf), input.sensitivityThresholds ?? BAND_THRESHOLDS);
  }

  const joined = new Set(prospective.filter((r) => r.label === 1).map((r) => r.person));
  const holdoutBands = input.holdout
    ? bandSensitivity(
        prospective.map((r) => ({ person: r.person, final: r.score, topazVictim: false })),
        (p) => joined.has(p),
        BAND_THRESHOLDS,
      )
    : [];

  return {
    version: 1,
    runId: input.run.runId,
    asOf: isoOf(input.run.asOf),
    generatedAt: input.generatedAt,
    modelId: input.run.modelId,
    indexRules: input.run.indexRules,
    statement: DECISION_SUPPORT_STATEMENT,
    data: dataProfile(snapshot, input.run.asOf),
    variables: (input.variables ?? FEATURES).map((f) => ({ name: f.name, description: f.description })),
    cohort: { trainedOn: input.cohortSize },
    holdout: held?.evaluation ?? null,
    scores: { children: children.length, onList: listSize, distribution },
    topIndicators,
    changes: input.changes,
    meetingLabels: meetingLabelsSection(input.meetingLabels ?? null),
    bias: { cohort: held?.audit ?? null, truth: truthAudit },
    truth: truthSummary,
    sensitivity: { bands: { holdout: holdoutBands, truth: truthBands }, network: input.networkSensitivity },
    baseline: baselineComparison(input, prospective, children),
    modelChoice: input.modelChoice ?? null,
  };
}

function overEighteenAgainstTruth(input: EvaluationInput): NonNullable<RunEvaluation['truth']>['overEighteen'] {
  const exploiter = input.truth?.exploiter;
  if (!exploiter || !input.overEighteen) return undefined;
  const id = (p: number) => input.snapshot.personIds[p];
  const listed = input.overEighteen.filter((a) => a.onList);
  const hits = listed.filter((a) => exploiter(id(a.person))).length;
  let exploiters = 0;
  for (const personId of input.snapshot.personIds) if (exploiter(personId)) exploiters++;
  return { listed: listed.length, exploitersListed: hits, precision: listed.length ? hits / listed.length : Number.NaN, exploiters };
}

/** Children at the run date from the run's scores, with their age; `rankByChance`: the list is made by the calibrated chance (else by the final score, Bristol's rule). */
export const evaluatedChildren = (
  snapshot: TfdSnapshot,
  scored: readonly { person: number; final: number; probability: number | null; onList: boolean; topazVictim: boolean }[],
  asOf: number,
  rankByChance: boolean,
): EvaluatedChild[] =>
  scored.map((s) => ({
    person: s.person,
    age: snapshot.birth[s.person] === NO_DAY ? -1 : completedYears(snapshot.birth[s.person], asOf),
    final: s.final,
    ranking: rankByChance ? (s.probability ?? s.final) : s.final,
    onList: s.onList,
    topazVictim: s.topazVictim,
  }));
