import { describe, expect, it } from 'vitest';
import { inferRelationships, type EventTable } from '../../worker/network/infer-relationships.js';

const CRIME = 0;
const CALL_CARD = 3;

/** Events as [day, type, persons]. */
function table(events: [number, number, number[]][]): EventTable {
  const partyOffset = new Int32Array(events.length + 1);
  events.forEach(([, , persons], i) => (partyOffset[i + 1] = partyOffset[i] + persons.length));
  return {
    day: Int32Array.from(events.map((e) => e[0])),
    type: Uint8Array.from(events.map((e) => e[1])),
    partyOffset,
    partyPerson: Int32Array.from(events.flatMap((e) => e[2])),
  };
}

const edges = (r: ReturnType<typeof inferRelationships>) =>
  Array.from(r.a, (a, i) => ({ a, b: r.b[i], shared: r.shared[i], first: r.first[i], last: r.last[i], types: r.types[i], days: Array.from(r.days.subarray(r.dayOffset[i], r.dayOffset[i + 1])) }));

describe('inferRelationships', () => {
  it('links two people who share three or more events, with dates, types and the days for point-in-time use', () => {
    const r = inferRelationships(
      table([
        [10, CRIME, [1, 0]],
        [20, CALL_CARD, [0, 1, 2]],
        [30, CRIME, [0, 1]],
        [40, CRIME, [0, 2]],
      ]),
      3,
      { asOf: 100 },
    );
    expect(edges(r)).toEqual([{ a: 0, b: 1, shared: 3, first: 10, last: 30, types: (1 << CRIME) | (1 << CALL_CARD), days: [10, 20, 30] }]);
  });

  it('counts a person who appears twice on one record (two roles) once', () => {
    const r = inferRelationships(table([[1, CRIME, [0, 1, 1]], [2, CRIME, [1, 0, 0]], [3, CRIME, [0, 1]]]), 2, { asOf: 10 });
    expect(edges(r).map((e) => e.shared)).toEqual([3]);
  });

  describe('when one incident with 18 people is recorded three times', () => {
    const crowd = Array.from({ length: 18 }, (_, i) => i);
    const events = table([
      [1, CALL_CARD, crowd],
      [2, CALL_CARD, crowd],
      [3, CRIME, crowd],
    ]);
    it('does not link them all (events above the party-size cap are left out)', () => {
      const r = inferRelationships(events, 18, { asOf: 10, maxParties: 12 });
      expect(r.a.length).toBe(0);
      expect(r.bigEventsSkipped).toBe(3);
    });
    it('links them all when the cap is raised above the crowd', () => {
      expect(inferRelationships(events, 18, { asOf: 10, maxParties: 20 }).a.length).toBe((18 * 17) / 2);
    });
  });

  it('ignores events after the as-of date and types that are not eligible', () => {
    const events = table([
      [1, CRIME, [0, 1]],
      [2, CRIME, [0, 1]],
      [3, CALL_CARD, [0, 1]],
      [9, CRIME, [0, 1]],
    ]);
    expect(inferRelationships(events, 2, { asOf: 3 }).a.length).toBe(1);
    expect(inferRelationships(events, 2, { asOf: 3, eligibleTypes: [CRIME] }).a.length).toBe(0);
    expect(inferRelationships(events, 2, { asOf: 9, eligibleTypes: [CRIME] }).shared[0]).toBe(3);
    expect(inferRelationships(events, 2, { asOf: 9, minShared: 5 }).a.length).toBe(0);
  });
});
