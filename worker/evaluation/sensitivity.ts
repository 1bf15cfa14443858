import type { LogisticModel } from '../model/logistic-regression.js';
import { featureLayout } from '../features/point-in-time.js';
import { inferRelationships } from '../network/infer-relationships.js';
import { networkContext } from '../network/network-features.js';
import { scoreChildren } from '../scoring/score-children.js';
import type { ScoringConfig } from '../scoring/scoring-config.js';
import { EVENT_TYPES, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/** A child at the run date, as the sensitivity tables need them. */
export interface ListedChild {
  readonly person: number;
  readonly final: number;
  readonly topazVictim: boolean;
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
  readonly listSize: number;
  readonly recall: number | null;
  readonly precision: number | null;
}

/**
 * How the list moves with the network's shared-record threshold K: the
 * network is inferred again at each K and every child rescored with the
 * run's trained model and index rules (the model is not retrained).
 */
export function networkSensitivity(
  snapshot: TfdSnapshot,
  asOf: number,
  config: ScoringConfig,
  models: { cse: LogisticModel | null; missingPerson: LogisticModel | null },
  positive: ((person: number) => boolean) | null,
  thresholds: readonly number[] = [2, 3, 4, 5],
  /** The run's own result at its K, reused rather than scored again. */
  current?: { readonly minShared: number; readonly relationships: number; readonly children: readonly ListedChild[] },
): NetworkThresholdRow[] {
  return thresholds.map((minShared) => {
    if (current && current.minShared === minShared) {
      const [row] = bandSensitivity(current.children, positive, [config.bands.medium]);
      return { minShared, relationships: current.relationships, listSize: row.listSize, recall: row.recall, precision: row.precision };
    }
    const edges = inferRelationships(snapshot.eventTable, snapshot.personIds.length, {
      asOf,
      minShared,
      maxParties: config.network.maxParties,
      eligibleTypes: config.network.eligibleTypes.map((t) => EVENT_TYPES.indexOf(t as (typeof EVENT_TYPES)[number])),
    });
    const layout = featureLayout(snapshot, networkContext(snapshot, edges, minShared));
    const scored = scoreChildren(snapshot, layout, models, { ...config, network: { ...config.network, minShared } }, asOf, false);
    const [row] = bandSensitivity(
      scored.map((s) => ({ person: s.person, final: s.final, topazVictim: s.topazVictim })),
      positive,
      [config.bands.medium],
    );
    return { minShared, relationships: edges.a.length, listSize: row.listSize, recall: row.recall, precision: row.precision };
  });
}
