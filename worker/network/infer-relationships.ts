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
  const nEvents = events.day.length;
  if (people >= 2 ** 26 || nEvents >= 2 ** 26) throw new Error('worker/network/infer-relationships: more than 67M people or records cannot be keyed exactly');

  // Pass 1: each counted record's distinct parties, sorted in place in one
  // working copy (insertion sort: records are small), and pairs per first person.
  const work = Int32Array.from(events.partyPerson);
  const size = new Int32Array(nEvents);
  const pairsOf = new Int32Array(people + 1);
  let pairTotal = 0;
  let bigEventsSkipped = 0;
  for (let e = 0; e < nEvents; e++) {
    if (!eligible[events.type[e]] || events.day[e] > options.asOf) continue;
    const from = events.partyOffset[e];
    const to = events.partyOffset[e + 1];
    if (to - from < 2) continue;
    if (to - from > 24) work.subarray(from, to).sort();
    else {
      for (let i = from + 1; i < to; i++) {
        const v = work[i];
        let j = i - 1;
        while (j >= from && work[j] > v) {
          work[j + 1] = work[j];
          j--;
        }
        work[j + 1] = v;
      }
    }
    let k = 1;
    for (let i = from + 1; i < to; i++) if (work[i] !== work[from + k - 1]) work[from + k++] = work[i];
    if (k > maxParties) {
      bigEventsSkipped++;
      continue;
    }
    if (k < 2) continue;
    size[e] = k;
    pairTotal += (k * (k - 1)) / 2;
    for (let i = from; i < from + k - 1; i++) pairsOf[work[i] + 1] += from + k - 1 - i;
  }

  // Pass 2: every pair (a < b) bucketed by a (a counting sort), carrying its record.
  for (let p = 0; p < people; p++) pairsOf[p + 1] += pairsOf[p];
  const cursor = pairsOf.slice(0, people);
  const pairB = new Int32Array(pairTotal);
  const pairEvent = new Int32Array(pairTotal);
  for (let e = 0; e < nEvents; e++) {
    const k = size[e];
    if (k === 0) continue;
    const from = events.partyOffset[e];
    for (let i = from; i < from + k - 1; i++) {
      const a = work[i];
      for (let j = i + 1; j < from + k; j++) {
        const at = cursor[a]++;
        pairB[at] = work[j];
        pairEvent[at] = e;
      }
    }
  }

  // Pass 3: within each first person's bucket, count how often each second
  // person occurs (a stamped scratch counter, no sorting); those occurring at
  // least minShared times are relationships, gathered with their records.
  const a: number[] = [];
  const b: number[] = [];
  const shared: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const types: number[] = [];
  const dayOffset: number[] = [0];
  const days: number[] = [];
  const count = new Int32Array(people);
  const stamp = new Int32Array(people);
  const hits: number[] = [];
  for (let p = 0; p < people; p++) {
    const from = pairsOf[p];
    const to = pairsOf[p + 1];
    if (to - from < minShared) continue;
    const mark = p + 1;
    hits.length = 0;
    for (let r = from; r < to; r++) {
      const q = pairB[r];
      if (stamp[q] !== mark) {
        stamp[q] = mark;
        count[q] = 0;
      }
      if (++count[q] === minShared) hits.push(q);
    }
    for (const q of hits) {
      let lo = 2147483647;
      let hi = -2147483648;
      let mask = 0;
      const start = days.length;
      for (let i = from; i < to; i++) {
        if (pairB[i] !== q) continue;
        const e = pairEvent[i];
        const day = events.day[e];
        if (day < lo) lo = day;
        if (day > hi) hi = day;
        mask |= 1 << events.type[e];
        days.push(day);
      }
      a.push(p);
      b.push(q);
      shared.push(count[q]);
      first.push(lo);
      last.push(hi);
      types.push(mask);
      dayOffset.push(days.length);
      sortRange(days, start, days.length);
    }
  }
  return {
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    shared: Int32Array.from(shared),
    first: Int32Array.from(first),
    last: Int32Array.from(last),
    types: Uint8Array.from(types),
    dayOffset: Int32Array.from(dayOffset),
    days: Int32Array.from(days),
    bigEventsSkipped,
  };
}

function sortRange(values: number[], from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= from && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}
