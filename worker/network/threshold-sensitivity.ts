import { NO_DAY } from '../../domain/days.js';
import { isChildOn } from '../../domain/ages.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import type { Relationships } from './infer-relationships.js';
import { personNetwork, type NetworkContext } from './network-features.js';

/**
 * No published basis exists for Bristol's "3 or more shared events", so every
 * run reports how the network moves with the threshold (computed with the
 * run's evaluation, worker/evaluation/sensitivity.ts).
 */
export interface ThresholdPoint {
  readonly minShared: number;
  readonly edges: number;
  readonly peopleLinked: number;
  readonly childrenWithRiskyAssociates: number;
}

/** How far a network reaches: people with at least one link, and children (on `asOf`) linked directly to someone carrying risk. */
export function networkReach(snapshot: TfdSnapshot, edges: Relationships, context: NetworkContext, asOf: number): { peopleLinked: number; childrenWithRiskyAssociates: number } {
  const linked = new Set<number>([...edges.a, ...edges.b]);
  let children = 0;
  for (const p of linked) {
    const birth = snapshot.birth[p];
    if (birth === NO_DAY || birth > asOf || !isChildOn(birth, asOf)) continue;
    if (personNetwork(snapshot, context, p, asOf).riskyDirect > 0) children++;
  }
  return { peopleLinked: linked.size, childrenWithRiskyAssociates: children };
}
