/**
 * Relationships inferred from shared police records: two people are linked
 * when they are parties to at least `minShared` of the same eligible events
 * (crimes, intelligence, missing reports, call cards). Records with more than
 * `maxParties` distinct people are left out of the counting, so a crowd
 * incident recorded three times does not make a clique of strangers.
 */
export interface EventTable {
  /** Per event index. */
  readonly day: Int32Array;
  readonly type: Uint8Array;
  /** Parties grouped by event: persons of event e are person[offset[e]..offset[e+1]). */
  readonly partyOffset: Int32Array;
  readonly partyPerson: Int32Array;
}

export interface RelationshipOptions {
  /** Shared events needed for a link. @defaultValue 3 */
  readonly minShared?: number;
  /** Events with more distinct parties than this are not counted. @defaultValue 12 */
  readonly maxParties?: number;
  /** Event type indexes that count (crime 0, intelligence 1, missing_report 2, call_card 3). @defaultValue all */
  readonly eligibleTypes?: readonly number[];
  /** Only events on or before this day. */
  readonly asOf: number;
}

export const DEFAULT_MIN_SHARED = 3;
export const DEFAULT_MAX_PARTIES = 12;

/** Edges with person_a < person_b (by index), and each edge's shared-event days, sorted, for point-in-time use. */
export interface Relationships {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly shared: Int32Array;
  readonly first: Int32Array;
  readonly last: Int32Array;
  /** Bit t set when an event of type t was shared. */
  readonly types: Uint8Array;
  readonly dayOffset: Int32Array;
  readonly days: Int32Array;
  /** Events left out because they had more than maxParties people. */
  readonly bigEventsSkipped: number;
}

export function inferRelationships(events: EventTable, people: number, options: RelationshipOptions): Relationships {
  const minShared = options.minShared ?? DEFAULT_MIN_SHARED;
  const maxParties = options.maxParties ?? DEFAULT_MAX_PARTIES;
  const eligible = new Uint8Array(8);
  for (const t of options.eligibleTypes ?? [0, 1, 2, 3]) eligible[t] = 1;
  if (people >= 2 ** 26) throw new Error('worker/network/infer-relationships: more than 67M people cannot be keyed exactly');

  // Pass 1: the distinct parties of each counted event (sorted and de-duplicated
  // in place in one working copy), and how many pairs that makes.
  const nEvents = events.day.length;
  const work = Int32Array.from(events.partyPerson);
  const size = new Int32Array(nEvents);
  let pairTotal = 0;
  let bigEventsSkipped = 0;
  for (let e = 0; e < nEvents; e++) {
    if (!eligible[events.type[e]] || events.day[e] > options.asOf) continue;
    const from = events.partyOffset[e];
    const to = events.partyOffset[e + 1];
    if (to - from < 2) continue;
    if (to - from > 2) work.subarray(from, to).sort();
    else if (work[from] > work[from + 1]) [work[from], work[from + 1]] = [work[from + 1], work[from]];
    let k = 1;
    for (let i = from + 1; i < to; i++) if (work[i] !== work[from + k - 1]) work[from + k++] = work[i];
    if (k > maxParties) {
      bigEventsSkipped++;
      continue;
    }
    if (k < 2) continue;
    size[e] = k;
    pairTotal += (k * (k - 1)) / 2;
  }

  // Pass 2: every pair as one exact number (a·2^26 + b), sorted and counted in runs.
  const keys = new Float64Array(pairTotal);
  let at = 0;
  for (let e = 0; e < nEvents; e++) {
    const k = size[e];
    if (k === 0) continue;
    const from = events.partyOffset[e];
    for (let i = from; i < from + k; i++) for (let j = i + 1; j < from + k; j++) keys[at++] = work[i] * 67108864 + work[j];
  }
  keys.sort();
  const edgeOf = new Map<number, number>();
  const counts: number[] = [];
  for (let i = 0; i < keys.length; ) {
    let j = i;
    while (j < keys.length && keys[j] === keys[i]) j++;
    if (j - i >= minShared) {
      edgeOf.set(keys[i], counts.length);
      counts.push(j - i);
    }
    i = j;
  }

  // Pass 3: dates and types of the qualifying pairs' shared events.
  const n = counts.length;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const first = new Int32Array(n).fill(2147483647);
  const last = new Int32Array(n).fill(-2147483648);
  const types = new Uint8Array(n);
  const dayOffset = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) dayOffset[i + 1] = dayOffset[i] + counts[i];
  const days = new Int32Array(dayOffset[n]);
  const fill = dayOffset.slice(0, n);
  for (let e = 0; e < nEvents; e++) {
    const k = size[e];
    if (k === 0) continue;
    const from = events.partyOffset[e];
    const day = events.day[e];
    for (let i = from; i < from + k; i++) {
      for (let j = i + 1; j < from + k; j++) {
        const edge = edgeOf.get(work[i] * 67108864 + work[j]);
        if (edge === undefined) continue;
        a[edge] = work[i];
        b[edge] = work[j];
        if (day < first[edge]) first[edge] = day;
        if (day > last[edge]) last[edge] = day;
        types[edge] |= 1 << events.type[e];
        days[fill[edge]++] = day;
      }
    }
  }
  for (let i = 0; i < n; i++) days.subarray(dayOffset[i], dayOffset[i + 1]).sort();
  return { a, b, shared: Int32Array.from(counts), first, last, types, dayOffset, days, bigEventsSkipped };
}
