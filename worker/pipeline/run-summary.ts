import type { RunChangeRow } from '../../db/schema/database-schema.js';
import type { HoldoutMetrics } from '../model/train.js';
import type { ModelChoice } from '../model/model-choice.js';
import type { RunEvaluation } from '../evaluation/run-evaluation.js';
import type { ThresholdPoint } from '../network/threshold-sensitivity.js';
import type { Relationships } from '../network/infer-relationships.js';
import type { ScoredChild } from '../scoring/score-children.js';
import type { Band, ScoringConfig } from '../scoring/scoring-config.js';
import type { OverEighteenEntry } from '../network/over-eighteen-list.js';
import type { DataQuality } from '../snapshot/tfd-snapshot.js';
import type { ListSummary } from '../scoring/list-threshold.js';

export type { ListSummary };

/** What a published run says about itself (run.summary): pure assembly from the stages' results. */

export type Stage = 'snapshot' | 'network' | 'train' | 'holdout' | 'score' | 'write' | 'changes' | 'evaluate' | 'publish';

export const STAGES: readonly Stage[] = ['snapshot', 'network', 'train', 'holdout', 'score', 'write', 'changes', 'evaluate', 'publish'];

export interface RunSummary {
  readonly runId: string;
  readonly asOf: string;
  readonly modelId: string | null;
  readonly indexRules: string;
  readonly children: number;
  readonly onList: number;
  readonly bands: Record<Band, number>;
  readonly topazOnList: number;
  readonly cohortSize: number;
  readonly holdout: HoldoutMetrics | null;
  readonly dataQuality: DataQuality & {
    childrenScored: number;
    predictiveModel: string;
    /** Indicators the TFD supplies beyond the catalogue: used (the configuration's additionalIndicators) and not. */
    beyondCatalogue?: { used: string[]; unused: string[] };
  };
  readonly changes: Record<RunChangeRow['change'], number>;
  readonly network: {
    readonly edges: number;
    readonly bigEventsSkipped: number;
    readonly minShared: number;
    readonly maxParties: number;
    readonly eligibleTypes: readonly string[];
    readonly sensitivity: readonly ThresholdPoint[];
  } | null;
  /** Adults with CSE risk in their network, and how many are on "CSE Risk – Subjects Over 18". */
  readonly overEighteen: { readonly considered: number; readonly onList: number };
  /** How the list was made, how big it is, and what to expect of it. */
  readonly list: ListSummary;
  /** The feature set and L2 penalty chosen on the cohort, with each candidate's average precision. */
  readonly modelSelection: ModelChoice | null;
  /** Labels from the meeting and alert answers in this run's training (absent on older runs). */
  readonly meetingLabels?: { readonly count: number; readonly note: string };
  readonly previousRunId: string | null;
  /** Headlines of the run's evaluation (the model card); the whole of it is in run_evaluation. */
  readonly evaluation: {
    readonly rocAuc: number | null;
    readonly brierScore: number | null;
    readonly precisionAtListSize: number | null;
    readonly biasFlags: number;
    /** Average precision of the model and of the plain baseline on the same holdout, and whether the model is at least as good. */
    readonly averagePrecision: number | null;
    readonly baselineAveragePrecision: number | null;
    readonly modelBeatsBaseline: boolean | null;
    /** Calibration among the holdout's highest-chance children, as many as this run lists. */
    readonly topOfList: { readonly children: number; readonly meanPredicted: number; readonly observed: number } | null;
    /** The holdout's calibration slope applied to the run's chances (null: none could be read). */
    readonly calibrationSlope: { readonly slope: number; readonly children: number; readonly accepted: number } | null;
  } | null;
  readonly seconds: Record<string, number>;
}

/** What the run's stages produced, as publish hands it over. */
export interface RunSummaryInput {
  readonly runId: string;
  readonly asOf: string;
  readonly modelId: string | null;
  readonly previousRunId: string | null;
  readonly config: ScoringConfig;
  readonly scored: readonly ScoredChild[];
  readonly adults: readonly OverEighteenEntry[];
  readonly cohortSize: number;
  readonly holdout: HoldoutMetrics | null;
  readonly dataQuality: DataQuality;
  /** Why no predictive model was trained, or null. */
  readonly modelUnavailable: string | null;
  readonly beyondCatalogue: readonly string[];
  readonly changes: Record<RunChangeRow['change'], number>;
  readonly network: Relationships | null;
  readonly evaluation: RunEvaluation;
  readonly list: ListSummary;
  readonly modelSelection: ModelChoice | null;
  readonly seconds: Record<string, number>;
}

export function runSummary(r: RunSummaryInput): RunSummary {
  const { config, scored, adults, evaluation } = r;
  const bands: Record<Band, number> = { high: 0, medium: 0, low: 0, none: 0 };
  for (const s of scored) bands[s.band]++;
  return {
    runId: r.runId,
    asOf: r.asOf,
    modelId: r.modelId,
    indexRules: config.indexRules.version,
    children: scored.length,
    onList: scored.filter((s) => s.onList).length,
    bands,
    topazOnList: scored.filter((s) => s.topazVictim).length,
    cohortSize: r.cohortSize,
    holdout: r.holdout,
    dataQuality: {
      ...r.dataQuality,
      childrenScored: scored.length,
      predictiveModel: r.modelUnavailable ?? 'trained',
      beyondCatalogue: usedAndUnused(r.beyondCatalogue, config.additionalIndicators),
    },
    changes: r.changes,
    previousRunId: r.previousRunId,
    network: r.network
      ? {
          edges: r.network.a.length,
          bigEventsSkipped: r.network.bigEventsSkipped,
          minShared: config.network.minShared,
          maxParties: config.network.maxParties,
          eligibleTypes: config.network.eligibleTypes,
          sensitivity: evaluation.sensitivity.network.map((n) => ({ minShared: n.minShared, edges: n.relationships, peopleLinked: n.peopleLinked, childrenWithRiskyAssociates: n.childrenWithRiskyAssociates })),
        }
      : null,
    overEighteen: { considered: adults.length, onList: adults.filter((a) => a.onList).length },
    list: r.list,
    modelSelection: r.modelSelection,
    meetingLabels: { count: evaluation.meetingLabels.count, note: evaluation.meetingLabels.note },
    evaluation: evaluationHeadline(evaluation),
    seconds: r.seconds,
  };
}

const finite = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? null : n);

function evaluationHeadline(e: RunEvaluation): RunSummary['evaluation'] {
  return {
    rocAuc: finite(e.holdout?.rocAuc),
    brierScore: finite(e.holdout?.brierScore),
    precisionAtListSize: finite(e.holdout?.precisionAtListSize),
    biasFlags: (e.bias.cohort?.flags.length ?? 0) + (e.bias.truth?.flags.length ?? 0),
    averagePrecision: finite(e.baseline.holdout?.model.averagePrecision),
    baselineAveragePrecision: finite(e.baseline.holdout?.baseline.averagePrecision),
    modelBeatsBaseline: e.baseline.modelBeatsBaseline,
    topOfList: e.holdout?.topOfList ?? null,
    calibrationSlope: e.holdout?.calibrationSlope ?? null,
  };
}

/** Codes beyond the catalogue the configuration chose, and the rest. */
function usedAndUnused(beyond: readonly string[], chosen: readonly string[]): { used: string[]; unused: string[] } {
  return { used: beyond.filter((c) => chosen.includes(c)), unused: beyond.filter((c) => !chosen.includes(c)) };
}
