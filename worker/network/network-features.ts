import { NO_DAY } from '../../domain/days.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import type { Relationships } from './infer-relationships.js';

/**
 * Everything the point-in-time network features need, built once per run
 * from the relationships inferred as of the run date. Because an edge's
 * shared-event days are kept sorted, the edge exists on an earlier date d
 * exactly when its K-th shared day is on or before d.
 */
export interface NetworkContext {
  readonly edges: Relationships;
  readonly minShared: number;
  /** Adjacency: neighbours of p are neighbour[offset[p]..offset[p+1]), via edge[…]. */
  readonly offset: Int32Array;
  readonly neighbour: Int32Array;
  readonly edge: Int32Array;
  /** Known CSE risk on a day: an active Topaz marker, in the cohort, or party to a CSE-tagged record in the last 3 years. */
  readonly knownRisk: (person: number, day: number) => boolean;
  /** Per location: days of its CSE-tagged records, sorted. */
  readonly locationFlagOffset: Int32Array;
  readonly locationFlagDays: Int32Array;
  /** Reusable traversal space (one person at a time): a visit is current when its stamp equals the call's. */
  readonly scratch: { stamp: Int32Array; distance: Float64Array; hop: Uint8Array; call: number };
}

const THREE_YEARS = 1096;

export function networkContext(snapshot: TfdSnapshot, edges: Relationships, minShared: number): NetworkContext {
  const n = snapshot.personIds.length;
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < edges.a.length; i++) {
    degree[edges.a[i] + 1]++;
    degree[edges.b[i] + 1]++;
  }
  for (let p = 0; p < n; p++) degree[p + 1] += degree[p];
  const offset = degree;
  const cursor = offset.slice(0, n);
  const neighbour = new Int32Array(offset[n]);
  const edge = new Int32Array(offset[n]);
  for (let i = 0; i < edges.a.length; i++) {
    neighbour[cursor[edges.a[i]]] = edges.b[i];
    edge[cursor[edges.a[i]]++] = i;
    neighbour[cursor[edges.b[i]]] = edges.a[i];
    edge[cursor[edges.b[i]]++] = i;
  }

  const ev = snapshot.eventTable;
  const flaggedAt = new Int32Array(snapshot.locationIds.length + 1);
  for (let e = 0; e < ev.day.length; e++) if (ev.cse[e] && ev.location[e] >= 0) flaggedAt[ev.location[e] + 1]++;
  for (let l = 0; l < snapshot.locationIds.length; l++) flaggedAt[l + 1] += flaggedAt[l];
  const fill = flaggedAt.slice(0, snapshot.locationIds.length);
  const locationFlagDays = new Int32Array(flaggedAt[snapshot.locationIds.length]);
  for (let e = 0; e < ev.day.length; e++) if (ev.cse[e] && ev.location[e] >= 0) locationFlagDays[fill[ev.location[e]]++] = ev.day[e];
  for (let l = 0; l < snapshot.locationIds.length; l++) locationFlagDays.subarray(flaggedAt[l], flaggedAt[l + 1]).sort();

  const knownRisk = (p: number, day: number) => {
    const t = snapshot.topaz;
    for (let i = t.offset[p]; i < t.offset[p + 1]; i++) if (t.start[i] <= day && t.end[i] >= day) return true;
    const start = snapshot.startOfService[p];
    if (start !== NO_DAY && start <= day) return true;
    const pe = snapshot.events;
    for (let i = pe.offset[p]; i < pe.offset[p + 1]; i++) if (pe.cse[i] && pe.day[i] <= day && day - pe.day[i] < THREE_YEARS) return true;
    return false;
  };
  const scratch = { stamp: new Int32Array(n), distance: new Float64Array(n), hop: new Uint8Array(n), call: 0 };
  return { edges, minShared, offset, neighbour, edge, knownRisk, locationFlagOffset: flaggedAt, locationFlagDays, scratch };
}

/** Shared events of edge i on or before `day` (0 if the edge had not yet formed). */
export function sharedBy(ctx: NetworkContext, i: number, day: number): number {
  const from = ctx.edges.dayOffset[i];
  const to = ctx.edges.dayOffset[i + 1];
  if (ctx.edges.days[from + ctx.minShared - 1] > day) return 0;
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ctx.edges.days[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
}

export interface PersonNetwork {
  readonly degree: number;
  readonly riskyDirect: number;
  readonly riskyTwoHops: number;
  /** Most records shared with one associate carrying risk. */
  readonly strongestRiskyTie: number;
  /** 1 / (1 + shortest distance to an associate carrying risk), edge length 3 / shared events, up to 3 hops; 0 if none. */
  readonly proximity: number;
  /** The person's own records (last 12 months) at places with two or more CSE-tagged records. */
  readonly riskyPlaceVisits: number;
}

const upToCount = (days: Int32Array, from: number, to: number, day: number) => {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
};

/**
 * A person's place in the network on `day` (links from the records shared by
 * then). Who among their associates carries known risk is read on
 * `riskKnownOn` (≥ `day`; `day` unless given): a model's training rows read it
 * on the model's own date, as the children it scores do (docs/scoring.md).
 */
export function personNetwork(snapshot: TfdSnapshot, ctx: NetworkContext, person: number, day: number, riskKnownOn = day): PersonNetwork {
  let degree = 0;
  let riskyDirect = 0;
  let strongest = 0;
  let riskyTwoHops = 0;
  let nearest = Infinity;
  const { stamp, distance, hop } = ctx.scratch;
  const call = ++ctx.scratch.call;
  stamp[person] = call;
  distance[person] = 0;
  hop[person] = 0;
  const reached: number[] = [];
  let frontier: number[] = [person];
  for (let h = 1; h <= 3 && frontier.length > 0; h++) {
    const next: number[] = [];
    for (const p of frontier) {
      for (let k = ctx.offset[p]; k < ctx.offset[p + 1]; k++) {
        const shared = sharedBy(ctx, ctx.edge[k], day);
        if (shared === 0) continue;
        const q = ctx.neighbour[k];
        if (q === person) continue;
        const d = distance[p] + 3 / shared;
        if (stamp[q] !== call) {
          stamp[q] = call;
          distance[q] = d;
          hop[q] = h;
          next.push(q);
          reached.push(q);
        } else if (d < distance[q]) distance[q] = d;
        if (h === 1) {
          degree++;
          if (ctx.knownRisk(q, riskKnownOn)) {
            riskyDirect++;
            strongest = Math.max(strongest, shared);
          }
        }
      }
    }
    frontier = next;
  }
  for (const q of reached) {
    if (!ctx.knownRisk(q, riskKnownOn)) continue;
    nearest = Math.min(nearest, distance[q]);
    if (hop[q] === 2) riskyTwoHops++;
  }
  let riskyPlaceVisits = 0;
  const pe = snapshot.events;
  const ev = snapshot.eventTable;
  for (let i = pe.offset[person]; i < pe.offset[person + 1]; i++) {
    if (pe.day[i] > day || day - pe.day[i] >= 365) continue;
    const location = ev.location[pe.event[i]];
    if (location < 0) continue;
    if (upToCount(ctx.locationFlagDays, ctx.locationFlagOffset[location], ctx.locationFlagOffset[location + 1], day) >= 2) riskyPlaceVisits++;
  }
  return { degree, riskyDirect, riskyTwoHops, strongestRiskyTie: strongest, proximity: nearest === Infinity ? 0 : 1 / (1 + nearest), riskyPlaceVisits };
}
