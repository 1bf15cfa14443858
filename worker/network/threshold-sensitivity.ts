import { NO_DAY } from '../snapshot/days.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { inferRelationships, type RelationshipOptions } from './infer-relationships.js';
import { networkContext, personNetwork } from './network-features.js';

export interface ThresholdPoint {
  readonly minShared: number;
  readonly edges: number;
  readonly peopleLinked: number;
  readonly childrenWithRiskyAssociates: number;
}

/**
 * No published basis exists for Bristol's "3 or more shared events", so every
 * run reports how the network moves with the threshold.
 */
export function thresholdSensitivity(snapshot: TfdSnapshot, options: RelationshipOptions, thresholds = [2, 3, 4, 5]): ThresholdPoint[] {
  return thresholds.map((minShared) => {
    const edges = inferRelationships(snapshot.eventTable, snapshot.personIds.length, { ...options, minShared });
    const linked = new Set<number>([...edges.a, ...edges.b]);
    const ctx = networkContext(snapshot, edges, minShared);
    let children = 0;
    for (const p of linked) {
      const birth = snapshot.birth[p];
      if (birth === NO_DAY || options.asOf - birth >= 18 * 365.25 || birth > options.asOf) continue;
      if (personNetwork(snapshot, ctx, p, options.asOf).riskyDirect > 0) children++;
    }
    return { minShared, edges: edges.a.length, peopleLinked: linked.size, childrenWithRiskyAssociates: children };
  });
}
