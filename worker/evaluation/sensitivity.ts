import type { LogisticModel } from '../model/logistic-regression.js';
import { featureLayout } from '../features/point-in-time.js';
import { inferRelationships, type Relationships } from '../network/infer-relationships.js';
import { networkContext, type NetworkContext } from '../network/network-features.js';
import { networkReach } from '../network/threshold-sensitivity.js';
import { scoreChildren } from '../scoring/score-children.js';
import { relationshipOptions, type ScoringConfig } from '../scoring/scoring-config.js';
import { applyListRule, type ListRule } from '../scoring/list-rule.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/** A child at the run date, as the sensitivity tables need them. */
export interface ListedChild {
  readonly person: number;
  readonly final: number;
  readonly topazVictim: boolean;
  /** On the list under the run's rule (the network table counts this). */
  readonly onList?: boolean;
}

export interface ThresholdRow {
  readonly threshold: number;
  readonly listSize: number;
  /** Against the labels given (null when there are none). */
  readonly recall: number | null;
  readonly precision: number | null;
}

/** List size, recall and precision if the list started at each threshold (Topaz victims are always listed). */
export function bandSensitivity(children: readonly ListedChild[], positive: ((person: number) => boolean) | null, thresholds: readonly number[]): ThresholdRow[] {
  const positives = positive ? children.filter((c) => positive(c.person)).length : 0;
  return thresholds.map((threshold) => {
    const listed = children.filter((c) => c.topazVictim || c.final >= threshold);
    const hits = positive ? listed.filter((c) => positive(c.person)).length : 0;
    return {
      threshold,
      listSize: listed.length,
      recall: positive && positives ? hits / positives : null,
      precision: positive && listed.length ? hits / listed.length : null,
    };
  });
}

export interface NetworkThresholdRow {
  readonly minShared: number;
  readonly relationships: number;
  readonly peopleLinked: number;
  readonly childrenWithRiskyAssociates: number;
  readonly listSize: number;
  readonly recall: number | null;
  readonly precision: number | null;
}

/** The run's own network and list at its K, reused rather than built and scored again. */
export interface CurrentNetwork {
  readonly minShared: number;
  readonly edges: Relationships;
  readonly context: NetworkContext;
  readonly children: readonly ListedChild[];
}

/**
 * How the network and the list move with the shared-record threshold K: the
 * network is inferred again at each K and every child rescored with the
 * run's trained model and index rules (the model is not retrained).
 */
export function networkSensitivity(
  snapshot: TfdSnapshot,
  asOf: number,
  config: ScoringConfig,
  models: { cse: LogisticModel | null; acceptance?: LogisticModel | null; missingPerson: LogisticModel | null },
  positive: ((person: number) => boolean) | null,
  current: CurrentNetwork,
  listRule: ListRule | null,
  thresholds: readonly number[] = [2, 3, 4, 5],
): NetworkThresholdRow[] {
  return thresholds.map((minShared) => {
    const reuse = minShared === current.minShared;
    const edges = reuse ? current.edges : inferRelationships(snapshot.eventTable, snapshot.personIds.length, relationshipOptions(config, asOf, minShared));
    const context = reuse ? current.context : networkContext(snapshot, edges, minShared);
    const rescored = () => {
      const scored = scoreChildren(snapshot, featureLayout(snapshot, context, config.additionalIndicators), models, { ...config, network: { ...config.network, minShared } }, asOf, false);
      return (listRule ? applyListRule(scored, listRule) : scored).map((s) => ({ person: s.person, final: s.final, topazVictim: s.topazVictim, onList: s.onList }));
    };
    const children = reuse ? current.children : rescored();
    const listed = children.filter((c) => c.onList);
    const hits = positive ? listed.filter((c) => positive(c.person)).length : 0;
    const positives = positive ? children.filter((c) => positive(c.person)).length : 0;
    return {
      minShared,
      relationships: edges.a.length,
      ...networkReach(snapshot, edges, context, asOf),
      listSize: listed.length,
      recall: positive && positives ? hits / positives : null,
      precision: positive && listed.length ? hits / listed.length : null,
    };
  });
}
