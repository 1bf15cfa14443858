import { buildRunEvaluation, evaluatedChildren, type RunEvaluation, type TruthLabels } from './run-evaluation.js';
import { networkSensitivity } from './sensitivity.js';
import type { FeatureLayout } from '../features/point-in-time.js';
import { holdoutBaselines } from '../model/run-holdout.js';
import { acceptanceModel, type RunModels } from '../model/train-run-models.js';
import type { Relationships } from '../network/infer-relationships.js';
import type { NetworkContext } from '../network/network-features.js';
import type { OverEighteenEntry } from '../network/over-eighteen-list.js';
import type { ListRule } from '../scoring/list-rule.js';
import type { ScoredChild } from '../scoring/score-children.js';
import type { ScoringConfig } from '../scoring/scoring-config.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/** Chances in 100 for the evaluation's threshold table when the calibrated model makes the list. */
const CHANCE_THRESHOLDS = [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30];

/** What a run's stages computed, as its evaluation reads them. */
export interface EvaluatedRun {
  readonly runId: string;
  readonly asOf: number;
  readonly modelId: string | null;
  readonly config: ScoringConfig;
  readonly snapshot: TfdSnapshot;
  readonly layout: FeatureLayout;
  readonly network: { readonly edges: Relationships; readonly context: NetworkContext } | null;
  readonly models: RunModels;
  readonly scored: readonly ScoredChild[];
  readonly adults: readonly OverEighteenEntry[];
  /** Null: Bristol's bands made the list. */
  readonly listRule: ListRule | null;
  /** People per change since the previous run (as stored by the `changes` stage). */
  readonly changes: Record<string, number>;
  /** Synthetic ground truth (`eval --bundle` only). */
  readonly truth: TruthLabels | null;
  readonly generatedAt: string;
}

/**
 * The run's evaluation (the model card's JSON twin): the holdout, the bias
 * audit, the sensitivity of the list to its thresholds and to the network's
 * K (rescored), the plain baseline, and with ground truth how the run did.
 */
export function evaluateRun(r: EvaluatedRun): RunEvaluation {
  const { snapshot, config, scored, models, truth } = r;
  const { cse, missingPerson, holdout } = models;
  const positive = truth ? (p: number) => truth.exploited(snapshot.personIds[p], r.asOf) : null;
  return buildRunEvaluation({
    run: { runId: r.runId, asOf: r.asOf, modelId: r.modelId, indexRules: config.indexRules.version },
    snapshot,
    children: evaluatedChildren(snapshot, scored, r.asOf, r.listRule !== null),
    model: cse?.model ?? null,
    variables: r.layout.features,
    cohortSize: cse?.trainedOn.cases ?? 0,
    holdout,
    modelChoice: models.choice,
    meetingLabels: models.labelEffect,
    threshold: config.bands.medium,
    sensitivityThresholds: r.listRule ? CHANCE_THRESHOLDS : undefined,
    changes: r.changes,
    networkSensitivity: r.network
      ? networkSensitivity(
          snapshot,
          r.asOf,
          config,
          { cse: cse?.model ?? null, acceptance: acceptanceModel(cse), missingPerson },
          positive,
          {
            minShared: config.network.minShared,
            edges: r.network.edges,
            context: r.network.context,
            children: scored.map((s) => ({ person: s.person, final: s.final, topazVictim: s.topazVictim, onList: s.onList })),
          },
          r.listRule,
        )
      : [],
    truth,
    overEighteen: r.adults.map((a) => ({ person: a.person, onList: a.onList })),
    baseline: holdoutBaselines(snapshot, holdout, truth ? scored.map((s) => s.person) : null, r.asOf),
    generatedAt: r.generatedAt,
  });
}
