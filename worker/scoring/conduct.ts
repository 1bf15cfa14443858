import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/** Records that count towards conduct-disorder risk (Bristol's "conduct disorder flags"). */
export const CONDUCT_CODES = ['exclusion_fixed', 'exclusion_permanent', 'asb', 'offence', 'violent_offence', 'drugs_offence'] as const;

export function conductFlags(snapshot: TfdSnapshot, codes: ReadonlySet<number>, person: number, asOf: number): number {
  const f = snapshot.facts;
  let count = 0;
  for (let i = f.offset[person]; i < f.offset[person + 1]; i++) if (codes.has(f.code[i]) && f.start[i] <= asOf && asOf - f.start[i] < 365) count++;
  return count;
}

export const conductCodeSet = (snapshot: TfdSnapshot) => new Set(CONDUCT_CODES.map((c) => snapshot.codes.indexOf(c)).filter((i) => i >= 0));
